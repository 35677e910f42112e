package org.strata.events;

import java.time.Instant;
import java.util.List;

/**
 * A send of stored instances to one routing destination: the unit of routing's queues. Published by
 * routing on {@link Topics#ROUTING_JOBS_STAT} or {@link Topics#ROUTING_JOBS_ROUTINE} (by priority),
 * keyed by destination so that one destination's jobs stay in order on one partition; republished
 * with the next attempt after a failure, and on {@link Topics#ROUTING_DEAD_LETTER} when it gave up.
 *
 * @param eventId this record's id (a new one for every attempt)
 * @param jobId the job's id, the same over all its attempts
 * @param destination the destination's name in routing's rules file
 * @param priority STAT jobs overtake ROUTINE ones
 * @param ruleId the rule that made the job, null for a manual export
 * @param instances the instances still to send (those sent by earlier attempts are left out)
 * @param sent instances of the job already delivered by earlier attempts
 * @param attempt attempts made so far (0 for a new job)
 * @param notBefore the earliest time of the next attempt (backoff), null for at once
 * @param lastReason why the last attempt failed, null before the first failure; never PHI
 * @param patientId the study's Patient ID where known (for the export's audit record; PHI, as in
 *     {@link InstanceStored}); optional, like every field below (absent in records written before)
 * @param issuerOfPatientId its issuer, may be absent
 * @param requestedBy who asked for a manual export (user or client of the token), absent for a job
 *     made by a rule
 * @param delivered instances delivered by earlier attempts, per SOP class (the export's audit
 *     record counts them once the job ends)
 * @param deidentify absent: the instances are sent as stored; present: de-identified on the way out
 *     (PS3.15 Annex E Basic Profile) with these options by name (empty: the profile alone), decided
 *     when the job was made so that a later change of the rule does not change it
 */
