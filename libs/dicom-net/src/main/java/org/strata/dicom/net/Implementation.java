package org.strata.dicom.net;

/** Our implementation identification, sent in every A-ASSOCIATE-RQ/AC. */
public final class Implementation {
  /** Implementation Class UID: a UUID-derived UID (2.25, PS3.5 B.2). */
  public static final String CLASS_UID = "2.25.97524651290903892787621960421491751537";

  /** Implementation Version Name (at most 16 characters). */
  public static final String VERSION_NAME = "STRATA_010";

  /** Application context name of DICOM (PS3.7 A.2.1). */
  public static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

  private Implementation() {}
}
