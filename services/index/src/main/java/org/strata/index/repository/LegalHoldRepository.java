package org.strata.index.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import org.hibernate.reactive.mutiny.Mutiny;
import org.strata.events.LegalHoldChanged;

/**
 * The legal holds storage-tiering announces (ADR 0043), kept in index's own {@code legal_hold}: the
 * latest state of each hold, so that index's admin deletes can refuse a held study.
 */
@ApplicationScoped
public class LegalHoldRepository {

  /** Keeps the hold's state unless a newer one is already kept; returns the rows changed. */
  public Uni<Integer> apply(Mutiny.Session s, LegalHoldChanged e) {
    return s.createNativeQuery(
            "insert into legal_hold (hold_key, tenant, study_uid, patient_id, issuer, in_force,"
                + " reason, changed_by, changed_at) values (:key, :tenant, cast(:study as text),"
                + " cast(:patient as text), cast(:issuer as text), :inForce, cast(:reason as"
                + " text), :by, :at) on conflict (hold_key) do update set in_force ="
                + " excluded.in_force, reason = excluded.reason, changed_by = excluded.changed_by,"
                + " changed_at = excluded.changed_at where legal_hold.changed_at <="
                + " excluded.changed_at")
        .setParameter("key", e.holdKey())
        .setParameter("tenant", e.tenant())
        .setParameter("study", e.studyInstanceUid())
        .setParameter("patient", e.patientId())
        .setParameter("issuer", e.issuerOfPatientId())
        .setParameter("inForce", e.inForce())
        .setParameter("reason", e.reason())
        .setParameter("by", e.changedBy())
        .setParameter("at", e.occurredAt().atOffset(ZoneOffset.UTC))
        .executeUpdate();
  }

  /**
   * The reason of a hold in force on the study, its own or its patient's (the Patient ID under the
   * hold's issuer, or under any issuer when the hold names none); null when it is not held.
   */
  public Uni<String> reasonHolding(Mutiny.Session s, String tenant, String study) {
    return s.createNativeQuery(
            "select h.reason from legal_hold h where h.tenant = :tenant and h.in_force and"
                + " (h.study_uid = :study or (h.patient_id is not null and exists (select 1 from"
                + " study st join patient p on p.pk = st.patient_pk where st.tenant = :tenant and"
                + " st.study_uid = :study and p.patient_id = h.patient_id and (h.issuer is null"
                + " or p.issuer = h.issuer)))) order by h.study_uid nulls last limit 1",
            String.class)
        .setParameter("tenant", tenant)
        .setParameter("study", study)
        .getSingleResultOrNull();
  }
}
