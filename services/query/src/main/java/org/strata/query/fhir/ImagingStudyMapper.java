package org.strata.query.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;

/**
 * An indexed study as a FHIR R4 ImagingStudy: id = StudyInstanceUID (a UID fits FHIR's id syntax),
 * identifiers {@code urn:dicom:uid} and the accession number (type ACSN), subject as a logical
 * reference by the Patient ID and its issuer's system ({@link PatientIdentifiers}), modalities,
 * started in the configured zone, counts, series with their instances, and a contained Endpoint
 * with the DICOMweb base ({@code dicom-wado-rs}).
 */
final class ImagingStudyMapper {
  static final String ENDPOINT_ID = "dicomweb";
  static final String CONNECTION_TYPES =
      "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";
  static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

  private final ZoneId zone;
  private final String dicomwebBase;

  ImagingStudyMapper(ZoneId zone, String dicomwebBase) {
    this.zone = zone;
    this.dicomwebBase = dicomwebBase;
  }

  ImagingStudy map(ImagingStudyRepository.Study st) {
    ImagingStudy s = new ImagingStudy();
    s.setId(st.uid());
    if (st.updatedAt() != null) {
      s.getMeta().setLastUpdated(Date.from(st.updatedAt().toInstant()));
    }
    s.addIdentifier().setSystem(ImagingStudySearch.DICOM_UID).setValue("urn:oid:" + st.uid());
    if (st.accessionNumber() != null && !st.accessionNumber().isBlank()) {
      Identifier acc = s.addIdentifier().setUse(Identifier.IdentifierUse.USUAL);
      acc.getType().addCoding().setSystem(V2_0203).setCode("ACSN");
      acc.setValue(st.accessionNumber());
    }
    s.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    for (String m : st.modalities()) {
      s.addModality(new Coding(ImagingStudySearch.DCM, m, null));
    }
    s.setSubject(
        new Reference()
            .setType("Patient")
            .setIdentifier(
                new Identifier()
                    .setSystem(PatientIdentifiers.system(st.issuer()))
                    .setValue(st.patientId())));
    DateTimeType started = dateTime(st.date(), st.time());
    if (started != null) {
      s.setStartedElement(started);
    }
    s.addEndpoint(new Reference("#" + ENDPOINT_ID));
    s.setNumberOfSeries(st.numberOfSeries());
    s.setNumberOfInstances(st.numberOfInstances());
    if (st.description() != null && !st.description().isBlank()) {
      s.setDescription(st.description());
    }
    for (ImagingStudyRepository.Series se : st.series()) {
      ImagingStudy.ImagingStudySeriesComponent c = s.addSeries().setUid(se.uid());
      if (se.number() != null) {
        c.setNumber(se.number());
      }
      // Modality is required (1..1); OT (Other) when the index has none.
      c.setModality(
          new Coding(
              ImagingStudySearch.DCM,
              se.modality() == null || se.modality().isBlank() ? "OT" : se.modality(),
              null));
      if (se.description() != null && !se.description().isBlank()) {
        c.setDescription(se.description());
      }
      c.setNumberOfInstances(se.numberOfInstances());
      DateTimeType seriesStarted = dateTime(se.startDate(), se.startTime());
      if (seriesStarted != null) {
        c.setStartedElement(seriesStarted);
      }
      for (ImagingStudyRepository.Instance i : se.instances()) {
        ImagingStudy.ImagingStudySeriesInstanceComponent ic =
            c.addInstance()
                .setUid(i.uid())
                .setSopClass(new Coding("urn:ietf:rfc:3986", "urn:oid:" + i.sopClassUid(), null));
        if (i.number() != null) {
          ic.setNumber(i.number());
        }
      }
    }
    s.addContained(endpoint());
    return s;
  }

  /** The DICOMweb base of this deployment as an Endpoint (contained in each study). */
  Endpoint endpoint() {
    Endpoint e = new Endpoint();
    e.setId(ENDPOINT_ID);
    e.setStatus(Endpoint.EndpointStatus.ACTIVE);
    e.setConnectionType(new Coding(CONNECTION_TYPES, "dicom-wado-rs", "DICOM WADO-RS"));
    e.addPayloadType().setText("DICOM");
    e.addPayloadMimeType("application/dicom");
    e.setAddress(dicomwebBase);
    return e;
  }

  /**
   * A date alone keeps day precision; with a time, FHIR requires an offset: the configured zone's
   * at that moment. Seconds precision, milliseconds when the time has a fraction.
   */
  private DateTimeType dateTime(LocalDate date, LocalTime time) {
    if (date == null) {
      return null;
    }
    if (time == null) {
      return new DateTimeType(date.toString());
    }
    var zoned = date.atTime(time).atZone(zone);
    return new DateTimeType(
        Date.from(zoned.toInstant()),
        time.getNano() == 0 ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI,
        TimeZone.getTimeZone(zoned.getOffset()));
  }
}
