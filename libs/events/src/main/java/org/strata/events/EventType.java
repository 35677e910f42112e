package org.strata.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Wire description of one event type: its stable {@code type} name (independent of the Java class
 * name, so classes can be renamed), the version it writes, and the upcasters from every older one.
 *
 * @param upcasters keyed by the version they upcast <em>from</em>; must cover 1 to current - 1
 */
record EventType<T extends StrataEvent>(
    String name, Class<T> javaType, int currentVersion, Map<Integer, Upcaster> upcasters) {

  EventType {
    Require.nonBlank(name, "name");
    Require.nonNull(javaType, "javaType");
    if (currentVersion < 1) {
      throw new IllegalArgumentException(name + ": currentVersion must be >= 1");
    }
    upcasters = Map.copyOf(upcasters);
    // A gap in the chain would only show up when an old record is replayed; fail at startup
    // instead.
    for (int from = 1; from < currentVersion; from++) {
      if (!upcasters.containsKey(from)) {
        throw new IllegalArgumentException(
            name + ": no upcaster from v" + from + " to v" + (from + 1));
      }
    }
    for (int from : upcasters.keySet()) {
      if (from < 1 || from >= currentVersion) {
        throw new IllegalArgumentException(
            name + ": upcaster from v" + from + " is outside 1.." + (currentVersion - 1));
      }
    }
  }

  /** Brings {@code event}, written as {@code fromVersion}, up to {@link #currentVersion()}. */
  ObjectNode upcast(ObjectNode event, int fromVersion) {
    ObjectNode current = event;
    for (int version = fromVersion; version < currentVersion; version++) {
      current = upcasters.get(version).upcast(current);
    }
    return current;
  }
}
