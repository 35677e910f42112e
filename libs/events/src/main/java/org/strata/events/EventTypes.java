package org.strata.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Registry of every {@link StrataEvent} type with its wire name, version and upcasters. */
final class EventTypes {

  static final List<EventType<?>> ALL =
      List.of(
          new EventType<>(
              "InstanceStored",
              InstanceStored.class,
              InstanceStored.SCHEMA_VERSION,
              Map.of(1, EventTypes::instanceStoredV1ToV2)),
          new EventType<>(
              "InstanceIndexed", InstanceIndexed.class, InstanceIndexed.SCHEMA_VERSION, Map.of()),
          new EventType<>(
              "StudyUpdated", StudyUpdated.class, StudyUpdated.SCHEMA_VERSION, Map.of()),
          new EventType<>(
              "InstanceDeleted", InstanceDeleted.class, InstanceDeleted.SCHEMA_VERSION, Map.of()),
          new EventType<>("AuditRecord", AuditRecord.class, AuditRecord.SCHEMA_VERSION, Map.of()),
          new EventType<>(
              "PatientLinksChanged",
              PatientLinksChanged.class,
              PatientLinksChanged.SCHEMA_VERSION,
              Map.of()),
          new EventType<>(
              "InstanceMoved", InstanceMoved.class, InstanceMoved.SCHEMA_VERSION, Map.of()),
          new EventType<>("RoutingJob", RoutingJob.class, RoutingJob.SCHEMA_VERSION, Map.of()),
          new EventType<>(
              "LegalHoldChanged",
              LegalHoldChanged.class,
              LegalHoldChanged.SCHEMA_VERSION,
              Map.of()));

  private static final Map<String, EventType<?>> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::name, Function.identity()));
  private static final Map<Class<?>, EventType<?>> BY_CLASS =
      ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::javaType, Function.identity()));

  static {
    // The sealed hierarchy is the source of truth; a type missing here could not be encoded.
    Set<Class<?>> permitted =
        new HashSet<>(Arrays.asList(StrataEvent.class.getPermittedSubclasses()));
    if (!permitted.equals(BY_CLASS.keySet())) {
      throw new IllegalStateException(
          "EventTypes registers " + BY_CLASS.keySet() + " but StrataEvent permits " + permitted);
    }
  }

  private EventTypes() {}

  /** The type with this wire name, or null. */
  static EventType<?> byName(String name) {
    return BY_NAME.get(name);
  }

  static EventType<?> of(Class<? extends StrataEvent> javaType) {
    return BY_CLASS.get(javaType);
  }

  /**
   * InstanceStored v1 to v2. v1 had no object versions, so every v1 object is version 1. v1 also
   * had no {@code source.client}; leaving it absent is right, as absent means "unknown" in v2 too.
   */
  static ObjectNode instanceStoredV1ToV2(ObjectNode event) {
    if (!event.hasNonNull("version")) {
      event.put("version", 1);
    }
    return event;
  }
}
