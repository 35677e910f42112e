package org.strata.query.fhir;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.strata.indexschema.IndexJoins;
import org.strata.indexschema.InstanceTable;
import org.strata.indexschema.PatientTable;
import org.strata.indexschema.SeriesTable;
import org.strata.indexschema.StudyTable;
import org.strata.query.qido.TenantScope;

/**
 * Reads studies with their series and instances from the index for ImagingStudy, limited to one
 * tenant (every table filtered by it): one query for the page of studies, one for their series, one
 * for those series' instances. Blocking (worker threads).
 */
@ApplicationScoped
public class ImagingStudyRepository {
  // Aliases as in ImagingStudySearch's conditions: st study, p patient.
  private static final String STUDIES =
      "select "
          + IndexJoins.columns(
              "st",
              StudyTable.PK,
              StudyTable.STUDY_UID,
              StudyTable.STUDY_DATE,
              StudyTable.STUDY_TIME,
              StudyTable.ACCESSION_NUMBER,
              StudyTable.STUDY_DESCRIPTION,
              StudyTable.NUMBER_OF_SERIES,
              StudyTable.NUMBER_OF_INSTANCES,
              StudyTable.MODALITIES_IN_STUDY,
              StudyTable.UPDATED_AT)
          + ", "
          + IndexJoins.columns("p", PatientTable.PATIENT_ID, PatientTable.ISSUER)
          + " from "
          + StudyTable.NAME
          + " st"
          + IndexJoins.patientOfStudy("p", "st")
          + " and p."
          + PatientTable.TENANT
          + " = any($1) where st."
          + StudyTable.TENANT
          + " = any($1)";

  /** QIDO-RS's order: newest first, undated last, then newest indexed. */
  private static final String ORDER = StudyTable.newestFirst("st");

  private static final String SERIES =
      "select "
          + String.join(
              ", ",
              SeriesTable.PK,
              SeriesTable.STUDY_PK,
              SeriesTable.SERIES_UID,
              SeriesTable.SERIES_NUMBER,
              SeriesTable.MODALITY,
              SeriesTable.SERIES_DESCRIPTION,
              SeriesTable.NUMBER_OF_INSTANCES,
              SeriesTable.PPS_START_DATE,
              SeriesTable.PPS_START_TIME)
          + " from "
          + SeriesTable.NAME
          + " where "
          + SeriesTable.TENANT
          + " = any($1) and "
          + SeriesTable.STUDY_PK
          + " = any($2) order by "
          + SeriesTable.byNumber(SeriesTable.NAME);

  private static final String INSTANCES =
      "select "
          + String.join(
              ", ",
              InstanceTable.SERIES_PK,
              InstanceTable.SOP_INSTANCE_UID,
              InstanceTable.SOP_CLASS_UID,
              InstanceTable.INSTANCE_NUMBER)
          + " from "
          + InstanceTable.NAME
          + " where "
          + InstanceTable.TENANT
          + " = any($1) and "
          + InstanceTable.SERIES_PK
          + " = any($2) order by "
          + InstanceTable.byNumber(InstanceTable.NAME);

  public record Study(
      long pk,
      String uid,
      LocalDate date,
      LocalTime time,
      String accessionNumber,
      String description,
      int numberOfSeries,
      int numberOfInstances,
      List<String> modalities,
      OffsetDateTime updatedAt,
      String patientId,
      String issuer,
      List<Series> series) {}

  public record Series(
      String uid,
      Integer number,
      String modality,
      String description,
      int numberOfInstances,
      LocalDate startDate,
      LocalTime startTime,
      List<Instance> instances) {}

  public record Instance(String uid, String sopClassUid, Integer number) {}

  /** A page of matches and whether more follow. */
  public record Page(List<Study> studies, boolean more) {}

  private final Pool pool;

  public ImagingStudyRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * The study of this UID in the caller's scope (ADR 0025), or null; of the first tenant by name
   * when the caller holds it in several.
   */
  public Study read(TenantScope scope, String studyUid) {
    List<Object> params = new ArrayList<>(List.of(scope.tenantArray(), studyUid));
    String sql =
        STUDIES
            + " and st."
            + StudyTable.STUDY_UID
            + " = $2 and "
            + scope.studyConditionNumbered("st", 3)
            + " order by st."
            + StudyTable.TENANT
            + " limit 1";
    params.addAll(List.of(scope.studyValues(false)));
    List<Study> found = studies(sql, Tuple.from(params), scope);
    return found.isEmpty() ? null : found.get(0);
  }

  /** A page of the caller's studies: the scope's condition is in the statement, before paging. */
  public Page search(TenantScope scope, ImagingStudySearch search) {
    List<Object> params = new ArrayList<>();
    params.add(scope.tenantArray());
    params.addAll(search.params());
    String inScope = " and " + scope.studyConditionNumbered("st", params.size() + 1);
    params.addAll(List.of(scope.studyValues(false)));
    params.add(search.count() + 1); // the extra row tells whether more follow
    params.add(search.offset());
    String sql =
        STUDIES
            + search.where()
            + inScope
            + ORDER
            + " limit $"
            + (params.size() - 1)
            + " offset $"
            + params.size();
    List<Study> found = studies(sql, Tuple.from(params), scope);
    boolean more = found.size() > search.count();
    return new Page(more ? found.subList(0, search.count()) : found, more);
  }

  private List<Study> studies(String sql, Tuple params, TenantScope scope) {
    String[] tenant = scope.tenantArray();
    Map<Long, Study> studies = new LinkedHashMap<>();
    for (Row r : pool.preparedQuery(sql).execute(params).await().indefinitely()) {
      String[] modalities = r.getArrayOfStrings(8);
      studies.put(
          r.getLong(0),
          new Study(
              r.getLong(0),
              r.getString(1),
              r.getLocalDate(2),
              r.getLocalTime(3),
              r.getString(4),
              r.getString(5),
              r.getInteger(6),
              r.getInteger(7),
              modalities == null ? List.of() : List.of(modalities),
              r.getOffsetDateTime(9),
              r.getString(10),
              r.getString(11),
              new ArrayList<>()));
    }
    if (studies.isEmpty()) {
      return List.of();
    }
    Map<Long, Series> series = new LinkedHashMap<>();
    for (Row r :
        pool.preparedQuery(SERIES)
            .execute(Tuple.of(tenant, studies.keySet().toArray(Long[]::new)))
            .await()
            .indefinitely()) {
      Series s =
          new Series(
              r.getString(2),
              r.getInteger(3),
              r.getString(4),
              r.getString(5),
              r.getInteger(6),
              r.getLocalDate(7),
              r.getLocalTime(8),
              new ArrayList<>());
      series.put(r.getLong(0), s);
      studies.get(r.getLong(1)).series().add(s);
    }
    if (!series.isEmpty()) {
      for (Row r :
          pool.preparedQuery(INSTANCES)
              .execute(Tuple.of(tenant, series.keySet().toArray(Long[]::new)))
              .await()
              .indefinitely()) {
        series
            .get(r.getLong(0))
            .instances()
            .add(new Instance(r.getString(1), r.getString(2), r.getInteger(3)));
      }
    }
    return new ArrayList<>(studies.values());
  }
}
