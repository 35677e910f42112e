package org.strata.ingest.service;

import org.strata.events.InstanceStored;

/** Where an instance comes from: the channel, the tenant it was mapped to, and who sent it. */
public record IngestSource(
    String tenant,
    InstanceStored.Channel channel,
    String callingAeTitle,
    String calledAeTitle,
    String remoteAddress,
    String client) {

  InstanceStored.Source toEventSource() {
    return new InstanceStored.Source(channel, callingAeTitle, calledAeTitle, remoteAddress, client);
  }
}
