package org.strata.routing.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentInstancesTest {
  @Test
  void aDryRunSeesOnlyTheTenantsItIsGivenNewestFirst() {
    RecentInstances recent = new RecentInstances();
    recent.add(seen("hospital-a", "1.1", "1.1.1"));
    recent.add(seen("hospital-b", "2.1", "2.1.1"));
    recent.add(seen("hospital-a", "1.2", "1.2.1"));

    assertEquals(List.of("1.2.1", "1.1.1"), sops(recent.newest(10, null, Set.of("hospital-a"))));
    assertEquals(List.of("1.2.1"), sops(recent.newest(1, null, Set.of("hospital-a"))));
    assertEquals(List.of(), sops(recent.newest(10, "2.1", Set.of("hospital-a"))));
    assertEquals(List.of("1.2.1", "2.1.1", "1.1.1"), sops(recent.newest(10, null, null)));
    assertEquals(List.of("2.1.1"), sops(recent.newest(10, "2.1", null)));
  }

  private static RecentInstances.Seen seen(String tenant, String study, String sop) {
    return new RecentInstances.Seen(tenant, study, sop, Instant.now(), Map.of());
  }

  private static List<String> sops(List<RecentInstances.Seen> seen) {
    return seen.stream().map(RecentInstances.Seen::sopInstanceUid).toList();
  }
}
