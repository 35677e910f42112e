package org.strata.index.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.strata.events.InstanceDeleted;
import org.strata.events.ObjectLocation;

/**
 * Deletions: what a study, series or instance consists of in object storage (for the event that
 * tells storage-tiering what to remove), and applying an {@link InstanceDeleted} to the index with
 * the aggregates recomputed. Deleting what is already gone is a no-op, so replays are harmless.
 */
@ApplicationScoped
public class DeletionRepository {

  private static final String SCOPE_FILTER =
      " from instance i join series se on se.pk = i.series_pk join study st on st.pk ="
          + " se.study_pk join patient p on p.pk = st.patient_pk join object_location l on"
          + " l.instance_pk = i.pk where st.tenant ="
          + " :tenant and st.study_uid = :study and (cast(:series as text) is null or"
          + " se.series_uid = cast(:series as text)) and (cast(:sop as text) is null or"
          + " i.sop_instance_uid = cast(:sop as text))";

  /**
   * What a deletion removes: the objects in its scope and the study's patient (Patient ID and
   * issuer), read by the same query so the audit record names the patient whose data it was.
   */
  public record ScopeContents(List<ObjectLocation> objects, String patientId, String issuer) {
    public boolean isEmpty() {
      return objects.isEmpty();
    }
  }

  public Uni<ScopeContents> objectsOf(
      Mutiny.Session s, String tenant, String study, String series, String sop) {
    return s.createNativeQuery(
            "select l.bucket, l.object_key, l.size, l.sha256, l.sidecar_key, l.frame_index_key,"
                + " p.patient_id, p.issuer"
                + SCOPE_FILTER
                + " order by i.pk",
            Object[].class)
        .setParameter("tenant", tenant)
        .setParameter("study", study)
        .setParameter("series", series)
        .setParameter("sop", sop)
        .getResultList()
        .map(
            rows ->
                new ScopeContents(
                    rows.stream()
                        .map(
                            r ->
                                new ObjectLocation(
                                    (String) r[0],
                                    (String) r[1],
                                    ((Number) r[2]).longValue(),
                                    (String) r[3],
                                    (String) r[4],
                                    (String) r[5]))
                        .toList(),
                    rows.isEmpty() ? null : (String) rows.get(0)[6],
                    rows.isEmpty() ? null : (String) rows.get(0)[7]));
  }

  /** Removes the rows in the event's scope; returns the study's pk, or null if it was gone. */
  public Uni<Long> apply(Mutiny.Session s, InstanceDeleted event) {
    return s.createNativeQuery(
            "select pk from study where tenant = :tenant and study_uid = :study for update",
            Long.class)
        .setParameter("tenant", event.tenant())
        .setParameter("study", event.studyInstanceUid())
        .getSingleResultOrNull()
        .chain(
            studyPk -> {
              if (studyPk == null) {
                return Uni.createFrom().nullItem();
              }
              return delete(s, event, studyPk)
                  .chain(() -> recomputeAggregates(s, studyPk))
                  .replaceWith(studyPk);
            });
  }

  private Uni<Integer> delete(Mutiny.Session s, InstanceDeleted event, long studyPk) {
    return switch (event.scope()) {
      case STUDY ->
          s.createNativeQuery("delete from study where pk = :study")
              .setParameter("study", studyPk)
              .executeUpdate();
      case SERIES ->
          s.createNativeQuery("delete from series where study_pk = :study and series_uid = :series")
              .setParameter("study", studyPk)
              .setParameter("series", event.seriesInstanceUid())
              .executeUpdate();
      case INSTANCE ->
          s.createNativeQuery(
                  "delete from instance where sop_instance_uid = :sop and series_pk in (select pk"
                      + " from series where study_pk = :study and series_uid = :series)")
              .setParameter("study", studyPk)
              .setParameter("series", event.seriesInstanceUid())
              .setParameter("sop", event.sopInstanceUid())
              .executeUpdate();
    };
  }

  /**
   * Counts again from the rows (deletes are rare, so exact beats incremental here); empty series
   * and an empty study are removed, the patient stays.
   */
  private Uni<Void> recomputeAggregates(Mutiny.Session s, long studyPk) {
    return s.createNativeQuery(
            "update series se set number_of_instances = (select count(*) from instance i where"
                + " i.series_pk = se.pk) where se.study_pk = :study")
        .setParameter("study", studyPk)
        .executeUpdate()
        .chain(
            () ->
                s.createNativeQuery(
                        "delete from series where study_pk = :study and number_of_instances = 0")
                    .setParameter("study", studyPk)
                    .executeUpdate())
        .chain(
            () ->
                s.createNativeQuery(
                        "update study st set number_of_series = (select count(*) from series se"
                            + " where se.study_pk = st.pk), number_of_instances = (select"
                            + " coalesce(sum(se.number_of_instances), 0) from series se where"
                            + " se.study_pk = st.pk), modalities_in_study = coalesce((select"
                            + " array_agg(distinct se.modality) from series se where se.study_pk"
                            + " = st.pk and se.modality is not null), '{}'), sop_classes_in_study"
                            + " = coalesce((select array_agg(distinct i.sop_class_uid) from"
                            + " instance i join series se on se.pk = i.series_pk where"
                            + " se.study_pk = st.pk), '{}'), updated_at = now() where st.pk ="
                            + " :study")
                    .setParameter("study", studyPk)
                    .executeUpdate())
        .chain(
            () ->
                s.createNativeQuery("delete from study where pk = :study and number_of_series = 0")
                    .setParameter("study", studyPk)
                    .executeUpdate())
        .replaceWithVoid();
  }
}
