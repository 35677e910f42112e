package org.strata.indexschema;

/**
 * The joins of the index hierarchy (patient, study, series, instance, object location), each table
 * by its parent's primary key, as SQL fragments {@code " join <table> <alias> on ..."} for readers
 * that name their aliases. Tenant conditions are the caller's: every reader filters each table by
 * {@code tenant} (the leading column of the natural keys).
 */
public final class IndexJoins {
  private IndexJoins() {}

  /** The patient of study {@code study}. */
  public static String patientOfStudy(String patient, String study) {
    return join(PatientTable.NAME, patient, PatientTable.PK, study, StudyTable.PATIENT_PK);
  }

  /** The study of series {@code series}. */
  public static String studyOfSeries(String study, String series) {
    return join(StudyTable.NAME, study, StudyTable.PK, series, SeriesTable.STUDY_PK);
  }

  /** The series of study {@code study}. */
  public static String seriesOfStudy(String series, String study) {
    return join(SeriesTable.NAME, series, SeriesTable.STUDY_PK, study, StudyTable.PK);
  }

  /** The series of instance {@code instance}. */
  public static String seriesOfInstance(String series, String instance) {
    return join(SeriesTable.NAME, series, SeriesTable.PK, instance, InstanceTable.SERIES_PK);
  }

  /** The instances of series {@code series}. */
  public static String instancesOfSeries(String instance, String series) {
    return join(InstanceTable.NAME, instance, InstanceTable.SERIES_PK, series, SeriesTable.PK);
  }

  /** The object location of instance {@code instance} (none: not retrievable). */
  public static String locationOfInstance(String location, String instance) {
    return join(
        ObjectLocationTable.NAME,
        location,
        ObjectLocationTable.INSTANCE_PK,
        instance,
        InstanceTable.PK);
  }

  /**
   * The compressed metadata of instance {@code instance} (ADR 0045), as a left join: instances
   * without a row have their metadata in the sidecar only.
   */
  public static String metadataOfInstance(String metadata, String instance) {
    return " left"
        + join(
            InstanceMetadataTable.NAME,
            metadata,
            InstanceMetadataTable.INSTANCE_PK,
            instance,
            InstanceTable.PK);
  }

  /** {@code "a.x, a.y, ..."}: columns of one alias, for select lists. */
  public static String columns(String alias, String... columns) {
    StringBuilder s = new StringBuilder();
    for (String c : columns) {
      if (!s.isEmpty()) {
        s.append(", ");
      }
      s.append(alias).append('.').append(c);
    }
    return s.toString();
  }

  private static String join(
      String table, String alias, String column, String otherAlias, String otherColumn) {
    return " join "
        + table
        + " "
        + alias
        + " on "
        + alias
        + "."
        + column
        + " = "
        + otherAlias
        + "."
        + otherColumn;
  }
}
