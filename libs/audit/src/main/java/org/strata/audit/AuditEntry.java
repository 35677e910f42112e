package org.strata.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Action;
import org.strata.events.AuditRecord.Outcome;
import org.strata.events.AuditRecord.Participant;
import org.strata.events.AuditRecord.PatientRef;
import org.strata.events.AuditRecord.SopClassCount;
import org.strata.events.AuditRecord.StudyRef;
import org.strata.http.auth.CallerIdentity;
import org.strata.ids.Uid;

/**
 * One thing a service did with patient data, being described: start with the factory of its kind
 * ({@link #store}, {@link #query}, ...), add what was touched, hand it to {@link AuditLog#record}.
 * The kind fixes the DICOM audit event and action (PS3.15 A.5.3), so endpoints never choose them.
 * Not thread-safe: one entry belongs to one request or association.
 */
public final class AuditEntry {
  private final String eventType;
  private final Action action;
  private final String channel;
  private final CallerIdentity caller;
  private final Instant occurredAt = Instant.now();
  private String tenant;
  private Outcome outcome = Outcome.SUCCESS;
  private String outcomeDescription;
  private String detail;
  private String query;
  private Participant destination;
  private final Set<PatientRef> patients = new LinkedHashSet<>();
  private final Map<String, Map<String, Integer>> studies = new LinkedHashMap<>();
  private final Map<String, String> accessionNumbers = new LinkedHashMap<>();

  private AuditEntry(String eventType, Action action, String channel, CallerIdentity caller) {
    this.eventType = eventType;
    this.action = action;
    this.channel = channel;
    this.caller = caller;
  }

  /** Instances received and stored (STOW-RS, C-STORE): one entry per study. */
  public static AuditEntry store(CallerIdentity caller, String channel) {
    return new AuditEntry(AuditEventTypes.INSTANCES_TRANSFERRED, Action.C, channel, caller);
  }

  /** A query (QIDO-RS, C-FIND, FHIR search), with its keys ({@link #query(String)}). */
  public static AuditEntry query(CallerIdentity caller, String channel) {
    return new AuditEntry(AuditEventTypes.QUERY, Action.E, channel, caller);
  }

  /**
   * Instances, metadata or renderings sent to the caller or a C-MOVE destination (WADO-RS,
   * WADO-URI, FHIR read, C-GET, C-MOVE).
   */
  public static AuditEntry read(CallerIdentity caller, String channel) {
    return new AuditEntry(AuditEventTypes.INSTANCES_TRANSFERRED, Action.R, channel, caller);
  }

  /** Instances sent out of the archive to another system (routing). */
  public static AuditEntry export(CallerIdentity caller, String channel) {
    return new AuditEntry(AuditEventTypes.EXPORT, Action.R, channel, caller);
  }

  /** A study (or some of its instances) deleted or rejected. */
  public static AuditEntry delete(CallerIdentity caller, String channel) {
    return new AuditEntry(AuditEventTypes.STUDY_DELETED, Action.D, channel, caller);
  }

  /**
   * Instances moved from one storage tier to another (storage-tiering): the objects were read and
   * written again elsewhere, their content unchanged (DICOM Instances Accessed, Update).
   */
  public static AuditEntry tierMove(CallerIdentity caller, String channel, String from, String to) {
    return new AuditEntry(AuditEventTypes.INSTANCES_ACCESSED, Action.U, channel, caller)
        .detail("tier move from " + from + " to " + to);
  }

  /**
   * A legal hold placed on or lifted from a study or a patient (DICOM Instances Accessed, Update:
   * what may be done with the instances changed). The reason goes into {@link #query(String)}, the
   * field that may hold what a person typed, never into {@link #detail}.
   */
  public static AuditEntry legalHold(
      CallerIdentity caller, String channel, boolean placed, String reason) {
    return new AuditEntry(AuditEventTypes.INSTANCES_ACCESSED, Action.U, channel, caller)
        .detail(placed ? "legal hold placed" : "legal hold lifted")
        .query(reason == null ? null : "reason=" + reason);
  }

