package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.QidoTestData.S1;
import static org.strata.query.QidoTestData.S2;
import static org.strata.query.QidoTestData.S3;
import static org.strata.query.QidoTestData.S4;
import static org.strata.query.QidoTestData.S5;
import static org.strata.query.QidoTestData.S7;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;

/** GET /dicomweb/studies on the known data set ({@link QidoTestData}): each matching type. */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class StudySearchTest extends QidoTestSupport {

  @Test
  void allStudiesOfTheTenantNewestFirstUndatedLast() throws Exception {
    ExtractableResponse<Response> r = get("/studies");
    assertEquals(200, r.statusCode());
    assertTrue(r.contentType().startsWith("application/dicom+json"), r.contentType());
    assertEquals(List.of(S5, S2, S4, S1, S3, S7), firstValues(json(r), STUDY_UID));
    assertEquals(null, r.header("Warning"));
  }

  @Test
  void defaultAttributesOfAStudy() throws Exception {
    ExtractableResponse<Response> r = get("/studies", "StudyInstanceUID", S2);
    JsonNode study = json(r).get(0);
    assertEquals(1, json(r).size());
    // PS3.18 Table 10.6.3-3, in tag order, and nothing else.
    assertEquals(
        List.of(
            "00080005",
            "00080020",
            "00080030",
            "00080050",
            "00080056",
            "00080061",
            "00080090",
            "00081190",
            "00100010",
            "00100020",
            "00100030",
            "00100040",
            "0020000D",
            "00200010",
            "00201206",
            "00201208"),
        tags(study));
    assertEquals("ISO_IR 192", value(study, "00080005"));
    assertEquals("20250220", value(study, "00080020"));
    assertEquals("DA", study.path("00080020").path("vr").asText());
    assertEquals("140000", value(study, "00080030"));
    assertEquals("ACC-1002", value(study, "00080050"));
    assertEquals("ONLINE", value(study, "00080056"));
    assertEquals("[\"MR\",\"SR\"]", study.path("00080061").path("Value").toString());
    assertEquals(
        "Smith^Anna", study.path("00080090").path("Value").get(0).path("Alphabetic").asText());
    String url = value(study, "00081190");
    assertTrue(url.matches("http://[^/]+/dicomweb/studies/" + S2.replace(".", "\\.")), url);
    assertEquals(
        "Doe^Jane", study.path("00100010").path("Value").get(0).path("Alphabetic").asText());
    assertEquals("PAT-001", value(study, "00100020"));
    assertEquals("19700101", value(study, "00100030"));
    assertEquals("F", value(study, "00100040"));
    assertEquals(S2, value(study, "0020000D"));
    assertEquals("1002", value(study, "00200010"));
    assertEquals(2, study.path("00201206").path("Value").get(0).asInt());
    assertEquals(4, study.path("00201208").path("Value").get(0).asInt());
  }

  @Test
  void emptyValuesAreReturnedWithoutValue() throws Exception {
    JsonNode study = json(get("/studies", "StudyInstanceUID", S7)).get(0);
    assertEquals("{\"vr\":\"DA\"}", study.path("00080020").toString());
    assertEquals("{\"vr\":\"SH\"}", study.path("00080050").toString());
    assertEquals("{\"vr\":\"PN\"}", study.path("00080090").toString());
    // An ideographic name keeps its component groups.
    JsonNode name = study.path("00100010").path("Value").get(0);
    assertEquals("Yamada^Tarou", name.path("Alphabetic").asText());
    assertEquals("山田^太郎", name.path("Ideographic").asText());
  }

  @Test
  void singleValueMatchingByKeywordOrTag() throws Exception {
    assertEquals(List.of(S4, S3), search("/studies", STUDY_UID, "PatientID", "PAT-002"));
    assertEquals(List.of(S4, S3), search("/studies", STUDY_UID, "00100020", "PAT-002"));
    assertEquals(List.of(S4), search("/studies", STUDY_UID, "StudyID", "1004"));
    assertEquals(List.of(S1), search("/studies", STUDY_UID, "AccessionNumber", "ACC-1001"));
    // Single value matching of text is case-sensitive (only names are not).
    assertEquals(List.of(), search("/studies", STUDY_UID, "AccessionNumber", "acc-1001"));
  }

  @Test
  void universalMatchingReturnsEverything() throws Exception {
    assertEquals(List.of(S5, S2, S4, S1, S3, S7), search("/studies", STUDY_UID, "PatientName", ""));
    assertEquals(List.of(S5, S2, S4, S1, S3, S7), search("/studies", STUDY_UID, "PatientID", "*"));
  }

  @Test
  void wildcardsWithLikeCharactersEscaped() throws Exception {
    assertEquals(List.of(S5, S2, S1), search("/studies", STUDY_UID, "AccessionNumber", "ACC-100?"));
    // '_' and '%' in the value are literal characters, not LIKE wildcards.
    assertEquals(List.of(S3), search("/studies", STUDY_UID, "AccessionNumber", "ACC_*"));
    assertEquals(List.of(S4), search("/studies", STUDY_UID, "AccessionNumber", "ACC%*"));
    assertEquals(List.of(S5), search("/studies", STUDY_UID, "AccessionNumber", "*5"));
    assertEquals(
        List.of(S4, S1),
        search(
            "/studies", STUDY_UID, "StudyID", "100?", "PatientID", "*", "StudyDate", "20250110"));
  }

  @Test
  void uidListMatching() throws Exception {
    assertEquals(List.of(S1, S3), search("/studies", STUDY_UID, "StudyInstanceUID", S3 + "," + S1));
    assertEquals(
        List.of(S4, S1), search("/studies", STUDY_UID, "StudyInstanceUID", S1 + "\\" + S4));
    assertEquals(List.of(S2), search("/studies", STUDY_UID, "0020000D", S2));
  }

  @Test
  void dateMatchingAndRanges() throws Exception {
    assertEquals(List.of(S4, S1), search("/studies", STUDY_UID, "StudyDate", "20250110"));
    assertEquals(List.of(S4, S1), search("/studies", STUDY_UID, "StudyDate", "20250101-20250131"));
    assertEquals(List.of(S5, S2), search("/studies", STUDY_UID, "StudyDate", "20250201-"));
    assertEquals(List.of(S3), search("/studies", STUDY_UID, "StudyDate", "-20241231"));
    assertEquals(
        List.of(S3),
        search("/studies", STUDY_UID, "PatientBirthDate", "-19651231", "StudyDate", "-20241231"));
  }

  @Test
  void timeMatchingToThePrecisionGiven() throws Exception {
    assertEquals(List.of(S1), search("/studies", STUDY_UID, "StudyTime", "0830"));
    assertEquals(List.of(), search("/studies", STUDY_UID, "StudyTime", "083001"));
    assertEquals(List.of(S5, S4, S1), search("/studies", STUDY_UID, "StudyTime", "08-10"));
    assertEquals(List.of(S3), search("/studies", STUDY_UID, "StudyTime", "2359-"));
    assertEquals(List.of(S5, S1), search("/studies", STUDY_UID, "StudyTime", "-0900"));
    assertEquals(List.of(S3), search("/studies", STUDY_UID, "StudyTime", "235959.000000-"));
    assertEquals(List.of(), search("/studies", STUDY_UID, "StudyTime", "235959.5-"));
    assertEquals(List.of(S5, S2, S4, S1), search("/studies", STUDY_UID, "StudyTime", "-235958.9"));
    // Date and time are matched each on its own.
    assertEquals(
        List.of(S4), search("/studies", STUDY_UID, "StudyDate", "20250110", "StudyTime", "10-"));
  }

  @Test
  void modalitiesInStudy() throws Exception {
    assertEquals(List.of(S2), search("/studies", STUDY_UID, "ModalitiesInStudy", "MR"));
    assertEquals(List.of(S2), search("/studies", STUDY_UID, "ModalitiesInStudy", "SR"));
    assertEquals(List.of(S5, S1, S3), search("/studies", STUDY_UID, "ModalitiesInStudy", "CT,PR"));
    assertEquals(List.of(S5, S4, S1, S3), search("/studies", STUDY_UID, "00080061", "CT\\US"));
    assertEquals(List.of(S2), search("/studies", STUDY_UID, "ModalitiesInStudy", "S*"));
    assertEquals(List.of(S3), search("/studies", STUDY_UID, "ModalitiesInStudy", "P?"));
  }

  @Test
  void patientNamesIgnoreCaseAccentsAndPosition() throws Exception {
    assertEquals(List.of(S2, S1), search("/studies", STUDY_UID, "PatientName", "Doe^Jane"));
    assertEquals(List.of(S2, S1), search("/studies", STUDY_UID, "PatientName", "doe^jane"));
    assertEquals(List.of(S2, S1), search("/studies", STUDY_UID, "PatientName", "Doe"));
    assertEquals(List.of(S2, S1), search("/studies", STUDY_UID, "PatientName", "JANE"));
    assertEquals(List.of(S4, S3), search("/studies", STUDY_UID, "PatientName", "muller"));
    assertEquals(List.of(S4, S3), search("/studies", STUDY_UID, "00100010", "MÜLLER^Hans"));
    // A query matches whole words: "Do" is no name's word.
    assertEquals(List.of(), search("/studies", STUDY_UID, "PatientName", "Do"));
    assertEquals(List.of(), search("/studies", STUDY_UID, "PatientName", "Jane^Doe"));
  }

  @Test
  void patientNameWildcards() throws Exception {
    assertEquals(List.of(S2, S1), search("/studies", STUDY_UID, "PatientName", "Do*"));
    assertEquals(List.of(S2, S1), search("/studies", STUDY_UID, "PatientName", "Jan*"));
    assertEquals(List.of(S2, S1), search("/studies", STUDY_UID, "PatientName", "*ane"));
    assertEquals(List.of(S2, S1), search("/studies", STUDY_UID, "PatientName", "D?E^*"));
    assertEquals(List.of(S4, S3), search("/studies", STUDY_UID, "PatientName", "m*r^h*"));
    assertEquals(List.of(), search("/studies", STUDY_UID, "PatientName", "X*"));
  }

  @Test
  void japaneseIdeographicNames() throws Exception {
    assertEquals(List.of(S5, S7), search("/studies", STUDY_UID, "PatientName", "山田^太郎"));
    assertEquals(List.of(S5, S7), search("/studies", STUDY_UID, "PatientName", "山田*"));
    assertEquals(List.of(S5, S7), search("/studies", STUDY_UID, "PatientName", "Yamada"));
    assertEquals(
        List.of(S5, S7), search("/studies", STUDY_UID, "PatientName", "Yamada^Tarou=山田^太郎"));
    assertEquals(List.of(), search("/studies", STUDY_UID, "PatientName", "山本"));
  }

  @Test
  void referringPhysicianName() throws Exception {
    // S6 of the other tenant has the same referring physician and is not found.
    assertEquals(List.of(S2, S1), search("/studies", STUDY_UID, "ReferringPhysicianName", "smith"));
    assertEquals(List.of(S3), search("/studies", STUDY_UID, "00080090", "Muller^Eva"));
    assertEquals(List.of(S5), search("/studies", STUDY_UID, "ReferringPhysicianName", "Tan*"));
  }

  @Test
  void fuzzyMatchingOfNames() throws Exception {
    assertEquals(List.of(), search("/studies", STUDY_UID, "PatientName", "Doe^Jain"));
    assertEquals(
        List.of(S2, S1),
        search("/studies", STUDY_UID, "PatientName", "Doe^Jain", "fuzzymatching", "true"));
    assertEquals(
        List.of(S4, S3),
        search("/studies", STUDY_UID, "PatientName", "Mueller^Hans", "fuzzymatching", "true"));
    assertEquals(
        List.of(S2, S1),
        search(
            "/studies",
            STUDY_UID,
            "ReferringPhysicianName",
            "Smyth^Anna",
            "fuzzymatching",
            "true"));
    // Exact matches stay matches with fuzzy matching on.
    assertEquals(
        List.of(S5, S7),
        search("/studies", STUDY_UID, "PatientName", "山田^太郎", "fuzzymatching", "true"));
    assertEquals(
        List.of(),
        search("/studies", STUDY_UID, "PatientName", "Xavier^Quinn", "fuzzymatching", "true"));
  }

  @Test
  void includefield() throws Exception {
    JsonNode study =
        json(get("/studies", "StudyInstanceUID", S2, "includefield", "StudyDescription,00080080"))
            .get(0);
    assertEquals("MR BRAIN", value(study, "00081030"));
    // InstitutionName has no column: it comes from the instances' attributes.
    assertEquals("General Hospital", value(study, "00080080"));
    // Asked for, not known: returned empty.
    JsonNode empty =
        json(get("/studies", "StudyInstanceUID", S2, "includefield", "ProtocolName")).get(0);
    assertEquals("{\"vr\":\"LO\"}", empty.path("00181030").toString());

    JsonNode all = json(get("/studies", "StudyInstanceUID", S3, "includefield", "all")).get(0);
    assertEquals("CT CHEST", value(all, "00081030"));
    assertEquals(
        "[\"" + QidoTestData.CT + "\",\"" + QidoTestData.PR + "\"]",
        all.path("00080062").path("Value").toString());
    // Series and instance attributes are not study attributes.
    assertFalse(all.has("00080060"));
    assertFalse(all.has("00080018"));
  }

  private static String value(JsonNode result, String tag) {
    return result.path(tag).path("Value").path(0).asText(null);
  }
}
