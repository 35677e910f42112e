package org.strata.ingest.service;

import org.strata.dicom.Tag;

/**
 * The outcome for one instance: stored (possibly a duplicate of what was already stored; never
 * coerced, ADR 0019) or failed with a reason. The UIDs are null when the object could not be parsed
 * far enough to know them. {@code eventId} names the InstanceStored event of a newly stored object,
 * so a caller can wait until the index has applied it (read-your-writes). The patient (Patient ID
 * and Issuer of Patient ID as received, null when absent or unparsed) is for the store's audit
 * record only.
 */
public record StoreResult(
    String sopClassUid,
    String sopInstanceUid,
    String studyInstanceUid,
    String seriesInstanceUid,
    FailureReason failure,
    String detail,
    boolean duplicate,
    String eventId,
    String patientId,
    String issuerOfPatientId) {

  /** A result that names no patient (nothing parsed far enough, or a failure of framing). */
  public StoreResult(
      String sopClassUid,
      String sopInstanceUid,
      String studyInstanceUid,
      String seriesInstanceUid,
      FailureReason failure,
      String detail,
      boolean duplicate,
      String eventId) {
    this(
        sopClassUid,
        sopInstanceUid,
        studyInstanceUid,
        seriesInstanceUid,
        failure,
        detail,
        duplicate,
        eventId,
        null,
        null);
  }

  public boolean stored() {
    return failure == null;
  }

  static StoreResult failed(ParsedHeader header, FailureReason reason, String detail) {
    return header == null
        ? new StoreResult(null, null, null, null, reason, detail, false, null)
        : new StoreResult(
            header.sopClassUid(),
            header.sopInstanceUid(),
            header.studyInstanceUid(),
            header.seriesInstanceUid(),
            reason,
            detail,
            false,
            null,
            patientId(header),
            issuerOfPatientId(header));
  }

  /** An instance whose store ended in a defect (reported as a processing failure, 0x0110). */
  public static StoreResult internalFailure() {
    return failed(null, FailureReason.PROCESSING_FAILURE, "internal error while storing");
  }

  /** A part that is not a DICOM object at all. */
  public static StoreResult failedPart(String detail) {
    return new StoreResult(
        null, null, null, null, FailureReason.CANNOT_UNDERSTAND, detail, false, null);
  }

  /**
   * @param eventId the InstanceStored event published for a new object, null for a duplicate
   */
  static StoreResult stored(ParsedHeader header, boolean duplicate, String eventId) {
    return new StoreResult(
        header.sopClassUid(),
        header.sopInstanceUid(),
        header.studyInstanceUid(),
        header.seriesInstanceUid(),
        null,
        null,
        duplicate,
        eventId,
        patientId(header),
        issuerOfPatientId(header));
  }

  private static String patientId(ParsedHeader header) {
    return header.dataset() == null ? null : header.dataset().getString(Tag.PatientID);
  }

  private static String issuerOfPatientId(ParsedHeader header) {
    return header.dataset() == null ? null : header.dataset().getString(Tag.IssuerOfPatientID);
  }
}
