package org.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;

/**
 * An acknowledged instance whose values hold a NUL character inside (which PostgreSQL refuses in
 * text and jsonb) is indexed, once, without the NUL in the index's copy (as dicom-core reads such a
 * value), and does not keep the good instances of its batch out (ADR 0023). Before that it was
 * dead-lettered: stored, but never searchable.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres"))
class UnholdableValuesTest extends IndexTestSupport {

  @Test
  void anInstanceWithNulInsideItsValuesIsIndexedWithItsBatch() throws Exception {
    InstanceStoredMother good1 = new InstanceStoredMother();
    // Its own patient and study, with a NUL inside every indexed text value ingest passes on
    // (event fields and the DICOM JSON attributes alike).
    InstanceStoredMother poison = new InstanceStoredMother();
    poison.patientId = "PID\u0000" + poison.patientId;
    poison.patientName = "Doe\u0000^Jane";
    poison.accession = "ACC\u0000" + poison.accession;
    poison.description = "CT\u0000HEAD";
    InstanceStoredMother good2 = good1.nextInstance();
    publishUnderOneKey(good1.studyUid, List.of(good1, poison, good2));

    awaitInstances(good1.studyUid, 2);
    awaitInstances(poison.studyUid, 1);
    assertEquals("1|2|2|1|2", snapshot(good1.studyUid));
    assertEquals("1|1|1|1|1", snapshot(poison.studyUid));
    // Found by what it holds besides the NUL (its Study Instance UID, as a QIDO for it would),
    // without the NUL, in the typed columns and in the attributes QIDO returns.
    String study = "where st.study_uid = '" + poison.studyUid + "'";
    assertEquals(
        poison.patientId.replace("\u0000", ""),
        query("select p.patient_id from study st join patient p on p.pk = st.patient_pk " + study));
    assertEquals(
        "Doe^Jane",
        query(
            "select p.patient_name from study st join patient p on p.pk = st.patient_pk " + study));
    assertEquals(
        poison.accession.replace("\u0000", "") + "|CTHEAD",
        query("select accession_number || '|' || study_description from study st " + study));
    assertEquals(
        "CTHEAD",
        query(
            "select attributes->'00081030'->'Value'->>0 from instance where sop_instance_uid = '"
                + poison.sopUid
                + "'"));
    String metrics =
        io.restassured.RestAssured.given()
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertTrue(
        metrics.contains("strata_index_instances_characters_replaced_total{tenant=\"hosp-a\"}"),
        "replacement counter missing");
  }
}
