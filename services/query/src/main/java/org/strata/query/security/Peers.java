package org.strata.query.security;

import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The peer of an HTTP request as an address (no name lookup: Vert.x gives the IP literal). */
final class Peers {
  private Peers() {}

  static InetAddress address(HttpServerRequest request) {
    var remote = request.remoteAddress();
    if (remote == null || remote.hostAddress() == null) {
      return null;
    }
    try {
      // An IP literal: getByName parses it without a name lookup.
      return InetAddress.getByName(remote.hostAddress());
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static String text(HttpServerRequest request) {
    var remote = request.remoteAddress();
    return remote == null ? null : remote.hostAddress();
  }
}
