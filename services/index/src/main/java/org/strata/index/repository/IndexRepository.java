package org.strata.index.repository;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.strata.index.service.IndexedInstance;
import org.strata.indexschema.PersonNames;

/**
 * The index's writes, as native SQL through Hibernate Reactive: upserts keyed by the natural keys
 * (tenant + Patient ID + issuer, tenant + UID) make every statement idempotent, so a replayed event
 * changes nothing. Every method runs inside the caller's transaction.
 */
@ApplicationScoped
public class IndexRepository {

  /** The pk of a row and whether this statement created it. */
  public record Upserted(long pk, boolean created) {}

  /** A study's aggregates after the change, for StudyUpdated. */
  public record StudyAggregates(
      int numberOfSeries, int numberOfInstances, List<String> modalities) {
    /** A study that is no longer in the index. */
    public static final StudyAggregates NONE = new StudyAggregates(0, 0, List.of());
  }

  /** What became of one instance: new, a replay of the same event, or a new object version. */
  public enum Outcome {
    CREATED,
    REPLAYED,
    NEW_VERSION,
    OLDER_VERSION_IGNORED
  }

  /**
   * A patient row as this transaction last saw or wrote it, so that the next event of the same
   * patient in a batch needs no round trip when it changes nothing.
   */
  public record PatientState(
      long pk, String name, LocalDate birthDate, String sex, Instant demographicsAt) {}

  /**
   * The patient of this instance, created if new. Demographics (name, birth date, sex) of an
   * existing patient follow the most recent event (by its occurrence time); an older event never
   * overwrites newer demographics, and an absent value never erases one. Each change is recorded in
   * {@code patient_change}.
   *
   * @param known the row as this transaction left it (same tenant, Patient ID and issuer), or null
   */
  public Uni<PatientState> upsertPatient(Mutiny.Session s, IndexedInstance i, PatientState known) {
    if (known != null) {
      return updateDemographics(s, i, known);
    }
    // Lock first: nearly every event is of a patient the index holds already, whose row this one
    // statement finds and locks for the demographics rule (it took three round trips: the tenant,
    // an insert that did nothing, then the lock). Only a new patient is inserted.
    return lockPatient(s, i)
        .chain(row -> row != null ? updateDemographics(s, i, row) : insertPatient(s, i));
  }

  /**
   * A new patient, and its tenant if that is new too (in the same statement: a patient row implies
   * its tenant's, so an existing patient needs no tenant statement). A patient inserted meanwhile
   * by a concurrent transaction is locked and updated instead.
   */
  private Uni<PatientState> insertPatient(Mutiny.Session s, IndexedInstance i) {
    return s.createNativeQuery(
            "with t as (insert into tenant (id, default_issuer) values (:tenant, :defaultIssuer)"
                + " on conflict (id) do nothing)"
                + " insert into patient (tenant, patient_id, issuer, patient_name, patient_name_norm,"
                + " birth_date, sex, demographics_at) values (:tenant, :pid, :issuer,"
                + " cast(:name as text), cast(:norm as text), cast(:birth as date),"
                + " cast(:sex as text), cast(:at as timestamptz))"
                + " on conflict on constraint patient_natural_key do nothing returning pk",
            Long.class)
        .setParameter("tenant", i.tenant())
        .setParameter("defaultIssuer", i.defaultIssuer())
        .setParameter("pid", i.patientId())
        .setParameter("issuer", i.issuerOfPatientId())
        .setParameter("name", i.patientName())
        .setParameter("norm", PersonNames.normalize(i.patientName()))
        .setParameter("birth", i.patientBirthDate())
        .setParameter("sex", i.patientSex())
        .setParameter("at", i.occurredAt())
        .getSingleResultOrNull()
        .chain(
            pk ->
                pk != null
                    ? Uni.createFrom()
                        .item(
                            new PatientState(
                                pk,
                                i.patientName(),
                                i.patientBirthDate(),
                                i.patientSex(),
                                i.occurredAt()))
                    : lockPatient(s, i).chain(row -> updateDemographics(s, i, row)));
  }

