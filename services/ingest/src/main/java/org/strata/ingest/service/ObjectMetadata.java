package org.strata.ingest.service;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.strata.events.InstanceStored;

/**
 * What an object carries in its S3 user metadata (x-amz-meta-*): the id of the event that announces
 * it and where it came from. Enough to publish that event again if the process died between the PUT
 * and the Kafka acknowledgement (ADR 0011), without anything else having to be durable first. No
 * patient data: UIDs are in the key, demographics only inside the object.
 */
final class ObjectMetadata {
  static final String EVENT_ID = "strata-event-id";
  static final String TENANT = "strata-tenant";
  static final String CHANNEL = "strata-channel";
  static final String CALLING_AE = "strata-calling-ae";
  static final String CALLED_AE = "strata-called-ae";
  static final String REMOTE_ADDRESS = "strata-remote-address";
  static final String CLIENT = "strata-client";
  static final String RECEIVED = "strata-received";

  private static final Pattern VERSION = Pattern.compile("\\.v([0-9]{1,9})\\.dcm$");

  private ObjectMetadata() {}

  static Map<String, String> of(String eventId, IngestSource source, Instant received) {
    Map<String, String> m = new HashMap<>();
    m.put(EVENT_ID, eventId);
    m.put(TENANT, source.tenant());
    m.put(CHANNEL, source.channel().name());
    m.put(RECEIVED, received.toString());
    putIfPresent(m, CALLING_AE, source.callingAeTitle());
    putIfPresent(m, CALLED_AE, source.calledAeTitle());
    putIfPresent(m, REMOTE_ADDRESS, source.remoteAddress());
    putIfPresent(m, CLIENT, source.client());
    return m;
  }

  /** The source recorded on the object, or empty when it carries no Strata metadata. */
  static Optional<IngestSource> source(Map<String, String> meta) {
    String tenant = meta.get(TENANT);
    if (tenant == null || meta.get(EVENT_ID) == null) {
      return Optional.empty();
    }
    InstanceStored.Channel channel;
    try {
      // Objects written before the channel was recorded came from one of the two; STOW-RS is the
      // neutral guess (it carries no AE titles).
      channel = InstanceStored.Channel.valueOf(meta.getOrDefault(CHANNEL, "STOWRS"));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(
        new IngestSource(
            tenant,
            channel,
            meta.get(CALLING_AE),
            meta.get(CALLED_AE),
            meta.get(REMOTE_ADDRESS),
            meta.get(CLIENT)));
  }

  /** The version an instance key names ({@code .v{n}.dcm}), 1 for the plain key. */
  static int version(String key) {
    Matcher m = VERSION.matcher(key);
    return m.find() ? Integer.parseInt(m.group(1)) : 1;
  }

  private static void putIfPresent(Map<String, String> m, String key, String value) {
    // S3 metadata is ASCII headers: keep only printable ASCII values.
    if (value != null && !value.isBlank() && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      m.put(key, value.trim());
    }
  }
}
