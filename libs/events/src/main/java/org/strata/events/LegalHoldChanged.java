package org.strata.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A legal hold on a study or on a patient was placed or lifted (storage-tiering's admin API). The
 * state after the change, not a delta: the topic is compacted by {@link #holdKey()}, so the latest
 * event of a hold is its state and index, which refuses to delete a held study (ADR 0043), can
 * rebuild its copy from the topic alone.
 *
 * @param studyInstanceUid the held study, or null for a patient hold
 * @param patientId the held patient (Patient ID), or null for a study hold; PHI
 * @param issuerOfPatientId the patient's issuer; null holds the ID under every issuer
 * @param inForce true once placed, false once lifted
 * @param reason why it was placed (the operator's text; required while in force)
 * @param changedBy who placed or lifted it
 */
public record LegalHoldChanged(
    String eventId,
    Instant occurredAt,
    String tenant,
    String studyInstanceUid,
    String patientId,
    String issuerOfPatientId,
    boolean inForce,
    String reason,
    String changedBy)
    implements StrataEvent {

  public static final int SCHEMA_VERSION = 1;

  public LegalHoldChanged {
    Require.uuid(eventId, "eventId");
    Require.nonNull(occurredAt, "occurredAt");
    Require.tenant(tenant, "tenant");
    if ((studyInstanceUid == null) == (patientId == null)) {
      throw new IllegalArgumentException("a hold names either a study or a patient");
    }
    if (studyInstanceUid != null) {
      Require.uid(studyInstanceUid, "studyInstanceUid");
      Require.absent(issuerOfPatientId, "issuerOfPatientId", "a study hold names no patient");
    } else {
      Require.nonBlank(patientId, "patientId");
    }
    if (inForce) {
      Require.nonBlank(reason, "reason");
    }
    Require.nonBlank(changedBy, "changedBy");
  }

  /** A study hold. */
  public static LegalHoldChanged ofStudy(
      String eventId,
      Instant at,
      String tenant,
      String study,
      boolean inForce,
      String reason,
      String by) {
    return new LegalHoldChanged(eventId, at, tenant, study, null, null, inForce, reason, by);
  }

  /** A patient hold ({@code issuer} null: every issuer). */
  public static LegalHoldChanged ofPatient(
      String eventId,
      Instant at,
      String tenant,
      String patientId,
      String issuer,
      boolean inForce,
      String reason,
      String by) {
    return new LegalHoldChanged(eventId, at, tenant, null, patientId, issuer, inForce, reason, by);
  }

  /**
   * The hold's identity, the record key of the compacted topic: {@code <tenant>/study/<uid>}, or
   * {@code <tenant>/patient/<sha-256 of issuer and ID>} so that no Patient ID is in a key.
   */
  public String holdKey() {
    if (studyInstanceUid != null) {
      return tenant + "/study/" + studyInstanceUid;
    }
    String patient = (issuerOfPatientId == null ? "" : issuerOfPatientId) + "\\" + patientId;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(patient.getBytes(StandardCharsets.UTF_8));
      return tenant + "/patient/" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