  /** A study purged because its retention expired (DICOM Study Deleted, Delete). */
  public static AuditEntry retentionPurge(CallerIdentity caller, String rule) {
    return new AuditEntry(
            AuditEventTypes.STUDY_DELETED, Action.D, AuditRecord.Channels.SERVICE, caller)
        .detail("retention purge, rule " + rule);
  }

  /** A patient record changed: a patient link made or undone, a data fix. */
  public static AuditEntry patientRecord(CallerIdentity caller, String channel, Action action) {
    return new AuditEntry(AuditEventTypes.PATIENT_RECORD, action, channel, caller);
  }

  /** The index rebuilt from the stored sidecars: every instance of the tenant read and indexed. */
  public static AuditEntry rebuild(CallerIdentity caller, String channel) {
    return new AuditEntry(AuditEventTypes.INSTANCES_ACCESSED, Action.U, channel, caller)
        .detail("index rebuild");
  }

  /**
   * Stored objects examined by ingest's reconcile: the events of objects stored without one
   * published again, upload leftovers removed; the detail gives the counts.
   */
  public static AuditEntry reconcile(CallerIdentity caller, String channel) {
    return new AuditEntry(AuditEventTypes.INSTANCES_ACCESSED, Action.U, channel, caller)
        .detail("orphan reconcile");
  }

  /**
   * The audit trail read (DICOM Audit Log Used, PS3.15 A.5.3.2): a verification, an export, a
   * search or a report; the patient and query asked for are added by the caller.
   */
  public static AuditEntry auditLogUsed(CallerIdentity caller, String channel) {
    return new AuditEntry(AuditEventTypes.AUDIT_LOG_USED, Action.R, channel, caller);
  }

  /** A sign-in refused (HTTP 401): the caller is whoever the request claimed to be, if anyone. */
  public static AuditEntry failedSignIn(CallerIdentity caller, String channel) {
    return new AuditEntry(AuditEventTypes.USER_AUTHENTICATION, Action.E, channel, caller)
        .outcome(Outcome.MINOR_FAILURE, "authentication failed");
  }

  /** A DIMSE association refused (unknown calling AE, wrong host, ...). */
  public static AuditEntry refusedAssociation(CallerIdentity caller, String channel) {
    return new AuditEntry(AuditEventTypes.SECURITY_ALERT, Action.E, channel, caller)
        .outcome(Outcome.MINOR_FAILURE, "association rejected");
  }

  /** Hostile input or a scope violation refused; {@code why} names the rule, never a value. */
  public static AuditEntry securityAlert(CallerIdentity caller, String channel, String why) {
    return new AuditEntry(AuditEventTypes.SECURITY_ALERT, Action.E, channel, caller)
        .outcome(Outcome.MINOR_FAILURE, why);
  }

  /**
   * A setting that decides what happens to stored instances changed (a lifecycle policy added,
   * changed, enabled or disabled): DICOM Security Alert, its "Software Configuration" kind, with
   * success. {@code what} names the setting and its new version, never patient data.
   */
  public static AuditEntry configurationChanged(
      CallerIdentity caller, String channel, String what) {
    return new AuditEntry(AuditEventTypes.SECURITY_ALERT, Action.U, channel, caller).detail(what);
  }

  /** The service started (DICOM Application Activity, "Application Start"). */
  public static AuditEntry serviceStarted(CallerIdentity service) {
    return new AuditEntry(
            AuditEventTypes.APPLICATION_ACTIVITY, Action.E, AuditRecord.Channels.SERVICE, service)
        .detail("application start");
  }

  /** The service is stopping (DICOM Application Activity, "Application Stop"). */
  public static AuditEntry serviceStopped(CallerIdentity service) {
    return new AuditEntry(
            AuditEventTypes.APPLICATION_ACTIVITY, Action.E, AuditRecord.Channels.SERVICE, service)
        .detail("application stop");
  }

  /** The tenant whose data it is; without it the caller's only tenant, else the log's default. */
  public AuditEntry tenant(String tenant) {
    this.tenant = tenant;
    return this;
  }

  /** A patient concerned; the issuer may be null or empty. Repeats are kept once. */
  public AuditEntry patient(String id, String issuer) {
    if (id != null && !id.isBlank()) {
      patients.add(new PatientRef(id, issuer == null || issuer.isEmpty() ? null : issuer));
    }
    return this;
  }