  /** The patient's row, locked until the transaction ends; null if there is none. */
  private Uni<PatientState> lockPatient(Mutiny.Session s, IndexedInstance i) {
    return s.createNativeQuery(
            "select pk, patient_name, birth_date, sex, demographics_at from patient"
                + " where tenant = :tenant and patient_id = :pid and issuer = :issuer for update",
            Object[].class)
        .setParameter("tenant", i.tenant())
        .setParameter("pid", i.patientId())
        .setParameter("issuer", i.issuerOfPatientId())
        .getSingleResultOrNull()
        .map(
            row ->
                row == null
                    ? null
                    : new PatientState(
                        ((Number) row[0]).longValue(),
                        (String) row[1],
                        toLocalDate(row[2]),
                        (String) row[3],
                        toInstant(row[4])));
  }

  private Uni<PatientState> updateDemographics(
      Mutiny.Session s, IndexedInstance i, PatientState old) {
    String newName = i.patientName() != null ? i.patientName() : old.name();
    LocalDate newBirth = i.patientBirthDate() != null ? i.patientBirthDate() : old.birthDate();
    String newSex = i.patientSex() != null ? i.patientSex() : old.sex();
    boolean changed =
        !Objects.equals(old.name(), newName)
            || !Objects.equals(old.birthDate(), newBirth)
            || !Objects.equals(old.sex(), newSex);
    if (!changed || i.occurredAt().isBefore(old.demographicsAt())) {
      return Uni.createFrom().item(old);
    }
    return s.createNativeQuery(
            "with change as (insert into patient_change (patient_pk, event_id,"
                + " old_name, new_name, old_birth_date, new_birth_date, old_sex,"
                + " new_sex) values (:pk, cast(:event as uuid), cast(:oldName as text),"
                + " cast(:newName as text), cast(:oldBirth as date),"
                + " cast(:newBirth as date), cast(:oldSex as text),"
                + " cast(:newSex as text))) update patient set patient_name ="
                + " cast(:newName as text), patient_name_norm = cast(:norm as text),"
                + " birth_date = cast(:newBirth as date), sex = cast(:newSex as text),"
                + " demographics_at = cast(:at as timestamptz), updated_at = now()"
                + " where pk = :pk")
        .setParameter("pk", old.pk())
        .setParameter("event", i.eventId().toString())
        .setParameter("oldName", old.name())
        .setParameter("newName", newName)
        .setParameter("norm", PersonNames.normalize(newName))
        .setParameter("oldBirth", old.birthDate())
        .setParameter("newBirth", newBirth)
        .setParameter("oldSex", old.sex())
        .setParameter("newSex", newSex)
        .setParameter("at", i.occurredAt())
        .executeUpdate()
        .replaceWith(new PatientState(old.pk(), newName, newBirth, newSex, i.occurredAt()));
  }

  /**
   * Inserts the study, or touches the existing row (it is updated by {@link #countStudy} anyway),
   * and says which; {@code xmax = 0} marks a row this statement inserted.
   */
  private static final String STUDY_UPSERT =
      "insert into study (tenant, study_uid, patient_pk, study_date, study_time,"
          + " accession_number, study_id, study_description, referring_physician,"
          + " referring_physician_norm) values (:tenant, :studyUid, :patient,"
          + " cast(:date as date), cast(:time as time), cast(:acc as text),"
          + " cast(:sid as text), cast(:studyDescr as text), cast(:ref as text),"
          + " cast(:refNorm as text))"
          + " on conflict on constraint study_natural_key do update set updated_at ="
          + " now() returning pk, (xmax = 0) as created";

