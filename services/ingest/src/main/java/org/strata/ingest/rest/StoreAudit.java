package org.strata.ingest.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.strata.audit.AuditEntry;
import org.strata.http.auth.CallerIdentity;
import org.strata.ingest.service.StoreResult;

/**
 * The audit entries of a store (a STOW-RS request, a C-STORE association): one per study, with the
 * instances stored per SOP class. Duplicates count (the caller sent them; nothing new was kept, the
 * record says they arrived); failed instances do not. Each names its patient as the stored header
 * gave it (Patient ID, Issuer of Patient ID as received).
 */
public final class StoreAudit {
  private StoreAudit() {}

  public static List<AuditEntry> perStudy(
      CallerIdentity caller, String channel, String tenant, List<StoreResult> results) {
    Map<String, AuditEntry> byStudy = new LinkedHashMap<>();
    for (StoreResult r : results) {
      if (!r.stored() || r.studyInstanceUid() == null || r.sopClassUid() == null) {
        continue;
      }
      byStudy
          .computeIfAbsent(
              r.studyInstanceUid(), s -> AuditEntry.store(caller, channel).tenant(tenant))
          .instances(r.studyInstanceUid(), r.sopClassUid(), 1)
          .patient(r.patientId(), r.issuerOfPatientId());
    }
    return new ArrayList<>(byStudy.values());
  }
}
