package org.strata.index.service;

/**
 * A deletion refused: a legal hold is in force on the study (ADR 0043). It carries the study's
 * patient, so that the refusal's audit record names whose data an admin tried to delete.
 */
public class StudyHeldException extends RuntimeException {
  private final String holdReason;
  private final String patientId;
  private final String issuer;

  /** {@code patientId} null when the index has nothing in the request's scope. */
  public StudyHeldException(String holdReason, String patientId, String issuer) {
    super("the study is under a legal hold", null, false, false);
    this.holdReason = holdReason;
    this.patientId = patientId;
    this.issuer = issuer;
  }

  /** The hold's reason, as whoever placed it gave it. */
  public String holdReason() {
    return holdReason;
  }

  /** The Patient ID of the held study, or null. */
  public String patientId() {
    return patientId;
  }

  /** The Patient ID's issuer, or null. */
  public String issuer() {
    return issuer;
  }
}