  /** Inserts a series of the study whose pk is {@code %s}; an existing series keeps its own. */
  private static final String SERIES_UPSERT =
      "insert into series (tenant, study_pk, series_uid, modality, series_number,"
          + " series_description, body_part_examined,"
          + " performed_procedure_step_start_date, performed_procedure_step_start_time)"
          + " select :tenant, %s, :seriesUid, cast(:modality as text),"
          + " cast(:number as integer), cast(:seriesDescr as text), cast(:body as text),"
          + " cast(:ppsDate as date), cast(:ppsTime as time)%s"
          + " on conflict on constraint series_natural_key do update set modality ="
          + " coalesce(series.modality, excluded.modality) returning pk, (xmax = 0) as created";

  /** One round trip: the study (see {@link #STUDY_UPSERT}). */
  public Uni<Upserted> upsertStudy(Mutiny.Session s, IndexedInstance i, long patientPk) {
    return upserted(bindStudy(s.createNativeQuery(STUDY_UPSERT, Object[].class), i, patientPk));
  }

  /** One round trip, as {@link #upsertStudy}; an existing series keeps its attributes. */
  public Uni<Upserted> upsertSeries(Mutiny.Session s, IndexedInstance i, long studyPk) {
    return upserted(
        bindSeries(
            s.createNativeQuery(SERIES_UPSERT.formatted(":study", ""), Object[].class)
                .setParameter("study", studyPk),
            i));
  }

  /** A study and one of its series, each as {@link #upsertStudy} and {@link #upsertSeries}. */
  public record StudyAndSeries(Upserted study, Upserted series) {}

  /**
   * The study and the instance's series in one round trip (two before): what the first event of a
   * study in a batch needs. The series statement takes the study's pk from the study statement.
   */
  public Uni<StudyAndSeries> upsertStudyAndSeries(
      Mutiny.Session s, IndexedInstance i, long patientPk) {
    String sql =
        "with st as ("
            + STUDY_UPSERT
            + "), se as ("
            + SERIES_UPSERT.formatted("st.pk", " from st")
            + ") select st.pk, st.created, se.pk as series_pk, se.created as series_created"
            + " from st, se";
    return bindSeries(bindStudy(s.createNativeQuery(sql, Object[].class), i, patientPk), i)
        .getSingleResult()
        .map(
            row ->
                new StudyAndSeries(
                    new Upserted(((Number) row[0]).longValue(), Boolean.TRUE.equals(row[1])),
                    new Upserted(((Number) row[2]).longValue(), Boolean.TRUE.equals(row[3]))));
  }

  private static Mutiny.SelectionQuery<Object[]> bindStudy(
      Mutiny.SelectionQuery<Object[]> q, IndexedInstance i, long patientPk) {
    return q.setParameter("tenant", i.tenant())
        .setParameter("studyUid", i.studyUid())
        .setParameter("patient", patientPk)
        .setParameter("date", i.studyDate())
        .setParameter("time", i.studyTime())
        .setParameter("acc", i.accessionNumber())
        .setParameter("sid", i.studyId())
        .setParameter("studyDescr", i.studyDescription())
        .setParameter("ref", i.referringPhysician())
        .setParameter("refNorm", PersonNames.normalize(i.referringPhysician()));
  }

  private static Mutiny.SelectionQuery<Object[]> bindSeries(
      Mutiny.SelectionQuery<Object[]> q, IndexedInstance i) {
    return q.setParameter("tenant", i.tenant())
        .setParameter("seriesUid", i.seriesUid())
        .setParameter("modality", i.modality())
        .setParameter("number", i.seriesNumber())
        .setParameter("seriesDescr", i.seriesDescription())
        .setParameter("body", i.bodyPartExamined())
        .setParameter("ppsDate", i.ppsStartDate())
        .setParameter("ppsTime", i.ppsStartTime());
  }

  private static Uni<Upserted> upserted(Mutiny.SelectionQuery<Object[]> upsert) {
    return upsert
        .getSingleResult()
        .map(row -> new Upserted(((Number) row[0]).longValue(), Boolean.TRUE.equals(row[1])));
  }

