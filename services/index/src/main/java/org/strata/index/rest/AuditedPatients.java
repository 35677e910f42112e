package org.strata.index.rest;

import jakarta.enterprise.context.RequestScoped;
import java.util.ArrayList;
import java.util.List;
import org.strata.audit.AuditEntry;
import org.strata.events.PatientLinksChanged.PatientRef;

/**
 * The patients the current admin request touched, which only its endpoint knows (a link's members,
 * a deleted study's patient), for {@link AccessAuditFilter} to name in the request's audit record.
 */
@RequestScoped
public class AuditedPatients {
  private final List<PatientRef> patients = new ArrayList<>();

  /** Patients touched (a link's members, as the index holds them). */
  public void patients(List<PatientRef> touched) {
    patients.addAll(touched);
  }

  /** One patient touched or asked for; the issuer may be null. */
  public void patient(String tenant, String patientId, String issuer) {
    patients.add(new PatientRef(tenant, patientId, issuer));
  }

  void addTo(AuditEntry entry) {
    for (PatientRef p : patients) {
      entry.patient(p.patientId(), p.issuer());
    }
  }
}
