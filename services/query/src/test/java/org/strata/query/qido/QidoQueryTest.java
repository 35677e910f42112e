package org.strata.query.qido;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The SQL of a search: request values only ever as bind parameters. */
class QidoQueryTest {
  private static Sql sql(Level level, String... keyValues) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.put(keyValues[i], List.of(keyValues[i + 1]));
    }
    return QidoQuery.build(QidoRequest.parse(level, null, null, params, 100, 1000), "local", false);
  }

  @Test
  void valuesAreBindParameters() {
    String hostile = "x' or '1'='1'; drop table study; --";
    Sql sql =
        sql(
            Level.STUDY,
            "PatientID",
            hostile,
            "StudyDate",
            "20250101-",
            "StudyTime",
            "10",
            "limit",
            "20",
            "offset",
            "40");
    // A search by Patient ID: the caller's matching patients and the patients linked to them
    // (ADR 0012), in the tenants the caller may see (here its own).
    assertTrue(
        sql.text()
            .contains(
                "where st.tenant = any($1) and p.tenant = any($2) and p.pk in (select m.pk from"
                    + " patient m where m.tenant = any($3) and m.patient_id = $4 union all select"
                    + " lo.patient_pk from patient m join patient_link_member lm on lm.patient_pk"
                    + " = m.pk join patient_link_member lo on lo.link_id = lm.link_id where"
                    + " m.tenant = any($5) and m.patient_id = $6) and st.study_date >= $7 and"
                    + " st.study_time >= $8 and st.study_time <= $9 order by"),
        sql.text());
    assertTrue(sql.text().endsWith(" limit $10 offset $11"), sql.text());
    assertEquals(
        List.of(
            List.of("local"),
            List.of("local"),
            List.of("local"),
            hostile,
            List.of("local"),
            hostile,
            LocalDate.of(2025, 1, 1),
            LocalTime.of(10, 0),
            LocalTime.of(10, 59, 59, 999_999_000),
            21L,
            40L),
        sql.params().stream().map(p -> p instanceof Object[] a ? List.of(a) : p).toList());
    assertFalse(sql.text().contains("'1'"));
  }

  @Test
  void listsAndWildcards() {
    Sql sql =
        sql(
            Level.INSTANCE,
            "SOPClassUID",
            "1.2.3,1.2.4",
            "Modality",
            "C_*",
            "ModalitiesInStudy",
            "CT\\MR");
    assertTrue(
        sql.text()
            .contains(
                " and i.sop_class_uid = any($5) and s.modality like $6 and"
                    + " st.modalities_in_study && $7 order by"),
        sql.text());
    assertEquals("C\\_%", sql.params().get(5));
  }

  @Test
  void aDepartmentLimitedScopeIsAConditionOfTheStatementBeforePaging() {
    TenantScope scope =
        TenantScope.ofToken(
            Set.of("hospital-a", "hospital-b"), Map.of("hospital-a", Set.of("cardiology")));
    Sql sql =
        QidoQuery.build(
            QidoRequest.parse(Level.STUDY, null, null, Map.of(), 100, 1000), scope, false, false);
    assertTrue(
        sql.text()
            .contains(
                "where st.tenant = any($1) and p.tenant = any($2) and (st.tenant = any($3) or"
                    + " exists (select 1 from unnest($4::text[], $5::text[]) g(t, l) where g.t ="
                    + " st.tenant and g.l = any(st.access_labels))) order by"),
        sql.text());
    assertArrayEquals(new String[] {"hospital-b"}, (String[]) sql.params().get(2));
    assertArrayEquals(new String[] {"hospital-a"}, (String[]) sql.params().get(3));
    assertArrayEquals(new String[] {"cardiology"}, (String[]) sql.params().get(4));
    // No tenant: the condition matches nothing (never everything).
    Sql none =
        QidoQuery.build(
            QidoRequest.parse(Level.STUDY, null, null, Map.of(), 100, 1000),
            TenantScope.ofToken(Set.of(), Map.of()),
            false,
            false);
    assertArrayEquals(new String[0], (String[]) none.params().get(0));
  }

  @Test
  void personNamesAreNormalisedAndMatchWholeWords() {
    Sql sql = sql(Level.STUDY, "PatientName", "Mül%er^J*", "fuzzymatching", "true");
    assertTrue(
        sql.text()
            .contains(
                " and ((p.patient_name_norm like $3 and (' ' || p.patient_name_norm || ' ') like"
                    + " $4) or p.patient_name_norm % $5) order by"),
        sql.text());
    assertEquals(
        List.of("%MUL\\%ER J%%", "% MUL\\%ER J% %", "MUL%ER J"), sql.params().subList(2, 5));
  }

  @Test
  void dicomWildcardsAsLikePatterns() {
    assertEquals("A\\_\\%\\\\%_", Matching.like("A_%\\*?"));
    assertEquals("A\\_\\%\\\\*?", Matching.escapeLike("A_%\\*?"));
  }

  @Test
  void uids() {
    assertTrue(QidoRequest.isValidUid("1.2.840.10008.5.1.4.1.1.2"));
    assertTrue(QidoRequest.isValidUid("0.0"));
    assertFalse(QidoRequest.isValidUid("1.02"));
    assertFalse(QidoRequest.isValidUid("1..2"));
    assertFalse(QidoRequest.isValidUid("1.2."));
    assertFalse(QidoRequest.isValidUid("1." + "2".repeat(63)));
    assertThrows(QidoException.class, () -> sql(Level.STUDY, "StudyInstanceUID", "1.2 or 1=1"));
  }
}