  /** An instance to insert, with the series it belongs to. */
  public record NewInstance(IndexedInstance instance, long seriesPk) {}

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * Inserts many instances and their object locations in one statement (rows passed as one JSON
   * array); an instance already there is left alone. Returns {@code tenant + '/' + SOP Instance
   * UID} of those it inserted: the others go through {@link #existingInstance}. The caller passes
   * each (tenant, SOP Instance UID) at most once.
   */
  public Uni<java.util.Set<String>> insertInstances(Mutiny.Session s, List<NewInstance> rows) {
    com.fasterxml.jackson.databind.node.ArrayNode array = JSON.createArrayNode();
    for (NewInstance row : rows) {
      IndexedInstance i = row.instance();
      com.fasterxml.jackson.databind.node.ObjectNode o = array.addObject();
      o.put("ord", array.size());
      o.put("tenant", i.tenant());
      o.put("series_pk", row.seriesPk());
      o.put("sop", i.sopInstanceUid());
      o.put("cuid", i.sopClassUid());
      o.put("num", i.instanceNumber());
      o.put("frames", i.numberOfFrames());
      o.put("rows", i.rows());
      o.put("cols", i.columns());
      o.put("ts", i.transferSyntaxUid());
      o.put("event", i.eventId().toString());
      o.put("version", i.version());
      if (i.attributesJson() != null) {
        o.putRawValue(
            "attrs", new com.fasterxml.jackson.databind.util.RawValue(i.attributesJson()));
      }
      o.put("bucket", i.location().bucket());
      o.put("key", i.location().key());
      o.put("size", i.location().size());
      o.put("sha", i.location().sha256());
      o.put("sidecar", i.location().sidecarKey());
      o.put("frame_index", i.location().frameIndexKey());
      if (i.compressedMetadata() != null) {
        o.put("meta", java.util.Base64.getEncoder().encodeToString(i.compressedMetadata()));
      }
    }
    return s.createNativeQuery(
            "with r as (select * from jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as"
                + " r(tenant text, series_pk bigint, sop text, cuid text, num integer, frames"
                + " integer, rows integer, cols integer, ts text, event uuid, version integer,"
                + " attrs jsonb, bucket text, key text, size bigint, sha text, sidecar text,"
                + " frame_index text, meta text, ord bigint)),"
                + " i as (insert into instance (tenant, series_pk, sop_instance_uid,"
                + " sop_class_uid, instance_number, number_of_frames, pixel_rows, pixel_columns,"
                + " transfer_syntax_uid, stored_event_id, version, attributes) select tenant,"
                + " series_pk, sop, cuid, num, frames, rows, cols, ts, event, version, attrs from r"
                + " order by ord on conflict on constraint instance_natural_key do nothing"
                + " returning pk, tenant, sop_instance_uid),"
                + " l as (insert into object_location (instance_pk, bucket, object_key, size,"
                + " sha256, sidecar_key, frame_index_key) select i.pk, r.bucket, r.key, r.size,"
                + " r.sha, r.sidecar, r.frame_index from i join r on r.tenant = i.tenant and"
                + " r.sop = i.sop_instance_uid),"
                + " m as (insert into instance_metadata (instance_pk, metadata) select i.pk,"
                + " decode(r.meta, 'base64') from i join r on r.tenant = i.tenant and r.sop ="
                + " i.sop_instance_uid where r.meta is not null)"
                + " select i.tenant || '/' || i.sop_instance_uid from i",
            String.class)
        .setParameter("rows", array.toString())
        .getResultList()
        .map(java.util.HashSet::new);
  }

  /**
   * What became of an instance that was already in the index: a replay of the event that created it
   * is a no-op; a later object version (a duplicate kept as a new version) replaces the location;
   * an older one is ignored. (A text parameter cast to jsonb: bound directly as jsonb, the client
   * would store the Java string as a JSON string rather than the object it holds.)
   */
  public Uni<Outcome> existingInstance(Mutiny.Session s, IndexedInstance i) {
    return s.createNativeQuery(
            "select pk, cast(stored_event_id as text), version from instance"
                + " where tenant = :tenant and sop_instance_uid = :uid for update",
            Object[].class)
        .setParameter("tenant", i.tenant())
        .setParameter("uid", i.sopInstanceUid())
        .getSingleResult()
        .chain(
            row -> {
              long pk = ((Number) row[0]).longValue();
              UUID event = UUID.fromString((String) row[1]);
              int version = ((Number) row[2]).intValue();
              if (event.equals(i.eventId())) {
                return Uni.createFrom().item(Outcome.REPLAYED);
              }
              if (i.version() <= version) {
                return Uni.createFrom().item(Outcome.OLDER_VERSION_IGNORED);
              }
              return s.createNativeQuery(
                      "update instance set stored_event_id = cast(:event as uuid), version ="
                          + " :version, transfer_syntax_uid = :ts, attributes ="
                          + " cast(cast(:attrs as text) as jsonb), indexed_at = now() where pk = :pk")
                  .setParameter("event", i.eventId().toString())
                  .setParameter("version", i.version())
                  .setParameter("ts", i.transferSyntaxUid())
                  .setParameter("attrs", i.attributesJson())
                  .setParameter("pk", pk)
                  .executeUpdate()
                  .chain(
                      () ->
                          s.createNativeQuery("delete from object_location where instance_pk = :pk")
                              .setParameter("pk", pk)
                              .executeUpdate())
                  .chain(() -> insertLocation(s, pk, i))
                  .chain(() -> replaceMetadata(s, pk, i))
                  .replaceWith(Outcome.NEW_VERSION);
            });
  }

  /** The new version's metadata (ADR 0045), or none: never the previous version's. */
  private Uni<Integer> replaceMetadata(Mutiny.Session s, long instancePk, IndexedInstance i) {
    Uni<Integer> deleted =
        s.createNativeQuery("delete from instance_metadata where instance_pk = :pk")
            .setParameter("pk", instancePk)
            .executeUpdate();
    if (i.compressedMetadata() == null) {
      return deleted;
    }
    return deleted.chain(
        () ->
            s.createNativeQuery(
                    "insert into instance_metadata (instance_pk, metadata) values (:pk, :meta)")
                .setParameter("pk", instancePk)
                .setParameter("meta", i.compressedMetadata())
                .executeUpdate());
  }

  private Uni<Integer> insertLocation(Mutiny.Session s, long instancePk, IndexedInstance i) {
    return s.createNativeQuery(
            "insert into object_location (instance_pk, bucket, object_key, size, sha256,"
                + " sidecar_key, frame_index_key) values (:pk, :bucket, :key, :size,"
                + " cast(:sha as text), cast(:sidecar as text), cast(:frames as text))")
        .setParameter("pk", instancePk)
        .setParameter("bucket", i.location().bucket())
        .setParameter("key", i.location().key())
        .setParameter("size", i.location().size())
        .setParameter("sha", i.location().sha256())
        .setParameter("sidecar", i.location().sidecarKey())
        .setParameter("frames", i.location().frameIndexKey())
        .executeUpdate();
  }

  /**
   * Counts new instances and series into a study's aggregates and its series' counts, adds
   * modalities and SOP classes not yet listed (in order of arrival), and returns the aggregates
   * afterwards: one statement per study and batch (the series' counts took one more each).
   *
   * @param seriesCounts new instances per series pk, all series of this study
   * @param modalities new modalities, backslash-separated (a character no CS or UI value holds)
   * @param sopClasses new SOP Class UIDs, backslash-separated
   */
  public Uni<StudyAggregates> countStudy(
      Mutiny.Session s,
      long studyPk,
      Map<Long, Integer> seriesCounts,
      int instances,
      int series,
      String modalities,
      String sopClasses,
      String description) {
    return s.createNativeQuery(
            "with s as (update series set number_of_instances = number_of_instances + c.n from"
                + " unnest(cast(string_to_array(cast(:seriesPks as text), ',') as bigint[]),"
                + " cast(string_to_array(cast(:seriesCounts as text), ',') as integer[]))"
                + " as c(pk, n) where series.pk = c.pk)"
                + " update study set number_of_instances = number_of_instances + :instances,"
                + " number_of_series = number_of_series + :series,"
                + " modalities_in_study = modalities_in_study || array(select m from"
                + " unnest(string_to_array(cast(:modalities as text), '\\')) with ordinality"
                + " as u(m, o) where m <> all(modalities_in_study) order by o),"
                + " sop_classes_in_study = sop_classes_in_study || array(select c from"
                + " unnest(string_to_array(cast(:classes as text), '\\')) with ordinality"
                + " as u(c, o) where c <> all(sop_classes_in_study) order by o),"
                + " study_description = coalesce(study_description, cast(:descr as text)),"
                + " updated_at = now() where pk = :pk"
                + " returning number_of_series, number_of_instances,"
                + " array_to_string(modalities_in_study, '\\')",
            Object[].class)
        .setParameter("seriesPks", joined(seriesCounts.keySet()))
        .setParameter("seriesCounts", joined(seriesCounts.values()))
        .setParameter("instances", instances)
        .setParameter("series", series)
        .setParameter("modalities", modalities)
        .setParameter("classes", sopClasses)
        .setParameter("descr", description)
        .setParameter("pk", studyPk)
        .getSingleResultOrNull()
        .map(IndexRepository::aggregates);
  }

  /**
   * Adds access labels (ADR 0025) the study does not carry yet; a study's labels are the union of
   * its instances'.
   *
   * @param labels backslash-separated (a character no access label holds)
   */
  public Uni<Void> addStudyLabels(Mutiny.Session s, long studyPk, String labels) {
    return s.createNativeQuery(
            "update study set access_labels = access_labels || array(select l from"
                + " unnest(string_to_array(cast(:labels as text), '\\')) with ordinality as u(l, o)"
                + " where l <> all(access_labels) order by o) where pk = :pk and not"
                + " (string_to_array(cast(:labels as text), '\\') <@ access_labels)")
        .setParameter("labels", labels)
        .setParameter("pk", studyPk)
        .executeUpdate()
        .replaceWithVoid();
  }

  public Uni<StudyAggregates> studyAggregates(Mutiny.Session s, long studyPk) {
    return s.createNativeQuery(
            "select number_of_series, number_of_instances,"
                + " array_to_string(modalities_in_study, '\\') from study where pk = :pk",
            Object[].class)
        .setParameter("pk", studyPk)
        .getSingleResultOrNull()
        .map(IndexRepository::aggregates);
  }

  /** Numbers as one comma-separated text parameter (the statement splits it into an array). */
  private static String joined(java.util.Collection<? extends Number> numbers) {
    StringBuilder out = new StringBuilder();
    for (Number n : numbers) {
      out.append(out.isEmpty() ? "" : ",").append(n);
    }
    return out.toString();
  }

  /** (number_of_series, number_of_instances, modalities joined by backslash) of a study row. */
  private static StudyAggregates aggregates(Object[] row) {
    return row == null
        ? StudyAggregates.NONE
        : new StudyAggregates(
            ((Number) row[0]).intValue(),
            ((Number) row[1]).intValue(),
            row[2] == null || ((String) row[2]).isEmpty()
                ? List.of()
                : Arrays.asList(((String) row[2]).split("\\\\")));
  }

  private static LocalDate toLocalDate(Object value) {
    if (value == null || value instanceof LocalDate) {
      return (LocalDate) value;
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate();
    }
    throw new IllegalStateException("unexpected date type " + value.getClass());
  }

  private static Instant toInstant(Object value) {
    if (value instanceof Instant instant) {
      return instant;
    }
    if (value instanceof java.time.OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    throw new IllegalStateException("unexpected timestamp type " + value.getClass());
  }
}
