package org.strata.query.rest;

import jakarta.enterprise.context.RequestScoped;
import java.util.ArrayList;
import java.util.List;
import org.strata.audit.AuditEntry;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.events.AuditRecord.PatientRef;
import org.strata.query.wado.InstanceLocator;

/**
 * What the current request touched that only its endpoint knows (the studies and patients a query
 * returned), for {@link AccessAuditFilter} to add to the request's audit record. Endpoints that
 * touch nothing beyond their path need not use it.
 */
@RequestScoped
public class AuditedAccess {
  private final List<Attributes> results = new ArrayList<>();

  /** Patient ID and issuer as read (the issuer may be null); named in the record if an ID. */
  private record Named(String id, String issuer) {}

  private final List<Named> patients = new ArrayList<>();
  private final List<String[]> studies = new ArrayList<>();

  /** The data sets answered (QIDO-RS results, C-FIND matches): their studies are named. */
  public void results(List<Attributes> datasets) {
    results.addAll(datasets);
  }

  /** The patients of the results, with their issuers (from the rows the query read). */
  public void patients(List<PatientRef> found) {
    found.forEach(p -> patients.add(new Named(p.id(), p.issuer())));
  }

  /** The instances a retrieve located: their study's patient is named in the record. */
  public void located(InstanceLocator.Located instances) {
    patients.add(new Named(instances.patientId(), instances.issuer()));
  }

  /** A study answered (a FHIR ImagingStudy) with its accession number and patient. */
  public void study(String uid, String accessionNumber, String patientId, String issuer) {
    studies.add(new String[] {uid, accessionNumber});
    patients.add(new Named(patientId, issuer));
  }

  /** Adds the studies and accession numbers of the results and the patients to the entry. */
  void addTo(AuditEntry entry) {
    for (Attributes ds : results) {
      String study = ds.getString(Tag.StudyInstanceUID);
      if (study != null && !study.isEmpty()) {
        entry.study(study, ds.getString(Tag.AccessionNumber));
      }
    }
    for (String[] study : studies) {
      entry.study(study[0], study[1]);
    }
    for (Named p : patients) {
      // The index's key for a study received without Patient ID names no patient.
      if (p.id() != null && !p.id().isBlank() && !p.id().startsWith("~")) {
        entry.patient(p.id(), p.issuer());
      }
    }
  }
}
