package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.QidoTestData.S1;
import static org.strata.query.QidoTestData.S2;
import static org.strata.query.QidoTestData.S3;
import static org.strata.query.QidoTestData.S4;
import static org.strata.query.QidoTestData.S5;
import static org.strata.query.QidoTestData.S6;
import static org.strata.query.QidoTestData.S7;
import static org.strata.query.QidoTestData.instance;
import static org.strata.query.QidoTestData.series;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;

/** limit/offset with the Warning header, tenant isolation, 400s, and the read-only pool. */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class PagingTenantAndErrorsTest extends QidoTestSupport {
  private static final String CUT =
      "\"The number of results exceeded the maximum supported by the server. Additional results"
          + " can be requested.\"";

  @Inject Pool pool;

  @Test
  void pagesWithAWarningWhileMoreResultsFollow() throws Exception {
    ExtractableResponse<Response> first = get("/studies", "limit", "2");
    assertEquals(List.of(S5, S2), firstValues(json(first), STUDY_UID));
    String warning = first.header("Warning");
    assertTrue(warning != null && warning.matches("299 [^ ]+: .*"), warning);
    assertTrue(warning.endsWith(": " + CUT), warning);

    ExtractableResponse<Response> second = get("/studies", "limit", "2", "offset", "2");
    assertEquals(List.of(S4, S1), firstValues(json(second), STUDY_UID));
    assertTrue(second.header("Warning").endsWith(CUT));

    // The last page ends exactly at the last match: no warning.
    ExtractableResponse<Response> last = get("/studies", "limit", "2", "offset", "4");
    assertEquals(List.of(S3, S7), firstValues(json(last), STUDY_UID));
    assertNull(last.header("Warning"));

    assertEquals(204, get("/studies", "offset", "6").statusCode());
    ExtractableResponse<Response> exact = get("/studies", "limit", "6");
    assertEquals(6, json(exact).size());
    assertNull(exact.header("Warning"));

    ExtractableResponse<Response> instances = get("/instances", "limit", "3", "offset", "1");
    assertEquals(
        List.of(instance(S2, 1, 1), instance(S2, 1, 2), instance(S2, 1, 3)),
        firstValues(json(instances), SOP_UID));
    assertTrue(instances.header("Warning").endsWith(CUT));
  }

  @Test
  void anotherTenantsDataIsNeverFound() throws Exception {
    // S6 (tenant "other") has S1's accession number, patient ID and referring physician.
    assertEquals(List.of(S1), search("/studies", STUDY_UID, "AccessionNumber", "ACC-1001"));
    assertEquals(List.of(S2, S1), search("/studies", STUDY_UID, "PatientID", "PAT-001"));
    assertEquals(List.of(), search("/studies", STUDY_UID, "StudyInstanceUID", S6));
    assertEquals(List.of(), search("/studies", STUDY_UID, "PatientName", "Doe^John"));
    // Fuzzy matching on S6's patient name finds the similar names of this tenant only.
    assertEquals(
        List.of(S2, S1),
        search("/studies", STUDY_UID, "PatientName", "Doe^John", "fuzzymatching", "true"));
    assertEquals(List.of(), search("/studies/" + S6 + "/series", SERIES_UID));
    assertEquals(List.of(), search("/studies/" + S6 + "/instances", SOP_UID));
    assertEquals(
        List.of(), search("/studies/" + S6 + "/series/" + series(S6, 1) + "/instances", SOP_UID));
    assertEquals(List.of(), search("/instances", SOP_UID, "SOPInstanceUID", instance(S6, 1, 1)));
    assertEquals(8, json(get("/series")).size());
    assertEquals(12, json(get("/instances")).size());
  }

  @Test
  void badRequestsAreRefusedWithAReason() throws Exception {
    badRequest("unknown attribute in matching key: PatientNmae", "/studies", "PatientNmae", "x");
    badRequest("unknown attribute in matching key: 0010002", "/studies", "0010002", "x");
    badRequest("Modality cannot be matched at the study level", "/studies", "Modality", "CT");
    badRequest(
        "SOPInstanceUID cannot be matched at the series level", "/series", "SOPInstanceUID", "1.2");
    badRequest(
        "NumberOfStudyRelatedSeries is not a supported matching key",
        "/studies",
        "NumberOfStudyRelatedSeries",
        "2");
    badRequest("PixelData is not a supported matching key", "/instances", "PixelData", "1");
    badRequest("unknown attribute in includefield: Bogus", "/studies", "includefield", "Bogus");

    badRequest("malformed range in StudyDate", "/studies", "StudyDate", "2025-01-10");
    badRequest("malformed range in StudyDate", "/studies", "StudyDate", "-");
    badRequest("invalid date in StudyDate", "/studies", "StudyDate", "20251301");
    badRequest(
        "malformed date in StudyDate (expected YYYYMMDD)", "/studies", "StudyDate", "2025011");
    badRequest(
        "malformed date in StudyDate (expected YYYYMMDD)",
        "/studies",
        "StudyDate",
        "20250101-2025");
    badRequest("invalid time in StudyTime", "/studies", "StudyTime", "2500");
    badRequest(
        "malformed time in StudyTime (expected HHMMSS.FFFFFF)", "/studies", "StudyTime", "10:15");
    badRequest("SeriesNumber must be an integer", "/series", "SeriesNumber", "two");

    badRequest("invalid UID in StudyInstanceUID", "/studies", "StudyInstanceUID", "1.2.03");
    badRequest("invalid UID in StudyInstanceUID", "/studies", "StudyInstanceUID", "1.2.*");
    badRequest(
        "empty value in the list of StudyInstanceUID", "/studies", "StudyInstanceUID", S1 + ",");
    badRequest("invalid UID in the study in the path", "/studies/abc/series");
    badRequest(
        "invalid UID in the series in the path", "/studies/" + S1 + "/series/1..2/instances");
    badRequest("wildcards are not allowed in a list of Modality", "/series", "Modality", "CT,M*");

    // A limit above the maximum or 0 is not an error (PS3.18 8.3.4.4): QidoPagingLimitsTest.
    badRequest("limit must be a non-negative integer", "/studies", "limit", "ten");
    badRequest("offset must be a non-negative integer", "/studies", "offset", "-1");
    badRequest("offset must be a non-negative integer", "/studies", "offset", "1e3");
    badRequest("fuzzymatching must be true or false", "/studies", "fuzzymatching", "yes");
  }

  @Test
  void dicomJsonOrNativeDicomXmlOnly() {
    // XML only as multipart/related parts (QidoXmlTest); other types of parts, bare XML: 406.
    for (String accept :
        List.of(
            "multipart/related; type=\"application/dicom\"",
            "multipart/related",
            "application/dicom+xml",
            "text/html")) {
      ExtractableResponse<Response> r =
          io.restassured.RestAssured.given()
              .accept(accept)
              .get("/dicomweb/studies")
              .then()
              .extract();
      assertEquals(406, r.statusCode(), accept);
    }
    ExtractableResponse<Response> json =
        io.restassured.RestAssured.given()
            .accept("application/json")
            .queryParam("StudyInstanceUID", S1)
            .get("/dicomweb/studies")
            .then()
            .extract();
    assertEquals(200, json.statusCode());
  }

  @Test
  void valuesNeverBecomeSql() throws Exception {
    assertEquals(List.of(), search("/studies", STUDY_UID, "PatientID", "' or '1'='1"));
    assertEquals(
        List.of(), search("/studies", STUDY_UID, "AccessionNumber", "x'; delete from study; --"));
    assertEquals(List.of(), search("/studies", STUDY_UID, "PatientName", "x') or true --*"));
    assertEquals(List.of(S5, S2, S4, S1, S3, S7), search("/studies", STUDY_UID));
  }

  @Test
  void theDatabaseRefusesWritesFromThisService() {
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class,
            () ->
                pool.query("delete from object_location")
                    .execute()
                    .await()
                    .atMost(java.time.Duration.ofSeconds(30)));
    assertTrue(e.getMessage().contains("read-only transaction"), e.getMessage());
  }

  private static void badRequest(String reason, String path, String... keyValues) throws Exception {
    ExtractableResponse<Response> r = get(path, keyValues);
    assertEquals(400, r.statusCode(), path + " " + List.of(keyValues) + ": " + r.asString());
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    JsonNode body = json(r);
    assertEquals(400, body.path("status").asInt());
    assertEquals(reason, body.path("reason").asText());
  }
}
