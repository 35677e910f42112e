package org.strata.index.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.UUID;
import org.strata.events.InstanceStored;
import org.strata.events.ObjectLocation;

/**
 * What the index keeps of one stored instance, taken from its {@link InstanceStored} event: the
 * event's own fields, and the DICOM JSON attributes it carries for everything else.
 */
public record IndexedInstance(
    UUID eventId,
    Instant occurredAt,
    String tenant,
    String defaultIssuer,
    String patientId,
    String issuerOfPatientId,
    String patientName,
    LocalDate patientBirthDate,
    String patientSex,
    String studyUid,
    LocalDate studyDate,
    LocalTime studyTime,
    String accessionNumber,
    String studyId,
    String studyDescription,
    String referringPhysician,
    String seriesUid,
    String modality,
    Integer seriesNumber,
    String seriesDescription,
    String bodyPartExamined,
    LocalDate ppsStartDate,
    LocalTime ppsStartTime,
    String sopInstanceUid,
    String sopClassUid,
    Integer instanceNumber,
    Integer numberOfFrames,
    Integer rows,
    Integer columns,
    String transferSyntaxUid,
    int version,
    String attributesJson,
    ObjectLocation location) {

  // Tags read from the event's attributes (PS3.6); dicom-core's generated Tag class will replace
  // these once the services depend on it.
  private static final int PATIENT_NAME = 0x00100010;
  private static final int PATIENT_BIRTH_DATE = 0x00100030;
  private static final int PATIENT_SEX = 0x00100040;
  private static final int STUDY_TIME = 0x00080030;
  private static final int STUDY_ID = 0x00200010;
  private static final int STUDY_DESCRIPTION = 0x00081030;
  private static final int REFERRING_PHYSICIAN = 0x00080090;
  private static final int SERIES_NUMBER = 0x00200011;
  private static final int SERIES_DESCRIPTION = 0x0008103E;
  private static final int BODY_PART = 0x00180015;
  private static final int PPS_START_DATE = 0x00400244;
  private static final int PPS_START_TIME = 0x00400245;
  private static final int INSTANCE_NUMBER = 0x00200013;
  private static final int NUMBER_OF_FRAMES = 0x00280008;
  private static final int ROWS = 0x00280010;
  private static final int COLUMNS = 0x00280011;

  /**
   * @param defaultIssuer the tenant's issuer for patients that arrive without Issuer of Patient ID
   */
  public static IndexedInstance from(InstanceStored event, String defaultIssuer) {
    DicomJson a = new DicomJson(event.attributes());
    String patientId = blankToNull(event.patientId());
    return new IndexedInstance(
        UUID.fromString(event.eventId()),
        event.occurredAt(),
        event.tenant(),
        defaultIssuer,
        // No Patient ID: one patient per study, rather than merging every unidentified study.
        patientId != null ? patientId : "~" + event.studyInstanceUid(),
        firstNonBlank(event.issuerOfPatientId(), defaultIssuer),
        a.personName(PATIENT_NAME),
        DicomValues.date(a.string(PATIENT_BIRTH_DATE)),
        a.string(PATIENT_SEX),
        event.studyInstanceUid(),
        DicomValues.date(event.studyDate()),
        DicomValues.time(a.string(STUDY_TIME)),
        blankToNull(event.accessionNumber()),
        a.string(STUDY_ID),
        a.string(STUDY_DESCRIPTION),
        a.personName(REFERRING_PHYSICIAN),
        event.seriesInstanceUid(),
        blankToNull(event.modality()),
        DicomValues.integer(a.string(SERIES_NUMBER)),
        a.string(SERIES_DESCRIPTION),
        a.string(BODY_PART),
        DicomValues.date(a.string(PPS_START_DATE)),
        DicomValues.time(a.string(PPS_START_TIME)),
        event.sopInstanceUid(),
        event.sopClassUid(),
        DicomValues.integer(a.string(INSTANCE_NUMBER)),
        DicomValues.integer(a.string(NUMBER_OF_FRAMES)),
        DicomValues.integer(a.string(ROWS)),
        DicomValues.integer(a.string(COLUMNS)),
        event.transferSyntaxUid(),
        event.version(),
        event.attributes() == null ? null : event.attributes().toString(),
        event.objectLocation());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String firstNonBlank(String a, String b) {
    String first = blankToNull(a);
    return first != null ? first : b;
  }
}
