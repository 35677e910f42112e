package org.strata.ingest.service;

/**
 * Why an instance was not stored, with the status code DIMSE answers and STOW-RS puts in Failure
 * Reason (0008,1197). The catalogue is in docs/conformance.md.
 */
public enum FailureReason {
  /** Something unexpected went wrong while storing. */
  PROCESSING_FAILURE(0x0110),
  /** The SOP Instance UID is known with different content and the policy is to reject. */
  DUPLICATE_SOP_INSTANCE(0x0111),
  /** Object storage or Kafka did not accept the instance: retry later. */
  OUT_OF_RESOURCES(0xA700),
  /** The object is larger than the configured maximum. */
  OBJECT_TOO_LARGE(0xA701),
  /** The instance does not belong where it was sent (a STOW-RS study URL of another study). */
  DATASET_DOES_NOT_MATCH(0xA900),
  /** The bytes are not a parsable DICOM object, or required UIDs are missing or malformed. */
  CANNOT_UNDERSTAND(0xC000);

  private final int code;

  FailureReason(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Failures the sender should retry unchanged. */
  public boolean isTransient() {
    return this == OUT_OF_RESOURCES;
  }
}
