package org.strata.query.qido;

import java.util.Map;
import org.strata.dicom.Tag;
import org.strata.indexschema.IndexJoins;
import org.strata.indexschema.InstanceTable;
import org.strata.indexschema.PatientLinkMemberTable;
import org.strata.indexschema.PatientTable;
import org.strata.indexschema.SeriesTable;
import org.strata.indexschema.StudyTable;

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
  // Aliases: p patient, st study, s series, i instance (QidoAttribute's match expressions use
  // them).
  private static final String STUDY_COLUMNS =
      IndexJoins.columns(
              "st",
              StudyTable.STUDY_UID,
              StudyTable.STUDY_DATE,
              StudyTable.STUDY_TIME,
              StudyTable.ACCESSION_NUMBER,
              StudyTable.STUDY_ID,
              StudyTable.STUDY_DESCRIPTION,
              StudyTable.REFERRING_PHYSICIAN,
              StudyTable.NUMBER_OF_SERIES,
              StudyTable.NUMBER_OF_INSTANCES,
              StudyTable.MODALITIES_IN_STUDY,
              StudyTable.SOP_CLASSES_IN_STUDY)
          + ", "
          + IndexJoins.columns(
              "p",
              PatientTable.PATIENT_ID,
              PatientTable.ISSUER,
              PatientTable.PATIENT_NAME,
              PatientTable.BIRTH_DATE,
              PatientTable.SEX)
          + ", p."
          + PatientTable.PK
          + " as patient_pk";
  private static final String SERIES_COLUMNS =
      ", "
          + IndexJoins.columns(
              "s",
              SeriesTable.SERIES_UID,
              SeriesTable.MODALITY,
              SeriesTable.SERIES_NUMBER,
              SeriesTable.SERIES_DESCRIPTION,
              SeriesTable.BODY_PART_EXAMINED)
          + ", s."
          + SeriesTable.PPS_START_DATE
          + " as pps_start_date, s."
          + SeriesTable.PPS_START_TIME
          + " as pps_start_time, s."
          + SeriesTable.NUMBER_OF_INSTANCES
          + " as series_instances";
  private static final String INSTANCE_COLUMNS =
      ", "
          + IndexJoins.columns(
              "i",
              InstanceTable.SOP_INSTANCE_UID,
              InstanceTable.SOP_CLASS_UID,
              InstanceTable.INSTANCE_NUMBER,
              InstanceTable.NUMBER_OF_FRAMES,
              InstanceTable.PIXEL_ROWS,
              InstanceTable.PIXEL_COLUMNS)
          + ", i."
          + InstanceTable.ATTRIBUTES
          + "::text as attributes";
  // One instance's attributes stand for the study or series when an attribute the index has no
  // column for is asked for by includefield (study- and series-level attributes are the same in
  // every instance of a well-formed study).
  private static final String STUDY_ATTRIBUTES =
      ", (select i."
          + InstanceTable.ATTRIBUTES
          + "::text from "
          + SeriesTable.NAME
          + " s1 join "
          + InstanceTable.NAME
          + " i on i."
          + InstanceTable.SERIES_PK
          + " = s1."
          + SeriesTable.PK
          + " where s1."
          + SeriesTable.STUDY_PK
          + " = st."
          + StudyTable.PK
          + " order by i."
          + InstanceTable.PK
          + " limit 1) as attributes";
  private static final String SERIES_ATTRIBUTES =
      ", (select i."
          + InstanceTable.ATTRIBUTES
          + "::text from "
          + InstanceTable.NAME
          + " i where i."
          + InstanceTable.SERIES_PK
          + " = s."
          + SeriesTable.PK
          + " order by i."
          + InstanceTable.PK
          + " limit 1) as attributes";

  private static final String STUDY_ORDER = StudyTable.newestFirst("st");
  private static final String SERIES_ORDER = ", " + SeriesTable.byNumber("s");
  private static final String INSTANCE_ORDER = ", " + InstanceTable.byNumber("i");

  // The identities of the patients linked to the row's patient in the visible tenants, as a JSON
  // array of [PatientID, issuer] pairs (OtherPatientIDsSequence); one primary-key probe of
  // patient_link_member per row, null when the patient is not linked.
  private static final String OTHER_PATIENT_IDS =
      ", (select json_agg(json_build_array(op."
          + PatientTable.PATIENT_ID
          + ", op."
          + PatientTable.ISSUER
          + ") order by op."
          + PatientTable.TENANT
          + ", op."
          + PatientTable.PATIENT_ID
          + ", op."
          + PatientTable.ISSUER
          + ")::text from "
          + PatientLinkMemberTable.NAME
          + " la join "
          + PatientLinkMemberTable.NAME
          + " lb on lb."
          + PatientLinkMemberTable.LINK_ID
          + " = la."
          + PatientLinkMemberTable.LINK_ID
          + " join "
          + PatientTable.NAME
          + " op on op."
          + PatientTable.PK
          + " = lb."
          + PatientLinkMemberTable.PATIENT_PK
          + " where la."
          + PatientLinkMemberTable.PATIENT_PK
          + " = p."
          + PatientTable.PK
          + " and op."
          + PatientTable.PK
          + " <> p."
          + PatientTable.PK
          + " and op."
          + PatientTable.TENANT
          + " = any(?)) as other_patient_ids";

  // The joins up the hierarchy, each table by its parent's primary key.
  private static final String STUDY_FROM =
      " from " + StudyTable.NAME + " st" + IndexJoins.patientOfStudy("p", "st");
  private static final String SERIES_FROM =
      " from "
          + SeriesTable.NAME
          + " s"
          + IndexJoins.studyOfSeries("st", "s")
          + IndexJoins.patientOfStudy("p", "st");
  private static final String INSTANCE_FROM =
      " from "
          + InstanceTable.NAME
          + " i"
          + IndexJoins.seriesOfInstance("s", "i")
          + IndexJoins.studyOfSeries("st", "s")
          + IndexJoins.patientOfStudy("p", "st");

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
    // A search by Patient ID reaches the patients linked to the matching ones (ADR 0012): the
    // tenant conditions then allow every visible tenant, and the patient condition below says
    // which patients of them.
    boolean byPatientId = byPatientId(request);
    Object tenants = byPatientId ? scope.visibleArray() : scope.tenantArray();
    String is = " = any(?)";
    String other = withOtherPatientIds ? OTHER_PATIENT_IDS : "";
    Object[] others = withOtherPatientIds ? new Object[] {scope.visibleArray()} : new Object[0];
    switch (request.level()) {
      case STUDY -> {
        sql.append(
            "select " + STUDY_COLUMNS + (withAttributes ? STUDY_ATTRIBUTES : "") + other, others);
        sql.append(
            STUDY_FROM
                + " where st."
                + StudyTable.TENANT
                + is
                + " and p."
                + PatientTable.TENANT
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
            SERIES_FROM
                + " where s."
                + SeriesTable.TENANT
                + is
                + " and st."
                + StudyTable.TENANT
                + is
                + " and p."
                + PatientTable.TENANT
                + is,
            tenants,
            tenants,
            tenants);
      }
      case INSTANCE -> {
        sql.append("select " + STUDY_COLUMNS + SERIES_COLUMNS + INSTANCE_COLUMNS + other, others);
        sql.append(
            INSTANCE_FROM
                + " where i."
                + InstanceTable.TENANT
                + is
                + " and s."
                + SeriesTable.TENANT
                + is
                + " and st."
                + StudyTable.TENANT
                + is
                + " and p."
                + PatientTable.TENANT
                + is,
            tenants,
            tenants,
            tenants,
            tenants);
      }
    }
    // A department-limited caller: the study's tenant seen whole, or one of the caller's labels
    // (ADR 0025). Inside the statement, so limit and offset count only what the caller may see.
    // Without labels the tenant conditions above already say it all.
    if (scope.limitsByLabel()) {
      sql.and(scope.studyCondition("st"), scope.studyValues(byPatientId));
    }
    if (byPatientId) {
      patients(sql, request, scope.tenantArray());
    }
    if (request.studyUid() != null) {
      sql.and("st." + StudyTable.STUDY_UID + " = ?", request.studyUid());
    }
    if (request.seriesUid() != null) {
      sql.and("s." + SeriesTable.SERIES_UID + " = ?", request.seriesUid());
    }
    for (Map.Entry<QidoAttribute, String> m : request.matches().entrySet()) {
      if (!(byPatientId && isIdentity(m.getKey()))) {
        Matching.append(sql, m.getKey(), m.getValue(), request.fuzzy());
      }
    }
    sql.append(
        switch (request.level()) {
          case STUDY -> STUDY_ORDER;
          case SERIES -> STUDY_ORDER + SERIES_ORDER;
          case INSTANCE -> STUDY_ORDER + SERIES_ORDER + INSTANCE_ORDER;
        });
    sql.append(" limit ? offset ?", (long) request.limit() + 1, (long) request.offset());
    return sql;
  }

  /**
   * The distinct patients of every match of a search (all pages, whatever its limit and offset):
   * Patient ID, issuer and how many there are in all, at most {@code bound} rows. For the audit
   * record of a C-FIND whose matches do not fit one page.
   */
  static Sql patients(QidoRequest request, TenantScope scope, int bound) {
    QidoRequest all =
        new QidoRequest(
            request.level(),
            request.studyUid(),
            request.seriesUid(),
            request.matches(),
            request.includeFields(),
            request.includeAll(),
            request.fuzzy(),
            Integer.MAX_VALUE - 1,
            0);
    return Sql.around(
        "select m."
            + PatientTable.PATIENT_ID
            + ", m."
            + PatientTable.ISSUER
            + ", count(*) over () as patients from (select distinct q."
            + PatientTable.PATIENT_ID
            + ", q."
            + PatientTable.ISSUER
            + " from (",
        build(all, scope, false, false),
        ") q) m order by 1, 2 limit ?",
        (long) bound);
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
   * The patients of a search by Patient ID: those of the caller's tenants that match PatientID (and
   * IssuerOfPatientID), and every patient linked to one of them. Both halves start from the
   * patient_id_any_issuer index of the caller's tenant; the links are primary-key and link-id
   * probes of patient_link_member. The visible tenants are enforced by the tenant conditions.
   */
  private static void patients(Sql sql, QidoRequest request, String[] tenants) {
    sql.append(
        " and p."
            + PatientTable.PK
            + " in (select m."
            + PatientTable.PK
            + " from "
            + PatientTable.NAME
            + " m where m."
            + PatientTable.TENANT
            + " = any(?)",
        (Object) tenants);
    identityKeys(sql, request);
    sql.append(
        " union all select lo."
            + PatientLinkMemberTable.PATIENT_PK
            + " from "
            + PatientTable.NAME
            + " m join "
            + PatientLinkMemberTable.NAME
            + " lm on lm."
            + PatientLinkMemberTable.PATIENT_PK
            + " = m."
            + PatientTable.PK
            + " join "
            + PatientLinkMemberTable.NAME
            + " lo on lo."
            + PatientLinkMemberTable.LINK_ID
            + " = lm."
            + PatientLinkMemberTable.LINK_ID
            + " where m."
            + PatientTable.TENANT
            + " = any(?)",
        (Object) tenants);
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
