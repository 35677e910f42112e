package org.strata.indexschema;

/** {@code patient}: one row per patient identity (Patient ID and issuer) of a tenant. */
public final class PatientTable {
  public static final String NAME = "patient";
  public static final String PK = "pk";
  public static final String TENANT = "tenant";
  public static final String PATIENT_ID = "patient_id";

  /** The issuer as received, else the tenant's default issuer (the index's patient rules). */
  public static final String ISSUER = "issuer";

  /** PN as received, all three component groups. */
  public static final String PATIENT_NAME = "patient_name";

  /** {@link PersonNames#normalize} of {@link #PATIENT_NAME}: what name matching compares. */
  public static final String PATIENT_NAME_NORM = "patient_name_norm";

  public static final String BIRTH_DATE = "birth_date";
  public static final String SEX = "sex";

  private PatientTable() {}
}