public record RoutingJob(
    String eventId,
    Instant occurredAt,
    String tenant,
    String jobId,
    String destination,
    Priority priority,
    String ruleId,
    String studyInstanceUid,
    List<Instance> instances,
    int sent,
    int attempt,
    Instant notBefore,
    String lastReason,
    String patientId,
    String issuerOfPatientId,
    String requestedBy,
    List<AuditRecord.SopClassCount> delivered,
    List<String> deidentify)
    implements StrataEvent {

  public static final int SCHEMA_VERSION = 1;

  /** Queue priority: a STAT job is started before any ROUTINE job of its destination. */
  public enum Priority {
    STAT,
    ROUTINE
  }

  /** One stored object to send, sent as stored (its own transfer syntax). */
  public record Instance(
      String seriesInstanceUid,
      String sopInstanceUid,
      String sopClassUid,
      String transferSyntaxUid,
      String bucket,
      String key) {
    public Instance {
      Require.uid(seriesInstanceUid, "instances.seriesInstanceUid");
      Require.uid(sopInstanceUid, "instances.sopInstanceUid");
      Require.uid(sopClassUid, "instances.sopClassUid");
      Require.uid(transferSyntaxUid, "instances.transferSyntaxUid");
      Require.nonBlank(bucket, "instances.bucket");
      Require.nonBlank(key, "instances.key");
    }
  }

  public RoutingJob {
    Require.uuid(eventId, "eventId");
    Require.nonNull(occurredAt, "occurredAt");
    Require.tenant(tenant, "tenant");
    Require.uuid(jobId, "jobId");
    Require.nonBlank(destination, "destination");
    Require.nonNull(priority, "priority");
    Require.uid(studyInstanceUid, "studyInstanceUid");
    instances = Require.list(instances, "instances");
    if (sent < 0 || attempt < 0) {
      throw new IllegalArgumentException(
          "sent and attempt must be >= 0, got " + sent + " and " + attempt);
    }
    delivered = delivered == null ? null : Require.list(delivered, "delivered");
    deidentify = deidentify == null ? null : List.copyOf(deidentify);
  }

  /**
   * Every instance delivered so far per SOP class: those of earlier attempts and the first {@code
   * sentNow} of {@link #instances} (senders send in order and stop at the first failure).
   */
  public List<AuditRecord.SopClassCount> deliveredWith(int sentNow) {
    java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    if (delivered != null) {
      delivered.forEach(c -> counts.merge(c.sopClassUid(), c.count(), Integer::sum));
    }
    instances.stream()
        .limit(Math.max(0, sentNow))
        .forEach(i -> counts.merge(i.sopClassUid(), 1, Integer::sum));
    return counts.entrySet().stream()
        .map(e -> new AuditRecord.SopClassCount(e.getKey(), e.getValue()))
        .toList();
  }

  /** The same job with a new event id and time, attempts counted afresh (an operator's retry). */
  public RoutingJob again(String newEventId, Instant now) {
    return toBuilder().eventId(newEventId).occurredAt(now).attempt(0).notBefore(null).build();
  }

  /**
   * This very record with its first {@code count} instances delivered: what the destination
   * confirmed during an attempt of it that a crash interrupted (routing's job progress). The event
   * id, time and attempt stay; only the rest of the instances is left to send.
   */
  public RoutingJob withConfirmed(int count) {
    int n = Math.min(Math.max(0, count), instances.size());
    return toBuilder()
        .instances(instances.subList(n, instances.size()))
        .sent(sent + n)
        .delivered(n > 0 ? deliveredWith(n) : delivered)
        .build();
  }

  /** The same job for its next attempt: what is left, the reason, and when to try again. */
  public RoutingJob nextAttempt(
      String newEventId,
      Instant now,
      List<Instance> left,
      int sentNow,
      Instant retryAt,
      String reason) {
    return toBuilder()
        .eventId(newEventId)
        .occurredAt(now)
        .instances(left)
        .sent(sent + sentNow)
        .attempt(attempt + 1)
        .notBefore(retryAt)
        .lastReason(reason)
        .delivered(sentNow > 0 ? deliveredWith(sentNow) : delivered)
        .build();
  }

  /** A new record, every field absent (sent and attempt 0) until set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this record's fields. */
  public Builder toBuilder() {
    return new Builder()
        .eventId(eventId)
        .occurredAt(occurredAt)
        .tenant(tenant)
        .jobId(jobId)
        .destination(destination)
        .priority(priority)
        .ruleId(ruleId)
        .studyInstanceUid(studyInstanceUid)
        .instances(instances)
        .sent(sent)
        .attempt(attempt)
        .notBefore(notBefore)
        .lastReason(lastReason)
        .patientId(patientId)
        .issuerOfPatientId(issuerOfPatientId)
        .requestedBy(requestedBy)
        .delivered(delivered)
        .deidentify(deidentify);
  }

  /** Builds a record field by field; {@link #build()} validates as the constructor does. */
  public static final class Builder {
    private String eventId;
    private Instant occurredAt;
    private String tenant;
    private String jobId;
    private String destination;
    private Priority priority;
    private String ruleId;
    private String studyInstanceUid;
    private List<Instance> instances;
    private int sent;
    private int attempt;
    private Instant notBefore;
    private String lastReason;
    private String patientId;
    private String issuerOfPatientId;
    private String requestedBy;
    private List<AuditRecord.SopClassCount> delivered;
    private List<String> deidentify;

    private Builder() {}

    public Builder eventId(String v) {
      eventId = v;
      return this;
    }

    public Builder occurredAt(Instant v) {
      occurredAt = v;
      return this;
    }

    public Builder tenant(String v) {
      tenant = v;
      return this;
    }

    public Builder jobId(String v) {
      jobId = v;
      return this;
    }

    public Builder destination(String v) {
      destination = v;
      return this;
    }

    public Builder priority(Priority v) {
      priority = v;
      return this;
    }

    public Builder ruleId(String v) {
      ruleId = v;
      return this;
    }

    public Builder studyInstanceUid(String v) {
      studyInstanceUid = v;
      return this;
    }

    public Builder instances(List<Instance> v) {
      instances = v;
      return this;
    }

    public Builder sent(int v) {
      sent = v;
      return this;
    }

    public Builder attempt(int v) {
      attempt = v;
      return this;
    }

    public Builder notBefore(Instant v) {
      notBefore = v;
      return this;
    }

    public Builder lastReason(String v) {
      lastReason = v;
      return this;
    }

    public Builder patientId(String v) {
      patientId = v;
      return this;
    }

    public Builder issuerOfPatientId(String v) {
      issuerOfPatientId = v;
      return this;
    }

    public Builder requestedBy(String v) {
      requestedBy = v;
      return this;
    }

    public Builder delivered(List<AuditRecord.SopClassCount> v) {
      delivered = v;
      return this;
    }

    public Builder deidentify(List<String> v) {
      deidentify = v;
      return this;
    }

    public RoutingJob build() {
      return new RoutingJob(
          eventId,
          occurredAt,
          tenant,
          jobId,
          destination,
          priority,
          ruleId,
          studyInstanceUid,
          instances,
          sent,
          attempt,
          notBefore,
          lastReason,
          patientId,
          issuerOfPatientId,
          requestedBy,
          delivered,
          deidentify);
    }
  }
}
