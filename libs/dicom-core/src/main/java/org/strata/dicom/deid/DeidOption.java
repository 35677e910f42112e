package org.strata.dicom.deid;

import java.util.Locale;

/**
 * The options of the Basic Application Level Confidentiality Profile this engine implements, each
 * with its table column and its code of PS3.16 CID 7050 (De-identification Method), scheme DCM.
 *
 * <p>Not implemented, so not offered: Retain Safe Private (private attributes are always removed),
 * Retain Longitudinal Temporal Information with Modified Dates (no date shifting), Clean Structured
 * Content, Clean Graphics, Clean Pixel Data and Clean Recognizable Visual Features.
 */
public enum DeidOption {
  RETAIN_LONGITUDINAL_FULL_DATES(
      ProfileColumn.RETAIN_LONGITUDINAL_FULL_DATES,
      "113106",
      "Retain Longitudinal Temporal Information Full Dates Option"),
  RETAIN_PATIENT_CHARACTERISTICS(
      ProfileColumn.RETAIN_PATIENT_CHARACTERISTICS,
      "113108",
      "Retain Patient Characteristics Option"),
  RETAIN_DEVICE_IDENTITY(
      ProfileColumn.RETAIN_DEVICE_IDENTITY, "113109", "Retain Device Identity Option"),
  RETAIN_UIDS(ProfileColumn.RETAIN_UIDS, "113110", "Retain UIDs Option"),
  RETAIN_INSTITUTION_IDENTITY(
      ProfileColumn.RETAIN_INSTITUTION_IDENTITY, "113112", "Retain Institution Identity Option"),
  CLEAN_DESCRIPTORS(ProfileColumn.CLEAN_DESCRIPTORS, "113105", "Clean Descriptors Option");

  /** CID 7050 code of the profile itself. */
  public static final String BASIC_PROFILE_CODE = "113100";

  public static final String BASIC_PROFILE_MEANING = "Basic Application Confidentiality Profile";

  private final ProfileColumn column;
  private final String code;
  private final String meaning;

  DeidOption(ProfileColumn column, String code, String meaning) {
    this.column = column;
    this.code = code;
    this.meaning = meaning;
  }

  public ProfileColumn column() {
    return column;
  }

  public String code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /**
   * The option named in configuration: the enum name in any case, with {@code -} or {@code _} (e.g.
   * {@code retain-patient-characteristics}).
   *
   * @throws IllegalArgumentException for an unknown or unsupported option, naming it
   */
  public static DeidOption parse(String name) {
    if (name == null) {
      throw new IllegalArgumentException("a de-identification option must be named");
    }
    String n = name.strip().replace('-', '_').toUpperCase(Locale.ROOT);
    for (DeidOption o : values()) {
      if (o.name().equals(n)) {
        return o;
      }
    }
    throw new IllegalArgumentException(
        "unknown or unsupported de-identification option '"
            + name
            + "' (supported: retain-longitudinal-full-dates, retain-patient-characteristics,"
            + " retain-device-identity, retain-uids, retain-institution-identity,"
            + " clean-descriptors)");
  }
}
