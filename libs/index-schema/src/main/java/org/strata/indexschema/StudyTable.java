package org.strata.indexschema;

/**
 * {@code study}: one row per study of a tenant, with the QIDO-RS study attributes as typed columns
 * and the aggregates the index keeps in the transaction of each instance.
 */
public final class StudyTable {
  public static final String NAME = "study";
  public static final String PK = "pk";
  public static final String TENANT = "tenant";
  public static final String STUDY_UID = "study_uid";

  /** References {@link PatientTable#PK}. */
  public static final String PATIENT_PK = "patient_pk";

  public static final String STUDY_DATE = "study_date";
  public static final String STUDY_TIME = "study_time";
  public static final String ACCESSION_NUMBER = "accession_number";
  public static final String STUDY_ID = "study_id";
  public static final String STUDY_DESCRIPTION = "study_description";
  public static final String REFERRING_PHYSICIAN = "referring_physician";

  /** {@link PersonNames#normalize} of {@link #REFERRING_PHYSICIAN}. */
  public static final String REFERRING_PHYSICIAN_NORM = "referring_physician_norm";

  public static final String NUMBER_OF_SERIES = "number_of_series";
  public static final String NUMBER_OF_INSTANCES = "number_of_instances";

  /** {@code text[]}, GIN-indexed. */
  public static final String MODALITIES_IN_STUDY = "modalities_in_study";

  /** {@code text[]}. */
  public static final String SOP_CLASSES_IN_STUDY = "sop_classes_in_study";

  /**
   * {@code text[]}, GIN-indexed: the study's access labels (departments of its tenant, ADR 0025),
   * the union of its instances'.
   */
  public static final String ACCESS_LABELS = "access_labels";

  public static final String UPDATED_AT = "updated_at";

  private StudyTable() {}

  /**
   * {@code " order by"} newest study first, undated last, then newest indexed: the order QIDO-RS
   * and FHIR list studies in, served by the index {@code study_date_newest_first_idx} (a date range
   * page stops after its rows instead of sorting the range).
   *
   * @param alias the alias of {@code study} in the query
   */
  public static String newestFirst(String alias) {
    return " order by "
        + alias
        + "."
        + STUDY_DATE
        + " desc nulls last, "
        + alias
        + "."
        + STUDY_TIME
        + " desc nulls last, "
        + alias
        + "."
        + PK
        + " desc";
  }
}