  /**
   * A study concerned, without instance counts (a query result, a study-level read). A value that
   * is not a UID (a hostile or mistyped path, answered 400 or 404) names no study and is left out:
   * the record still says what was asked for in its outcome, and recording never fails the answer.
   */
  public AuditEntry study(String studyInstanceUid) {
    if (Uid.isValid(studyInstanceUid)) {
      studies.computeIfAbsent(studyInstanceUid, k -> new LinkedHashMap<>());
    }
    return this;
  }

  /** A study concerned with its accession number (may be null). */
  public AuditEntry study(String studyInstanceUid, String accessionNumber) {
    study(studyInstanceUid);
    if (accessionNumber != null
        && !accessionNumber.isEmpty()
        && studies.containsKey(studyInstanceUid)) {
      accessionNumbers.put(studyInstanceUid, accessionNumber);
    }
    return this;
  }

  /** {@code count} instances of one SOP class of a study were touched (added up). */
  public AuditEntry instances(String studyInstanceUid, String sopClassUid, int count) {
    if (!Uid.isValid(studyInstanceUid) || !Uid.isValid(sopClassUid)) {
      return this; // as in study(String): not a stored instance's UIDs
    }
    studies
        .computeIfAbsent(studyInstanceUid, k -> new LinkedHashMap<>())
        .merge(sopClassUid, count, Integer::sum);
    return this;
  }

  /** The query keys as received (PHI: the topic is read by the audit service only). */
  public AuditEntry query(String keys) {
    this.query = keys == null || keys.isEmpty() ? null : keys;
    return this;
  }

  /** Where instances went (C-MOVE destination, routing destination). */
  public AuditEntry destination(String aeTitleOrName, String address) {
    this.destination = new Participant(aeTitleOrName, List.of(), aeTitleOrName, address);
    return this;
  }

  /** Where instances went over HTTP (a routing destination's STOW-RS URL): no AE title. */
  public AuditEntry destinationUrl(String url, String host) {
    this.destination = new Participant(url, List.of(), null, host);
    return this;
  }

  /** The outcome; {@code description} says why it failed, without PHI. */
  public AuditEntry outcome(Outcome outcome, String description) {
    this.outcome = outcome;
    this.outcomeDescription = outcome == Outcome.SUCCESS ? null : description;
    return this;
  }

  /** Free text for operators, without PHI. */
  public AuditEntry detail(String detail) {
    this.detail = detail;
    return this;
  }

  public String eventType() {
    return eventType;
  }

  public boolean hasStudies() {
    return !studies.isEmpty();
  }

  /**
   * The record, with a new event id (its identity from now on: the consumer drops repeats). Public
   * for the audit service, which appends its own records to the chain without the spool (ADR 0047);
   * every other service hands entries to {@link AuditLog#record}.
   */
  public AuditRecord toRecord(String service, String defaultTenant) {
    List<StudyRef> studyRefs = new ArrayList<>();
    studies.forEach(
        (uid, classes) -> {
          List<SopClassCount> counts = new ArrayList<>();
          classes.forEach((sop, n) -> counts.add(new SopClassCount(sop, n)));
          studyRefs.add(new StudyRef(uid, accessionNumbers.get(uid), counts));
        });
    Participant requester =
        new Participant(
            caller.subject(),
            List.copyOf(new TreeSet<>(caller.roles())),
            caller.callingAe(),
            caller.sourceAddress());
    return new AuditRecord(
        UUID.randomUUID().toString(),
        occurredAt,
        tenantOf(defaultTenant),
        eventType,
        action,
        outcome,
        caller.subject(),
        caller.sourceAddress(),
        List.copyOf(studies.keySet()),
        detail,
        service,
        channel,
        requester,
        destination,
        patients.isEmpty() ? null : List.copyOf(patients),
        studyRefs.isEmpty() ? null : studyRefs,
        query,
        outcomeDescription);
  }

  private String tenantOf(String defaultTenant) {
    if (tenant != null) {
      return tenant;
    }
    if (caller.tenants().size() == 1) {
      return caller.tenants().iterator().next();
    }
    return defaultTenant;
  }
}
