package org.strata.indexschema;

/**
 * {@code patient_link_member}: the patients known to be one person (ADR 0012); a patient is in at
 * most one link.
 */
public final class PatientLinkMemberTable {
  public static final String NAME = "patient_link_member";

  /** Primary key, references {@link PatientTable#PK}. */
  public static final String PATIENT_PK = "patient_pk";

  /** {@code uuid}, indexed: the patients of one link share it. */
  public static final String LINK_ID = "link_id";

  private PatientLinkMemberTable() {}
}
