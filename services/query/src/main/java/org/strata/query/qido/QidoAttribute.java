package org.strata.query.qido;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;

/**
 * The attributes the index keeps in columns: how each is matched (its SQL expression and kind) and
 * from which result column it is returned. Every SQL expression here is a constant; request values
 * only ever reach the database as bind parameters (see {@link Sql}).
 *
 * @param level the level the attribute belongs to (a study attribute is matchable at every level)
 * @param column the result column it is read from (see {@link QidoQuery}), null if computed
 * @param match the SQL expression matched against, null for return-only attributes
 */
public record QidoAttribute(
    int tag, String keyword, VR vr, Level level, Kind kind, String column, String match) {

  /** How a query value is matched. */
  public enum Kind {
    /** Single value or UID list matching (comma or backslash separated). */
    UID,
    /** Single value (case-sensitive) or wildcard matching. */
    TEXT,
    /** Person name: case- and accent-insensitive on the normalised column, wildcards, fuzzy. */
    PERSON_NAME,
    /** DA: single value or range. */
    DATE,
    /** TM: single value (to its precision) or range. */
    TIME,
    /** IS: single integer value. */
    INTEGER,
    /** CS with list matching (any of the values) or wildcard: Modality. */
    CODE,
    /** A text[] column holding several codes (ModalitiesInStudy): any of the values, wildcard. */
    CODE_ARRAY,
    /** Returned, not matchable. */
    RETURN_ONLY
  }

  private static final Map<Integer, QidoAttribute> BY_TAG = new LinkedHashMap<>();

  static {
    // Study level (with the patient), PS3.18 Table 10.6.1-5 and 10.6.3-3.
    add(Tag.StudyDate, "StudyDate", VR.DA, Level.STUDY, Kind.DATE, "study_date", "st.study_date");
    add(Tag.StudyTime, "StudyTime", VR.TM, Level.STUDY, Kind.TIME, "study_time", "st.study_time");
    add(
        Tag.AccessionNumber,
        "AccessionNumber",
        VR.SH,
        Level.STUDY,
        Kind.TEXT,
        "accession_number",
        "st.accession_number");
    add(
        Tag.ModalitiesInStudy,
        "ModalitiesInStudy",
        VR.CS,
        Level.STUDY,
        Kind.CODE_ARRAY,
        "modalities_in_study",
        "st.modalities_in_study");
    add(
        Tag.ReferringPhysicianName,
        "ReferringPhysicianName",
        VR.PN,
        Level.STUDY,
        Kind.PERSON_NAME,
        "referring_physician",
        "st.referring_physician_norm");
    add(
        Tag.PatientName,
        "PatientName",
        VR.PN,
        Level.STUDY,
        Kind.PERSON_NAME,
        "patient_name",
        "p.patient_name_norm");
    add(Tag.PatientID, "PatientID", VR.LO, Level.STUDY, Kind.TEXT, "patient_id", "p.patient_id");
    // The index's issuer: as received, else the tenant's default (patient rules, services/index).
    add(
        Tag.IssuerOfPatientID,
        "IssuerOfPatientID",
        VR.LO,
        Level.STUDY,
        Kind.TEXT,
        "issuer",
        "p.issuer");
    add(
        Tag.StudyInstanceUID,
        "StudyInstanceUID",
        VR.UI,
        Level.STUDY,
        Kind.UID,
        "study_uid",
        "st.study_uid");
    add(Tag.StudyID, "StudyID", VR.SH, Level.STUDY, Kind.TEXT, "study_id", "st.study_id");
    // Beyond the required keys: columns the index has anyway, asked for by viewers (OHIF).
    add(
        Tag.StudyDescription,
        "StudyDescription",
        VR.LO,
        Level.STUDY,
        Kind.TEXT,
        "study_description",
        "st.study_description");
    add(
        Tag.PatientBirthDate,
        "PatientBirthDate",
        VR.DA,
        Level.STUDY,
        Kind.DATE,
        "birth_date",
        "p.birth_date");
    add(Tag.PatientSex, "PatientSex", VR.CS, Level.STUDY, Kind.TEXT, "sex", "p.sex");
    add(
        Tag.NumberOfStudyRelatedSeries,
        "NumberOfStudyRelatedSeries",
        VR.IS,
        Level.STUDY,
        Kind.RETURN_ONLY,
        "number_of_series",
        null);
    add(
        Tag.NumberOfStudyRelatedInstances,
        "NumberOfStudyRelatedInstances",
        VR.IS,
        Level.STUDY,
        Kind.RETURN_ONLY,
        "number_of_instances",
        null);
    add(
        Tag.SOPClassesInStudy,
        "SOPClassesInStudy",
        VR.UI,
        Level.STUDY,
        Kind.RETURN_ONLY,
        "sop_classes_in_study",
        null);

    // Series level, PS3.18 Table 10.6.1-5 and 10.6.3-4.
    add(Tag.Modality, "Modality", VR.CS, Level.SERIES, Kind.CODE, "modality", "s.modality");
    add(
        Tag.SeriesInstanceUID,
        "SeriesInstanceUID",
        VR.UI,
        Level.SERIES,
        Kind.UID,
        "series_uid",
        "s.series_uid");
    add(
        Tag.SeriesNumber,
        "SeriesNumber",
        VR.IS,
        Level.SERIES,
        Kind.INTEGER,
        "series_number",
        "s.series_number");
    add(
        Tag.PerformedProcedureStepStartDate,
        "PerformedProcedureStepStartDate",
        VR.DA,
        Level.SERIES,
        Kind.DATE,
        "pps_start_date",
        "s.performed_procedure_step_start_date");
    add(
        Tag.PerformedProcedureStepStartTime,
        "PerformedProcedureStepStartTime",
        VR.TM,
        Level.SERIES,
        Kind.TIME,
        "pps_start_time",
        "s.performed_procedure_step_start_time");
    add(
        Tag.SeriesDescription,
        "SeriesDescription",
        VR.LO,
        Level.SERIES,
        Kind.TEXT,
        "series_description",
        "s.series_description");
    add(
        Tag.BodyPartExamined,
        "BodyPartExamined",
        VR.CS,
        Level.SERIES,
        Kind.TEXT,
        "body_part_examined",
        "s.body_part_examined");
    add(
        Tag.NumberOfSeriesRelatedInstances,
        "NumberOfSeriesRelatedInstances",
        VR.IS,
        Level.SERIES,
        Kind.RETURN_ONLY,
        "series_instances",
        null);

    // Instance level, PS3.18 Table 10.6.1-5 and 10.6.3-5.
    add(
        Tag.SOPClassUID,
        "SOPClassUID",
        VR.UI,
        Level.INSTANCE,
        Kind.UID,
        "sop_class_uid",
        "i.sop_class_uid");
    add(
        Tag.SOPInstanceUID,
        "SOPInstanceUID",
        VR.UI,
        Level.INSTANCE,
        Kind.UID,
        "sop_instance_uid",
        "i.sop_instance_uid");
    add(
        Tag.InstanceNumber,
        "InstanceNumber",
        VR.IS,
        Level.INSTANCE,
        Kind.INTEGER,
        "instance_number",
        "i.instance_number");
    add(
        Tag.NumberOfFrames,
        "NumberOfFrames",
        VR.IS,
        Level.INSTANCE,
        Kind.RETURN_ONLY,
        "number_of_frames",
        null);
    add(Tag.Rows, "Rows", VR.US, Level.INSTANCE, Kind.RETURN_ONLY, "pixel_rows", null);
    add(Tag.Columns, "Columns", VR.US, Level.INSTANCE, Kind.RETURN_ONLY, "pixel_columns", null);
  }

  private static void add(
      int tag, String keyword, VR vr, Level level, Kind kind, String column, String match) {
    BY_TAG.put(tag, new QidoAttribute(tag, keyword, vr, level, kind, column, match));
  }

  /** The column-backed attribute with this tag, or null. */
  static QidoAttribute of(int tag) {
    return BY_TAG.get(tag);
  }

  /** Every column-backed attribute, in registration order. */
  static List<QidoAttribute> all() {
    return List.copyOf(BY_TAG.values());
  }

  boolean matchable() {
    return kind != Kind.RETURN_ONLY;
  }

  /** The same attribute matched on {@code expression} instead (another alias of its table). */
  QidoAttribute on(String expression) {
    return new QidoAttribute(tag, keyword, vr, level, kind, column, expression);
  }
}
