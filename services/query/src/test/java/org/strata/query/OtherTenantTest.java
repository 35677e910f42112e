package org.strata.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.strata.query.QidoTestData.S1;
import static org.strata.query.QidoTestData.S6;
import static org.strata.query.QidoTestData.instance;
import static org.strata.query.QidoTestData.series;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;

/** The same data seen by a deployment of tenant "other": only its own study. */
@QuarkusTest
@TestProfile(OtherTenantTest.Other.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class OtherTenantTest extends QidoTestSupport {
  public static class Other implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("strata.query.default-tenant", "other");
    }
  }

  @Test
  void onlyTheTenantsOwnData() throws Exception {
    assertEquals(List.of(S6), search("/studies", STUDY_UID));
    assertEquals(List.of(S6), search("/studies", STUDY_UID, "AccessionNumber", "ACC-1001"));
    assertEquals(List.of(S6), search("/studies", STUDY_UID, "PatientName", "Doe"));
    assertEquals(List.of(series(S6, 1)), search("/series", SERIES_UID));
    assertEquals(List.of(instance(S6, 1, 1)), search("/instances", SOP_UID));
    assertEquals(List.of(), search("/studies", STUDY_UID, "PatientName", "Doe^Jane"));
  }

  @Test
  void fhirSeesOnlyTheTenantsOwnStudies() throws Exception {
    var read = given().accept("application/fhir+json").get("/fhir/ImagingStudy/" + S6);
    assertEquals(200, read.statusCode(), read.asString());
    assertEquals(
        "urn:strata:issuer:HOSP-B",
        JSON.readTree(read.asString()).at("/subject/identifier/system").asText());
    assertEquals(
        404, given().accept("application/fhir+json").get("/fhir/ImagingStudy/" + S1).statusCode());
    var bundle =
        JSON.readTree(
            given()
                .accept("application/fhir+json")
                .queryParam("patient:identifier", "PAT-001")
                .get("/fhir/ImagingStudy")
                .asString());
    assertEquals(1, bundle.path("entry").size());
    assertEquals(S6, bundle.at("/entry/0/resource/id").asText());
  }
}
