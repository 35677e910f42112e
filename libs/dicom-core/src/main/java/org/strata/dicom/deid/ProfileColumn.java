package org.strata.dicom.deid;

/**
 * The action columns of PS3.15 Table E.1-1, in the order of the resource file's columns: the Basic
 * Profile and the options, each as the header name the resource file gives it.
 */
public enum ProfileColumn {
  BASIC("basic"),
  RETAIN_SAFE_PRIVATE("retainSafePrivate"),
  RETAIN_UIDS("retainUids"),
  RETAIN_DEVICE_IDENTITY("retainDeviceIdentity"),
  RETAIN_INSTITUTION_IDENTITY("retainInstitutionIdentity"),
  RETAIN_PATIENT_CHARACTERISTICS("retainPatientCharacteristics"),
  RETAIN_LONGITUDINAL_FULL_DATES("retainLongitudinalFullDates"),
  RETAIN_LONGITUDINAL_MODIFIED_DATES("retainLongitudinalModifiedDates"),
  CLEAN_DESCRIPTORS("cleanDescriptors"),
  CLEAN_STRUCTURED_CONTENT("cleanStructuredContent"),
  CLEAN_GRAPHICS("cleanGraphics");

  private final String header;

  ProfileColumn(String header) {
    this.header = header;
  }

  /** The column's name in the header line of {@code confidentiality-profile.tsv}. */
  public String header() {
    return header;
  }
}
