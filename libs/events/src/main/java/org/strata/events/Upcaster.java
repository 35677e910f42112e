package org.strata.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rewrites the JSON of one event type from schema version n to n+1, so that code only ever maps the
 * current version to a record. Chained by the codec: a v1 payload read by v3 code passes through
 * the v1 and v2 upcasters in turn.
 *
 * <p>The tree holds the event's fields only (the {@code type} and {@code schemaVersion} envelope is
 * already removed). It may be modified in place and returned.
 */
@FunctionalInterface
public interface Upcaster {

  ObjectNode upcast(ObjectNode event);
}
