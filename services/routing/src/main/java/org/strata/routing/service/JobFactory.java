package org.strata.routing.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.strata.events.InstanceStored;
import org.strata.events.RoutingJob;

/** New jobs: one per {@code maxInstances} instances of a study, for one destination. */
public final class JobFactory {
  private JobFactory() {}

  public static RoutingJob.Instance instanceOf(InstanceStored e) {
    return new RoutingJob.Instance(
        e.seriesInstanceUid(),
        e.sopInstanceUid(),
        e.sopClassUid(),
        e.transferSyntaxUid(),
        e.objectLocation().bucket(),
        e.objectLocation().key());
  }

  /** Whose study it is and who asked: the export audit record's patient and requester. */
  public record Origin(String patientId, String issuerOfPatientId, String requestedBy) {
    public static Origin of(InstanceStored e) {
      return new Origin(e.patientId(), e.issuerOfPatientId(), null);
    }
  }

  public static List<RoutingJob> jobs(
      String tenant,
      String studyUid,
      String destination,
      RoutingJob.Priority priority,
      String ruleId,
      List<RoutingJob.Instance> instances,
      int maxInstances,
      Origin origin,
      List<String> deidentify) {
    List<RoutingJob> out = new ArrayList<>();
    for (int from = 0; from < instances.size(); from += maxInstances) {
      List<RoutingJob.Instance> part =
          List.copyOf(instances.subList(from, Math.min(instances.size(), from + maxInstances)));
      out.add(
          RoutingJob.builder()
              .eventId(UUID.randomUUID().toString())
              .occurredAt(Instant.now())
              .tenant(tenant)
              .jobId(UUID.randomUUID().toString())
              .destination(destination)
              .priority(priority)
              .ruleId(ruleId)
              .studyInstanceUid(studyUid)
              .instances(part)
              .patientId(blankToNull(origin.patientId()))
              .issuerOfPatientId(blankToNull(origin.issuerOfPatientId()))
              .requestedBy(origin.requestedBy())
              .deidentify(deidentify)
              .build());
    }
    return out;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
