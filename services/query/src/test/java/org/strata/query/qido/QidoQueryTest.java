package org.strata.query.qido;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    assertTrue(
        sql.text()
            .contains(
                "where st.tenant = $1 and p.tenant = $2 and p.patient_id = $3 and st.study_date"
                    + " >= $4 and st.study_time >= $5 and st.study_time <= $6 order by"),
        sql.text());
    assertTrue(sql.text().endsWith(" limit $7 offset $8"), sql.text());
    assertEquals(
        List.of(
            "local",
            "local",
            hostile,
            LocalDate.of(2025, 1, 1),
            LocalTime.of(10, 0),
            LocalTime.of(10, 59, 59, 999_999_000),
            21L,
            40L),
        sql.params());
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
