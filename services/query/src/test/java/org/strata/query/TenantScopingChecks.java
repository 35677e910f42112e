package org.strata.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.strata.query.TenantTestData.A_CARD;
import static org.strata.query.TenantTestData.A_RAD;
import static org.strata.query.TenantTestData.B1;
import static org.strata.query.TenantTestData.B2;
import static org.strata.query.TenantTestData.PATIENT_ID;
import static org.strata.query.TenantTestData.series;
import static org.strata.query.TenantTestData.sop;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.platform.Component;
import org.strata.testkit.SharedPlatform;
import org.strata.testkit.auth.KeycloakTokens;

/**
 * Tenant and department scoping from real Keycloak tokens (ADR 0025), inside the SQL: reader-a,
 * reader-b and reader-a-cardiology over two hospitals with the same Patient ID and overlapping
 * dates ({@link TenantTestData}). Run by {@link AuthMatrixTest}, in its application start (required
 * mode against the platform's Keycloak): a class of their own would start Keycloak once more.
 */
abstract class TenantScopingChecks {
  private static String readerA;
  private static String readerB;
  private static String cardiology;

  @BeforeAll
  static void tokens() {
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    readerA = tokens.user("reader-a");
    readerB = tokens.user("reader-b");
    cardiology = tokens.user("reader-a-cardiology");
  }

  @BeforeEach
  void data() throws Exception {
    TenantTestData.ensureLoaded();
  }

  private static RequestSpecification as(String token) {
    return given().auth().oauth2(token);
  }

  /** StudyInstanceUIDs of a QIDO-RS answer, in order; empty for 204. */
  private static List<String> studies(String token, String path, String... keyValues)
      throws Exception {
    RequestSpecification r = as(token).accept("application/dicom+json");
    for (int i = 0; i < keyValues.length; i += 2) {
      r = r.queryParam(keyValues[i], keyValues[i + 1]);
    }
    var response = r.get("/dicomweb" + path).then().extract();
    if (response.statusCode() == 204) {
      return List.of();
    }
    assertEquals(200, response.statusCode(), response.asString());
    List<String> uids = new ArrayList<>();
    for (JsonNode n : QidoTestSupport.JSON.readTree(response.asByteArray())) {
      uids.add(n.path("0020000D").path("Value").path(0).asText());
    }
    return uids;
  }

  @Test
  void qidoAtEveryLevelSeesOnlyTheTokensTenantAndDepartment() throws Exception {
    assertEquals(List.of(A_RAD, A_CARD), studies(readerA, "/studies", "PatientID", PATIENT_ID));
    assertEquals(List.of(B2, B1), studies(readerB, "/studies", "PatientID", PATIENT_ID));
    assertEquals(List.of(A_CARD), studies(cardiology, "/studies", "PatientID", PATIENT_ID));
    assertEquals(List.of(B2, B1), studies(readerB, "/studies", "StudyDate", "20260101-20260131"));
    assertEquals(List.of(A_RAD, A_CARD), studies(readerA, "/series", "PatientID", PATIENT_ID));
    assertEquals(List.of(A_CARD), studies(cardiology, "/instances", "PatientID", PATIENT_ID));
    assertEquals(List.of(), studies(readerA, "/studies/" + B1 + "/instances"));
    assertEquals(List.of(B1), studies(readerB, "/studies/" + B1 + "/series"));
  }

  @Test
  void pagesNeverCountTheOtherTenantsRows() throws Exception {
    String[] month = {"StudyDate", "20260101-20260131", "limit", "1"};
    assertEquals(List.of(A_RAD), studies(readerA, "/studies", with(month, "offset", "0")));
    assertEquals(List.of(A_CARD), studies(readerA, "/studies", with(month, "offset", "1")));
    assertEquals(List.of(), studies(readerA, "/studies", with(month, "offset", "2")));
    assertEquals(List.of(B1), studies(readerB, "/studies", with(month, "offset", "1")));
    assertEquals(List.of(), studies(cardiology, "/studies", with(month, "offset", "1")));
  }

  private static String[] with(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void wadoAndWadoUriOutsideTheScopeAre404() {
    for (String path :
        List.of(
            "",
            "/metadata",
            "/series/" + series(B1),
            "/series/" + series(B1) + "/instances/" + sop(B1),
            "/series/" + series(B1) + "/instances/" + sop(B1) + "/frames/1",
            "/series/" + series(B1) + "/instances/" + sop(B1) + "/rendered",
            "/series/" + series(B1) + "/instances/" + sop(B1) + "/bulkdata/0-16")) {
      String url = "/dicomweb/studies/" + B1 + path;
      assertEquals(404, as(readerA).accept("*/*").get(url).statusCode(), url);
      assertEquals(200, as(readerB).accept("*/*").get(url).statusCode(), url);
    }
    assertEquals(404, as(cardiology).accept("*/*").get("/dicomweb/studies/" + A_RAD).statusCode());
    assertEquals(200, as(cardiology).accept("*/*").get("/dicomweb/studies/" + A_CARD).statusCode());
    String wado =
        "/dicomweb/wado?requestType=WADO&contentType=application/dicom&studyUID="
            + B2
            + "&seriesUID="
            + series(B2)
            + "&objectUID="
            + sop(B2);
    assertEquals(404, as(readerA).get(wado).statusCode());
    assertEquals(200, as(readerB).get(wado).statusCode());
  }

  @Test
  void fhirReadsAndSearchesOnlyTheScope() throws Exception {
    assertEquals(
        404,
        as(readerA).accept("application/fhir+json").get("/fhir/ImagingStudy/" + B1).statusCode());
    assertEquals(
        200,
        as(readerB).accept("application/fhir+json").get("/fhir/ImagingStudy/" + B1).statusCode());
    assertEquals(
        404,
        as(cardiology)
            .accept("application/fhir+json")
            .get("/fhir/ImagingStudy/" + A_RAD)
            .statusCode());
    assertEquals(List.of(A_RAD, A_CARD), fhirSearch(readerA));
    assertEquals(List.of(A_CARD), fhirSearch(cardiology));
    assertEquals(List.of(B2, B1), fhirSearch(readerB));
  }

  private static List<String> fhirSearch(String token) throws Exception {
    JsonNode bundle =
        QidoTestSupport.JSON.readTree(
            as(token)
                .accept("application/fhir+json")
                .queryParam("patient:identifier", PATIENT_ID)
                .get("/fhir/ImagingStudy")
                .asString());
    List<String> ids = new ArrayList<>();
    for (JsonNode e : bundle.path("entry")) {
      ids.add(e.at("/resource/id").asText());
    }
    return ids;
  }
}
