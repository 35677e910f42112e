package org.strata.query.qido;

import java.util.Map;

/**
 * The SELECT of a QIDO-RS search: fixed columns per level, the tenant, the path's UIDs and the
 * matching keys as conditions, a stable order, and {@code limit + 1} rows from {@code offset} (the
 * extra row tells whether results were cut).
 *
 * <p>Conditions are written so that the index's indexes serve them: every table is filtered by its
 * {@code tenant} (the leading column of the natural keys and of the date, accession, patient ID,
 * name and modality indexes), UIDs by equality (unique keys), ModalitiesInStudy by {@code &&}
 * (GIN), names by {@code like} on the normalised column (text_pattern_ops and pg_trgm indexes),
 * dates and times by ranges on typed columns.
 */
final class QidoQuery {
  private static final String STUDY_COLUMNS =
      "st.study_uid, st.study_date, st.study_time, st.accession_number, st.study_id,"
          + " st.study_description, st.referring_physician, st.number_of_series,"
          + " st.number_of_instances, st.modalities_in_study, st.sop_classes_in_study,"
          + " p.patient_id, p.patient_name, p.birth_date, p.sex, p.pk as patient_pk";
  private static final String SERIES_COLUMNS =
      ", s.series_uid, s.modality, s.series_number, s.series_description, s.body_part_examined,"
          + " s.performed_procedure_step_start_date as pps_start_date,"
          + " s.performed_procedure_step_start_time as pps_start_time,"
          + " s.number_of_instances as series_instances";
  private static final String INSTANCE_COLUMNS =
      ", i.sop_instance_uid, i.sop_class_uid, i.instance_number, i.number_of_frames,"
          + " i.pixel_rows, i.pixel_columns, i.attributes::text as attributes";
  // One instance's attributes stand for the study or series when an attribute the index has no
  // column for is asked for by includefield (study- and series-level attributes are the same in
  // every instance of a well-formed study).
  private static final String STUDY_ATTRIBUTES =
      ", (select i.attributes::text from series s1 join instance i on i.series_pk = s1.pk"
          + " where s1.study_pk = st.pk order by i.pk limit 1) as attributes";
  private static final String SERIES_ATTRIBUTES =
      ", (select i.attributes::text from instance i where i.series_pk = s.pk order by i.pk"
          + " limit 1) as attributes";

  private static final String STUDY_ORDER =
      " order by st.study_date desc nulls last, st.study_time desc nulls last, st.pk desc";

  private QidoQuery() {}

  /**
   * @param withAttributes whether study/series rows need an instance's attributes (jsonb)
   */
  static Sql build(QidoRequest request, String tenant, boolean withAttributes) {
    Sql sql = new Sql();
    switch (request.level()) {
      case STUDY -> {
        sql.append("select " + STUDY_COLUMNS + (withAttributes ? STUDY_ATTRIBUTES : ""));
        sql.append(
            " from study st join patient p on p.pk = st.patient_pk where st.tenant = ? and"
                + " p.tenant = ?",
            tenant,
            tenant);
      }
      case SERIES -> {
        sql.append(
            "select " + STUDY_COLUMNS + SERIES_COLUMNS + (withAttributes ? SERIES_ATTRIBUTES : ""));
        sql.append(
            " from series s join study st on st.pk = s.study_pk join patient p on p.pk ="
                + " st.patient_pk where s.tenant = ? and st.tenant = ? and p.tenant = ?",
            tenant,
            tenant,
            tenant);
      }
      case INSTANCE -> {
        sql.append("select " + STUDY_COLUMNS + SERIES_COLUMNS + INSTANCE_COLUMNS);
        sql.append(
            " from instance i join series s on s.pk = i.series_pk join study st on st.pk ="
                + " s.study_pk join patient p on p.pk = st.patient_pk where i.tenant = ? and"
                + " s.tenant = ? and st.tenant = ? and p.tenant = ?",
            tenant,
            tenant,
            tenant,
            tenant);
      }
    }
    if (request.studyUid() != null) {
      sql.and("st.study_uid = ?", request.studyUid());
    }
    if (request.seriesUid() != null) {
      sql.and("s.series_uid = ?", request.seriesUid());
    }
    for (Map.Entry<QidoAttribute, String> m : request.matches().entrySet()) {
      Matching.append(sql, m.getKey(), m.getValue(), request.fuzzy());
    }
    sql.append(
        switch (request.level()) {
          case STUDY -> STUDY_ORDER;
          case SERIES -> STUDY_ORDER + ", s.series_number nulls last, s.pk";
          case INSTANCE ->
              STUDY_ORDER
                  + ", s.series_number nulls last, s.pk, i.instance_number nulls last, i.pk";
        });
    sql.append(" limit ? offset ?", (long) request.limit() + 1, (long) request.offset());
    return sql;
  }
}
