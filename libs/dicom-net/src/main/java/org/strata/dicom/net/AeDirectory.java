package org.strata.dicom.net;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Where a remote AE title listens; null when unknown. Used to open associations towards peers:
 * C-MOVE destinations, and requestors of storage commitment whose report goes on a new association.
 */
@FunctionalInterface
public interface AeDirectory {
  InetSocketAddress lookup(String aeTitle);

  /** A fixed table. */
  static AeDirectory of(Map<String, InetSocketAddress> table) {
    Map<String, InetSocketAddress> copy = Map.copyOf(table);
    return copy::get;
  }
}
