package org.strata.index.rest;

import jakarta.enterprise.context.RequestScoped;
import java.util.ArrayList;
import java.util.List;
import org.strata.audit.AuditEntry;
import org.strata.events.PatientLinksChanged.PatientRef;

/**
 * The patients the current admin request touched, which only its endpoint knows (a link's members,
 * the patient a request names), for {@link AccessAuditFilter} to name in the request's audit
 * record.
 */
@RequestScoped
public class AuditedPatients {
  /** Patient ID and issuer; the issuer may be null (a patient as asked for, without one). */
  private record Named(String patientId, String issuer) {}

  private final List<Named> patients = new ArrayList<>();

  /** Patients touched (a link's members, as the index holds them). */
  public void patients(List<PatientRef> touched) {
    touched.forEach(p -> patients.add(new Named(p.patientId(), p.issuer())));
  }

  /** One patient touched or asked for; the issuer may be null. */
  public void patient(String patientId, String issuer) {
    patients.add(new Named(patientId, issuer));
  }

  void addTo(AuditEntry entry) {
    for (Named p : patients) {
      entry.patient(p.patientId(), p.issuer());
    }
  }
}
