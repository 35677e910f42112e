package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.QidoTestData.CT;
import static org.strata.query.QidoTestData.MR;
import static org.strata.query.QidoTestData.PR;
import static org.strata.query.QidoTestData.S1;
import static org.strata.query.QidoTestData.S2;
import static org.strata.query.QidoTestData.S3;
import static org.strata.query.QidoTestData.S4;
import static org.strata.query.QidoTestData.S5;
import static org.strata.query.QidoTestData.S7;
import static org.strata.query.QidoTestData.instance;
import static org.strata.query.QidoTestData.series;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;

/** Series and instance searches on the known data set ({@link QidoTestData}). */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class SeriesAndInstanceSearchTest extends QidoTestSupport {

  @Test
  void seriesOfAStudyWithTheirDefaultAttributes() throws Exception {
    JsonNode all = json(get("/studies/" + S2 + "/series"));
    assertEquals(List.of(series(S2, 1), series(S2, 2)), firstValues(all, SERIES_UID));
    JsonNode mr = all.get(0);
    // PS3.18 Table 10.6.3-4 and the study's UID; no other study attributes (the path fixes it).
    assertEquals(
        List.of(
            "00080005",
            "00080060",
            "0008103E",
            "00081190",
            "0020000D",
            "0020000E",
            "00200011",
            "00201209",
            "00400244",
            "00400245"),
        tags(mr));
    assertEquals("MR", value(mr, "00080060"));
    assertEquals("T1 SAG", value(mr, "0008103E"));
    assertTrue(
        value(mr, "00081190").endsWith("/dicomweb/studies/" + S2 + "/series/" + series(S2, 1)));
    assertEquals(S2, value(mr, "0020000D"));
    assertEquals(1, mr.path("00200011").path("Value").get(0).asInt());
    assertEquals(3, mr.path("00201209").path("Value").get(0).asInt());
    assertEquals("20250220", value(mr, "00400244"));
    assertEquals("140500", value(mr, "00400245"));
    JsonNode sr = all.get(1);
    assertEquals("{\"vr\":\"DA\"}", sr.path("00400244").toString());
  }

  @Test
  void allSeriesCarryTheirStudyAttributes() throws Exception {
    JsonNode ct = json(get("/series", "Modality", "CT"));
    assertEquals(List.of(series(S5, 1), series(S1, 1), series(S3, 1)), firstValues(ct, SERIES_UID));
    assertEquals(List.of(S5, S1, S3), firstValues(ct, STUDY_UID));
    assertEquals(List.of("ACC-1005", "ACC-1001", "ACC_1003"), firstValues(ct, "00080050"));
    assertEquals(
        "Doe^Jane", ct.get(1).path("00100010").path("Value").get(0).path("Alphabetic").asText());
  }

  @Test
  void seriesMatching() throws Exception {
    assertEquals(
        List.of(series(S5, 1), series(S1, 1), series(S3, 1), series(S3, 2)),
        search("/series", SERIES_UID, "Modality", "CT,PR"));
    assertEquals(List.of(series(S2, 2)), search("/series", SERIES_UID, "00080060", "S?"));
    assertEquals(
        List.of(series(S2, 2), series(S3, 2)), search("/series", SERIES_UID, "SeriesNumber", "2"));
    assertEquals(
        List.of(series(S4, 1), series(S1, 1)),
        search("/series", SERIES_UID, "SeriesInstanceUID", series(S1, 1) + "," + series(S4, 1)));
    assertEquals(
        List.of(series(S2, 1)),
        search("/series", SERIES_UID, "PerformedProcedureStepStartDate", "20250220"));
    assertEquals(
        List.of(series(S4, 1), series(S1, 1)),
        search("/series", SERIES_UID, "PerformedProcedureStepStartDate", "20250101-20250131"));
    assertEquals(
        List.of(series(S1, 1)),
        search("/series", SERIES_UID, "PerformedProcedureStepStartTime", "0831"));
    // Study-level keys in a series search.
    assertEquals(
        List.of(series(S2, 1), series(S2, 2), series(S1, 1)),
        search("/series", SERIES_UID, "PatientID", "PAT-001"));
    assertEquals(
        List.of(series(S5, 1), series(S7, 1)),
        search("/series", SERIES_UID, "PatientName", "山田^太郎"));
    assertEquals(List.of(), search("/studies/" + S1 + "/series", SERIES_UID, "Modality", "MR"));
    assertEquals(
        List.of(series(S3, 2)), search("/studies/" + S3 + "/series", SERIES_UID, "Modality", "PR"));
  }

  @Test
  void instancesOfASeries() throws Exception {
    String se = series(S2, 1);
    JsonNode all = json(get("/studies/" + S2 + "/series/" + se + "/instances"));
    assertEquals(
        List.of(instance(S2, 1, 1), instance(S2, 1, 2), instance(S2, 1, 3)),
        firstValues(all, SOP_UID));
    JsonNode first = all.get(0);
    // PS3.18 Table 10.6.3-5 with the study's and series' UIDs.
    assertEquals(
        List.of(
            "00080005",
            "00080016",
            "00080018",
            "00080056",
            "00081190",
            "0020000D",
            "0020000E",
            "00200013",
            "00280008",
            "00280010",
            "00280011",
            "00280100"),
        tags(first));
    assertEquals(MR, value(first, "00080016"));
    assertEquals(
        "/dicomweb/studies/" + S2 + "/series/" + se + "/instances/" + instance(S2, 1, 1),
        value(first, "00081190").replaceFirst("^http://[^/]+", ""));
    assertEquals(1, first.path("00200013").path("Value").get(0).asInt());
    assertEquals("{\"vr\":\"IS\"}", first.path("00280008").toString());
    assertEquals(256, first.path("00280010").path("Value").get(0).asInt());
    assertEquals(256, first.path("00280011").path("Value").get(0).asInt());
    // BitsAllocated has no column: from the instance's attributes.
    assertEquals(16, first.path("00280100").path("Value").get(0).asInt());
    // The second instance's attributes are stored as a JSON string (as the index wrote them
    // before it bound them as text): read all the same.
    assertEquals(16, all.get(1).path("00280100").path("Value").get(0).asInt());
    assertEquals(2, all.get(1).path("00200013").path("Value").get(0).asInt());
  }

  @Test
  void instancesOfAStudyCarryTheirSeriesAttributes() throws Exception {
    JsonNode all = json(get("/studies/" + S3 + "/instances"));
    assertEquals(
        List.of(instance(S3, 1, 1), instance(S3, 1, 2), instance(S3, 2, 1)),
        firstValues(all, SOP_UID));
    assertEquals(List.of("CT", "CT", "PR"), firstValues(all, "00080060"));
    assertEquals(List.of(CT, CT, PR), firstValues(all, "00080016"));
    assertFalse(all.get(0).has("00100010"), "the study is fixed by the path");
    // An SR has no pixel attributes.
    JsonNode report = json(get("/studies/" + S2 + "/instances", "Modality", "SR")).get(0);
    assertEquals("{\"vr\":\"US\"}", report.path("00280010").toString());
    assertEquals("{\"vr\":\"US\"}", report.path("00280100").toString());
  }

  @Test
  void instanceMatching() throws Exception {
    JsonNode mr = json(get("/instances", "SOPClassUID", MR));
    assertEquals(
        List.of(instance(S2, 1, 1), instance(S2, 1, 2), instance(S2, 1, 3)),
        firstValues(mr, SOP_UID));
    assertEquals(
        "Doe^Jane", mr.get(0).path("00100010").path("Value").get(0).path("Alphabetic").asText());
    assertEquals(
        List.of(instance(S2, 1, 2), instance(S1, 1, 2), instance(S3, 1, 2)),
        search("/instances", SOP_UID, "InstanceNumber", "2"));
    assertEquals(
        List.of(instance(S4, 1, 1)),
        search("/instances", SOP_UID, "SOPInstanceUID", instance(S4, 1, 1)));
    assertEquals(
        List.of(instance(S5, 1, 1), instance(S3, 2, 1)),
        search("/instances", SOP_UID, "00080018", instance(S3, 2, 1) + "\\" + instance(S5, 1, 1)));
    assertEquals(
        List.of(instance(S1, 1, 1), instance(S1, 1, 2)),
        search("/instances", SOP_UID, "AccessionNumber", "ACC-1001", "Modality", "CT"));
    assertEquals(
        List.of("10"),
        firstValues(json(get("/instances", "SOPInstanceUID", instance(S4, 1, 1))), "00280008"));
  }

  @Test
  void includefieldAllAtInstanceLevelReturnsTheStoredAttributes() throws Exception {
    JsonNode i =
        json(get("/instances", "SOPInstanceUID", instance(S1, 1, 1), "includefield", "all")).get(0);
    assertEquals("[\"ORIGINAL\",\"PRIMARY\"]", i.path("00080008").path("Value").toString());
    assertEquals("General Hospital", value(i, "00080080"));
    assertEquals("CT HEAD", value(i, "00081030"));
    assertEquals("AXIAL", value(i, "0008103E"));
    assertEquals("HEAD", value(i, "00180015"));
  }

  private static String value(JsonNode result, String tag) {
    return result.path(tag).path("Value").path(0).asText(null);
  }
}
