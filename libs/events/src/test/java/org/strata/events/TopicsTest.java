package org.strata.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TopicsTest {

  private static final Pattern NAME = Pattern.compile("strata\\.[a-z.-]+");

  @Test
  void namesAreUniqueAndFollowConvention() {
    Set<String> seen = new HashSet<>();
    for (Topic topic : Topics.all()) {
      assertTrue(seen.add(topic.name()), "duplicate topic " + topic.name());
      assertTrue(NAME.matcher(topic.name()).matches(), topic.name());
      assertTrue(topic.partitions() > 0, topic.name());
    }
    assertEquals(12, seen.size());
  }

  @Test
  void namesAreTheStableContract() {
    // Renaming a topic strands its data and every consumer offset: this list only ever grows.
    assertEquals(
        Set.of(
            "strata.instance.stored",
            "strata.instance.indexed",
            "strata.study.updated",
            "strata.instance.deleted",
            "strata.audit.record",
            "strata.index.dead-letter",
            "strata.patient.links",
            "strata.instance.moved",
            "strata.routing.jobs.stat",
            "strata.routing.jobs.routine",
            "strata.routing.dead-letter",
            "strata.legal.holds"),
        Set.copyOf(Topics.all().stream().map(Topic::name).toList()));
  }

  @Test
  void configsCarryRetentionAndCleanupPolicy() {
    assertEquals(
        Map.of("retention.ms", "1209600000", "cleanup.policy", "delete"),
        Topics.INSTANCE_STORED.configs());
    assertEquals("34560000000", Topics.AUDIT_RECORD.configs().get("retention.ms"));
    assertEquals(12, Topics.INSTANCE_STORED.partitions());
    // Link states are kept forever, the latest per link id.
    assertEquals(
        Map.of("retention.ms", "-1", "cleanup.policy", "compact"), Topics.PATIENT_LINKS.configs());
  }

  @Test
  void configsLeaveClusterSettingsToTheDeployment() {
    for (Topic topic : Topics.all()) {
      assertEquals(Set.of("retention.ms", "cleanup.policy"), topic.configs().keySet());
    }
  }

  @Test
  void nullRetentionMeansForever() {
    Topic compacted =
        new Topic("strata.x", 1, null, Topic.CleanupPolicy.COMPACT, "key", "a compacted topic");

    assertEquals(Map.of("retention.ms", "-1", "cleanup.policy", "compact"), compacted.configs());
  }

  @Test
  void rejectsInvalidDeclarations() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Topic("strata.x", 0, null, Topic.CleanupPolicy.DELETE, "k", ""));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Topic("strata.x", 1, Duration.ZERO, Topic.CleanupPolicy.DELETE, "k", ""));
    assertThrows(
        IllegalArgumentException.class, () -> new Topic("strata.x", 1, null, null, "k", ""));
  }
}
