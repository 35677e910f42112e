package org.strata.index.rest;

import jakarta.enterprise.context.RequestScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.strata.audit.AuditEntry;
import org.strata.events.PatientLinksChanged.PatientRef;

/**
 * The patients the current admin request touched, which only its endpoint knows (a link's members,
 * the patient a request names), for {@link AccessAuditFilter} to name in the request's audit
 * records: one per tenant whose patients were touched, so that each tenant's auditor sees a link
 * that reaches into its tenant (and no other tenant's patients).
 */
@RequestScoped
public class AuditedPatients {
  /** Tenant (null: the path's), Patient ID and issuer; the issuer may be null (as asked for). */
  private record Named(String tenant, String patientId, String issuer) {}

  private final List<Named> patients = new ArrayList<>();

  /** Patients touched (a link's members, as the index holds them, each with its tenant). */
  public void patients(List<PatientRef> touched) {
    touched.forEach(p -> patients.add(new Named(p.tenant(), p.patientId(), p.issuer())));
  }

  /** One patient of the path's tenant touched or asked for; the issuer may be null. */
  public void patient(String patientId, String issuer) {
    patients.add(new Named(null, patientId, issuer));
  }

  /**
   * The tenants to file the request's record under, the path's first (always, even when no patient
   * was touched), each with the patients of that tenant to name.
   */
  Map<String, List<String[]>> byTenant(String pathTenant) {
    Map<String, List<String[]>> out = new LinkedHashMap<>();
    out.put(pathTenant, new ArrayList<>());
    for (Named p : patients) {
      String tenant = p.tenant() == null ? pathTenant : p.tenant();
      out.computeIfAbsent(tenant, t -> new ArrayList<>())
          .add(new String[] {p.patientId(), p.issuer()});
    }
    return out;
  }

  /** Names every patient touched (for a request without a tenant in its path). */
  void addTo(AuditEntry entry) {
    for (Named p : patients) {
      entry.patient(p.patientId(), p.issuer());
    }
  }
}
