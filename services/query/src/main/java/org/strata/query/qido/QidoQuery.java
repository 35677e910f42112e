package org.strata.query.qido;

import java.util.Map;
import org.strata.dicom.Tag;

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
          + " p.patient_id, p.issuer, p.patient_name, p.birth_date, p.sex, p.pk as patient_pk";
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

  // The identities of the patients linked to the row's patient in the visible tenants, as a JSON
  // array of [PatientID, issuer] pairs (OtherPatientIDsSequence); one primary-key probe of
  // patient_link_member per row, null when the patient is not linked.
  private static final String OTHER_PATIENT_IDS =
      ", (select json_agg(json_build_array(op.patient_id, op.issuer) order by op.tenant,"
          + " op.patient_id, op.issuer)::text from patient_link_member la join patient_link_member"
          + " lb on lb.link_id = la.link_id join patient op on op.pk = lb.patient_pk where"
          + " la.patient_pk = p.pk and op.pk <> p.pk and op.tenant = any(?)) as other_patient_ids";

  private QidoQuery() {}

  /** A search of the caller's tenant only. */
  static Sql build(QidoRequest request, String tenant, boolean withAttributes) {
    return build(request, TenantScope.of(tenant), withAttributes, false);
  }

  /**
   * @param scope the caller's tenant (where keys match) and the tenants links may reach
   * @param withAttributes whether study/series rows need an instance's attributes (jsonb)
   * @param withOtherPatientIds whether rows carry {@code other_patient_ids}
   */
  static Sql build(
      QidoRequest request, TenantScope scope, boolean withAttributes, boolean withOtherPatientIds) {
    Sql sql = new Sql();
    String tenant = scope.tenant();
    // A search by Patient ID reaches the patients linked to the matching ones (ADR 0012): the
    // tenant conditions then allow every visible tenant, and the patient condition below says
    // which patients of them.
    boolean byPatientId = byPatientId(request);
    Object tenants = byPatientId ? scope.visibleArray() : tenant;
    String is = byPatientId ? " = any(?)" : " = ?";
    String other = withOtherPatientIds ? OTHER_PATIENT_IDS : "";
    Object[] others = withOtherPatientIds ? new Object[] {scope.visibleArray()} : new Object[0];
    switch (request.level()) {
      case STUDY -> {
        sql.append(
            "select " + STUDY_COLUMNS + (withAttributes ? STUDY_ATTRIBUTES : "") + other, others);
        sql.append(
            " from study st join patient p on p.pk = st.patient_pk where st.tenant"
                + is
                + " and p.tenant"
                + is,
            tenants,
            tenants);
      }
      case SERIES -> {
        sql.append(
            "select "
                + STUDY_COLUMNS
                + SERIES_COLUMNS
                + (withAttributes ? SERIES_ATTRIBUTES : "")
                + other,
            others);
        sql.append(
            " from series s join study st on st.pk = s.study_pk join patient p on p.pk ="
                + " st.patient_pk where s.tenant"
                + is
                + " and st.tenant"
                + is
                + " and p.tenant"
                + is,
            tenants,
            tenants,
            tenants);
      }
      case INSTANCE -> {
        sql.append("select " + STUDY_COLUMNS + SERIES_COLUMNS + INSTANCE_COLUMNS + other, others);
        sql.append(
            " from instance i join series s on s.pk = i.series_pk join study st on st.pk ="
                + " s.study_pk join patient p on p.pk = st.patient_pk where i.tenant"
                + is
                + " and s.tenant"
                + is
                + " and st.tenant"
                + is
                + " and p.tenant"
                + is,
            tenants,
            tenants,
            tenants,
            tenants);
      }
    }
    if (byPatientId) {
      patients(sql, request, tenant);
    }
    if (request.studyUid() != null) {
      sql.and("st.study_uid = ?", request.studyUid());
    }
    if (request.seriesUid() != null) {
      sql.and("s.series_uid = ?", request.seriesUid());
    }
    for (Map.Entry<QidoAttribute, String> m : request.matches().entrySet()) {
      if (!(byPatientId && isIdentity(m.getKey()))) {
        Matching.append(sql, m.getKey(), m.getValue(), request.fuzzy());
      }
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

  /** Whether the search matches on PatientID with a value (not universal matching). */
  static boolean byPatientId(QidoRequest request) {
    String value = request.matches().get(QidoAttribute.of(Tag.PatientID));
    return value != null && !value.isEmpty() && !value.chars().allMatch(c -> c == '*');
  }

  private static boolean isIdentity(QidoAttribute a) {
    return a.tag() == Tag.PatientID || a.tag() == Tag.IssuerOfPatientID;
  }

  /**
   * The patients of a search by Patient ID: those of the caller's tenant that match PatientID (and
   * IssuerOfPatientID), and every patient linked to one of them. Both halves start from the
   * patient_id_any_issuer index of the caller's tenant; the links are primary-key and link-id
   * probes of patient_link_member. The visible tenants are enforced by the tenant conditions.
   */
  private static void patients(Sql sql, QidoRequest request, String tenant) {
    sql.append(" and p.pk in (select m.pk from patient m where m.tenant = ?", tenant);
    identityKeys(sql, request);
    sql.append(
        " union all select lo.patient_pk from patient m join patient_link_member lm on"
            + " lm.patient_pk = m.pk join patient_link_member lo on lo.link_id = lm.link_id where"
            + " m.tenant = ?",
        tenant);
    identityKeys(sql, request);
    sql.append(")");
  }

  private static void identityKeys(Sql sql, QidoRequest request) {
    for (Map.Entry<QidoAttribute, String> m : request.matches().entrySet()) {
      QidoAttribute a = m.getKey();
      if (isIdentity(a)) {
        Matching.append(sql, a.on("m." + a.column()), m.getValue(), request.fuzzy());
      }
    }
  }
}
