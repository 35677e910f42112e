package org.strata.index.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomDates;
import org.strata.dicom.Tag;
import org.strata.dicom.json.DicomJsonReader;
import org.strata.events.InstanceStored;
import org.strata.events.ObjectLocation;

/**
 * What the index keeps of one stored instance, taken from its {@link InstanceStored} event: the
 * event's own fields, and the DICOM JSON attributes it carries for everything else; its compressed
 * WADO-RS metadata, kept as it came (ADR 0045).
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
    ObjectLocation location,
    boolean charactersReplaced,
    byte[] compressedMetadata) {

  private static final Logger LOG = Logger.getLogger(IndexedInstance.class);

  /**
   * @param defaultIssuer the tenant's issuer for patients that arrive without Issuer of Patient ID
   */
  public static IndexedInstance from(InstanceStored event, String defaultIssuer) {
    // Values PostgreSQL cannot hold (a NUL inside a value) are mended in the index's copy only.
    HoldableText holdable = new HoldableText();
    String json = holdable.json(event.attributes());
    Attributes a = attributes(json);
    String patientId = blankToNull(holdable.text(event.patientId()));
    return new IndexedInstance(
        UUID.fromString(event.eventId()),
        event.occurredAt(),
        event.tenant(),
        defaultIssuer,
        // No Patient ID: one patient per study, rather than merging every unidentified study.
        patientId != null ? patientId : "~" + event.studyInstanceUid(),
        firstNonBlank(holdable.text(event.issuerOfPatientId()), defaultIssuer),
        a.getString(Tag.PatientName),
        a.getDate(Tag.PatientBirthDate),
        a.getString(Tag.PatientSex),
        event.studyInstanceUid(),
        DicomDates.parseDate(event.studyDate()),
        a.getTime(Tag.StudyTime),
        blankToNull(holdable.text(event.accessionNumber())),
        a.getString(Tag.StudyID),
        a.getString(Tag.StudyDescription),
        a.getString(Tag.ReferringPhysicianName),
        event.seriesInstanceUid(),
        blankToNull(holdable.text(event.modality())),
        integer(a, Tag.SeriesNumber),
        a.getString(Tag.SeriesDescription),
        a.getString(Tag.BodyPartExamined),
        a.getDate(Tag.PerformedProcedureStepStartDate),
        a.getTime(Tag.PerformedProcedureStepStartTime),
        event.sopInstanceUid(),
        event.sopClassUid(),
        integer(a, Tag.InstanceNumber),
        integer(a, Tag.NumberOfFrames),
        integer(a, Tag.Rows),
        integer(a, Tag.Columns),
        event.transferSyntaxUid(),
        event.version(),
        json,
        event.objectLocation(),
        holdable.replacedAny(),
        event.compressedMetadata());
  }

  /**
   * The event's DICOM JSON attributes; none when absent or unreadable: the instance is then indexed
   * from the event's own fields (its attributes still land in the row as they came).
   */
  private static Attributes attributes(String json) {
    if (json == null) {
      return new Attributes();
    }
    try {
      return DicomJsonReader.parse(json);
    } catch (RuntimeException e) {
      LOG.debugf("attributes of an event not readable as DICOM JSON (%s)", e.getClass().getName());
      return new Attributes();
    }
  }

  /** The first value of an integer attribute (IS, US), null if absent, empty or out of range. */
  private static Integer integer(Attributes a, int tag) {
    long[] values = a.getLongs(tag);
    if (values == null || values.length == 0) {
      return null;
    }
    long v = values[0];
    return v == (int) v ? (int) v : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String firstNonBlank(String a, String b) {
    String first = blankToNull(a);
    return first != null ? first : b;
  }
}
