package org.strata.dicom.net;

import java.net.InetSocketAddress;
import java.util.Map;

/** Where a C-MOVE destination AE title listens; null when unknown (the C-MOVE fails with A801). */
@FunctionalInterface
public interface MoveDestinations extends AeDirectory {

  /** A fixed table. */
  static MoveDestinations of(Map<String, InetSocketAddress> table) {
    Map<String, InetSocketAddress> copy = Map.copyOf(table);
    return copy::get;
  }
}
