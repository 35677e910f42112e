package org.strata.query.qido;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;
import org.strata.indexschema.InstanceTable;
import org.strata.indexschema.PatientTable;
import org.strata.indexschema.SeriesTable;
import org.strata.indexschema.StudyTable;

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
    add(
        Tag.StudyDate,
        "StudyDate",
        VR.DA,
        Level.STUDY,
        Kind.DATE,
        StudyTable.STUDY_DATE,
        "st." + StudyTable.STUDY_DATE);
    add(
        Tag.StudyTime,
        "StudyTime",
        VR.TM,
        Level.STUDY,
        Kind.TIME,
        StudyTable.STUDY_TIME,
        "st." + StudyTable.STUDY_TIME);
    add(
        Tag.AccessionNumber,
        "AccessionNumber",
        VR.SH,
        Level.STUDY,
        Kind.TEXT,
        StudyTable.ACCESSION_NUMBER,
        "st." + StudyTable.ACCESSION_NUMBER);
    add(
        Tag.ModalitiesInStudy,
        "ModalitiesInStudy",
        VR.CS,
        Level.STUDY,
        Kind.CODE_ARRAY,
        StudyTable.MODALITIES_IN_STUDY,
        "st." + StudyTable.MODALITIES_IN_STUDY);
    add(
        Tag.ReferringPhysicianName,
        "ReferringPhysicianName",
        VR.PN,
        Level.STUDY,
        Kind.PERSON_NAME,
        StudyTable.REFERRING_PHYSICIAN,
        "st." + StudyTable.REFERRING_PHYSICIAN_NORM);
    add(
        Tag.PatientName,
        "PatientName",
        VR.PN,
        Level.STUDY,
        Kind.PERSON_NAME,
        PatientTable.PATIENT_NAME,
        "p." + PatientTable.PATIENT_NAME_NORM);
    add(
        Tag.PatientID,
        "PatientID",
        VR.LO,
        Level.STUDY,
        Kind.TEXT,
        PatientTable.PATIENT_ID,
        "p." + PatientTable.PATIENT_ID);
    // The index's issuer: as received, else the tenant's default (patient rules, services/index).
    add(
        Tag.IssuerOfPatientID,
        "IssuerOfPatientID",
        VR.LO,
        Level.STUDY,
        Kind.TEXT,
        PatientTable.ISSUER,
        "p." + PatientTable.ISSUER);
    add(
        Tag.StudyInstanceUID,
        "StudyInstanceUID",
        VR.UI,
        Level.STUDY,
        Kind.UID,
        StudyTable.STUDY_UID,
        "st." + StudyTable.STUDY_UID);
    add(
        Tag.StudyID,
        "StudyID",
        VR.SH,
        Level.STUDY,
        Kind.TEXT,
        StudyTable.STUDY_ID,
        "st." + StudyTable.STUDY_ID);
    // Beyond the required keys: columns the index has anyway, asked for by viewers (OHIF).
    add(
        Tag.StudyDescription,
        "StudyDescription",
        VR.LO,
        Level.STUDY,
        Kind.TEXT,
        StudyTable.STUDY_DESCRIPTION,
        "st." + StudyTable.STUDY_DESCRIPTION);
    add(
        Tag.PatientBirthDate,
        "PatientBirthDate",
        VR.DA,
        Level.STUDY,
        Kind.DATE,
        PatientTable.BIRTH_DATE,
        "p." + PatientTable.BIRTH_DATE);
    add(
        Tag.PatientSex,
        "PatientSex",
        VR.CS,
        Level.STUDY,
        Kind.TEXT,
        PatientTable.SEX,
        "p." + PatientTable.SEX);
    add(
        Tag.NumberOfStudyRelatedSeries,
        "NumberOfStudyRelatedSeries",
        VR.IS,
        Level.STUDY,
        Kind.RETURN_ONLY,
        StudyTable.NUMBER_OF_SERIES,
        null);
    add(
        Tag.NumberOfStudyRelatedInstances,
        "NumberOfStudyRelatedInstances",
        VR.IS,
        Level.STUDY,
        Kind.RETURN_ONLY,
        StudyTable.NUMBER_OF_INSTANCES,
        null);
    add(
        Tag.SOPClassesInStudy,
        "SOPClassesInStudy",
        VR.UI,
        Level.STUDY,
        Kind.RETURN_ONLY,
        StudyTable.SOP_CLASSES_IN_STUDY,
        null);

    // Series level, PS3.18 Table 10.6.1-5 and 10.6.3-4.
    add(
        Tag.Modality,
        "Modality",
        VR.CS,
        Level.SERIES,
        Kind.CODE,
        SeriesTable.MODALITY,
        "s." + SeriesTable.MODALITY);
    add(
        Tag.SeriesInstanceUID,
        "SeriesInstanceUID",
        VR.UI,
        Level.SERIES,
        Kind.UID,
        SeriesTable.SERIES_UID,
        "s." + SeriesTable.SERIES_UID);
    add(
        Tag.SeriesNumber,
        "SeriesNumber",
        VR.IS,
        Level.SERIES,
        Kind.INTEGER,
        SeriesTable.SERIES_NUMBER,
        "s." + SeriesTable.SERIES_NUMBER);
    add(
        Tag.PerformedProcedureStepStartDate,
        "PerformedProcedureStepStartDate",
        VR.DA,
        Level.SERIES,
        Kind.DATE,
        "pps_start_date",
        "s." + SeriesTable.PPS_START_DATE);
    add(
        Tag.PerformedProcedureStepStartTime,
        "PerformedProcedureStepStartTime",
        VR.TM,
        Level.SERIES,
        Kind.TIME,
        "pps_start_time",
        "s." + SeriesTable.PPS_START_TIME);
    add(
        Tag.SeriesDescription,
        "SeriesDescription",
        VR.LO,
        Level.SERIES,
        Kind.TEXT,
        SeriesTable.SERIES_DESCRIPTION,
        "s." + SeriesTable.SERIES_DESCRIPTION);
    add(
        Tag.BodyPartExamined,
        "BodyPartExamined",
        VR.CS,
        Level.SERIES,
        Kind.TEXT,
        SeriesTable.BODY_PART_EXAMINED,
        "s." + SeriesTable.BODY_PART_EXAMINED);
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
        InstanceTable.SOP_CLASS_UID,
        "i." + InstanceTable.SOP_CLASS_UID);
    add(
        Tag.SOPInstanceUID,
        "SOPInstanceUID",
        VR.UI,
        Level.INSTANCE,
        Kind.UID,
        InstanceTable.SOP_INSTANCE_UID,
        "i." + InstanceTable.SOP_INSTANCE_UID);
    add(
        Tag.InstanceNumber,
        "InstanceNumber",
        VR.IS,
        Level.INSTANCE,
        Kind.INTEGER,
        InstanceTable.INSTANCE_NUMBER,
        "i." + InstanceTable.INSTANCE_NUMBER);
    add(
        Tag.NumberOfFrames,
        "NumberOfFrames",
        VR.IS,
        Level.INSTANCE,
        Kind.RETURN_ONLY,
        InstanceTable.NUMBER_OF_FRAMES,
        null);
    add(Tag.Rows, "Rows", VR.US, Level.INSTANCE, Kind.RETURN_ONLY, InstanceTable.PIXEL_ROWS, null);
    add(
        Tag.Columns,
        "Columns",
        VR.US,
        Level.INSTANCE,
        Kind.RETURN_ONLY,
        InstanceTable.PIXEL_COLUMNS,
        null);
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
