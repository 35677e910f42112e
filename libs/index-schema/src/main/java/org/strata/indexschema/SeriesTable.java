package org.strata.indexschema;

/** {@code series}: one row per series of a tenant. */
public final class SeriesTable {
  public static final String NAME = "series";
  public static final String PK = "pk";
  public static final String TENANT = "tenant";

  /** References {@link StudyTable#PK}. */
  public static final String STUDY_PK = "study_pk";

  public static final String SERIES_UID = "series_uid";
  public static final String MODALITY = "modality";
  public static final String SERIES_NUMBER = "series_number";
  public static final String SERIES_DESCRIPTION = "series_description";
  public static final String BODY_PART_EXAMINED = "body_part_examined";
  public static final String PPS_START_DATE = "performed_procedure_step_start_date";
  public static final String PPS_START_TIME = "performed_procedure_step_start_time";
  public static final String NUMBER_OF_INSTANCES = "number_of_instances";

  private SeriesTable() {}

  /**
   * {@code "a.series_number nulls last, a.pk"}: series by number, unnumbered last, then as indexed
   * (the order QIDO-RS, WADO-RS and the DIMSE retrieves list them in).
   */
  public static String byNumber(String alias) {
    return alias + "." + SERIES_NUMBER + " nulls last, " + alias + "." + PK;
  }
}
