package org.strata.query.rest;

import jakarta.enterprise.context.RequestScoped;
import java.util.ArrayList;
import java.util.List;
import org.strata.audit.AuditEntry;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;

/**
 * What the current request touched that only its endpoint knows (the studies and patients a query
 * returned), for {@link AccessAuditFilter} to add to the request's audit record. Endpoints that
 * touch nothing beyond their path need not use it.
 */
@RequestScoped
public class AuditedAccess {
  private final List<Attributes> results = new ArrayList<>();

  /** The data sets answered (QIDO-RS results, C-FIND matches). */
  public void results(List<Attributes> datasets) {
    results.addAll(datasets);
  }

  /** Adds the studies, accession numbers and patients of the results to the entry. */
  void addTo(AuditEntry entry) {
    for (Attributes ds : results) {
      String study = ds.getString(Tag.StudyInstanceUID);
      if (study != null && !study.isEmpty()) {
        entry.study(study, ds.getString(Tag.AccessionNumber));
      }
      entry.patient(ds.getString(Tag.PatientID), ds.getString(Tag.IssuerOfPatientID));
    }
  }
}
