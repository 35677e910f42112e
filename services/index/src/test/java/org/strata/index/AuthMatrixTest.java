package org.strata.index;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.http.auth.Roles;
import org.strata.platform.Component;
import org.strata.testkit.SharedPlatform;
import org.strata.testkit.auth.AuthMatrix;
import org.strata.testkit.auth.KeycloakTokens;

/** Every endpoint of the service against real Keycloak tokens (AuthMatrix), in required mode. */
@QuarkusTest
@TestProfile(AuthRequiredProfile.class)
@QuarkusTestResource(
    value = org.strata.testkit.PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,keycloak"),
    restrictToAnnotatedClass = true)
class AuthMatrixTest extends IndexTestSupport {
  @TestHTTPResource("/")
  URI base;

  @Test
  void everyEndpointRefusesWhatItMustAndAdmitsItsRole() {
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    AuthMatrix matrix =
        new AuthMatrix()
            .require(
                Roles.ADMIN,
                "POST /admin/rebuilds",
                "GET /admin/rebuilds/{id}",
                "GET /admin/tenants/{tenant}/patient-links",
                "POST /admin/tenants/{tenant}/patient-links",
                "GET /admin/tenants/{tenant}/patient-links/{link}",
                "DELETE /admin/tenants/{tenant}/patient-links/{link}",
                "DELETE /admin/tenants/{tenant}/patient-links/{link}/members",
                "DELETE /admin/tenants/{tenant}/studies/{study}",
                "DELETE /admin/tenants/{tenant}/studies/{study}/series/{series}",
                "DELETE /admin/tenants/{tenant}/studies/{study}/series/{series}/instances/{instance}")
            // A malformed tenant: 400 from the resource, no rebuild of the shared test platform.
            .withQuery("POST /admin/rebuilds", "tenant=-");
    List<String> failures = matrix.run(base, tokens);
    assertEquals(List.of(), failures, String.join("\n", failures));
  }

  /**
   * The admin APIs act on the tenants the token holds whole (ADR 0025): admin-a
   * (/tenants/hospital-a) reaches hospital-a's links, and another tenant's path is 404 as an
   * unknown one; a rebuild must name a tenant it holds.
   */
  @Test
  void adminApisTakeTheTenantFromTheToken() {
    String adminA =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer())
            .user("admin-a");
    given()
        .auth()
        .oauth2(adminA)
        .get("/admin/tenants/hospital-a/patient-links")
        .then()
        .statusCode(200);
    given()
        .auth()
        .oauth2(adminA)
        .get("/admin/tenants/Hospital-B/patient-links")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(adminA)
        .delete("/admin/tenants/hospital-b/studies/1.2.3")
        .then()
        .statusCode(404);
    given()
        .auth()
        .oauth2(adminA)
        .contentType("application/json")
        .body(
            "{\"members\": [{\"patientId\": \"P1\"}, {\"tenant\": \"hospital-b\","
                + " \"patientId\": \"P2\"}]}")
        .post("/admin/tenants/hospital-a/patient-links")
        .then()
        .statusCode(404)
        .body("reason", org.hamcrest.Matchers.startsWith("members[1]"));
    given().auth().oauth2(adminA).post("/admin/rebuilds").then().statusCode(400);
    given().auth().oauth2(adminA).post("/admin/rebuilds?tenant=hospital-b").then().statusCode(404);
  }

  /**
   * A link reaching two tenants shows each admin only the members in tenants its token holds (issue
   * 15, ADR 0025): made by admin-ab (both tenants), read by admin-a, admin-b and admin-ab.
   */
  @Test
  void aLinkShowsOnlyTheMembersOfTenantsTheTokenHolds() {
    InstanceStoredMother a = new InstanceStoredMother();
    a.tenant = "hospital-a";
    InstanceStoredMother b = new InstanceStoredMother();
    b.tenant = "hospital-b";
    publish(a.build());
    publish(b.build());
    awaitInstances(a.studyUid, 1);
    awaitInstances(b.studyUid, 1);
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    String link =
        given()
            .auth()
            .oauth2(tokens.user("admin-ab"))
            .contentType("application/json")
            .body(
                java.util.Map.of(
                    "members",
                    List.of(
                        java.util.Map.of("patientId", a.patientId),
                        java.util.Map.of("tenant", "hospital-b", "patientId", b.patientId))))
            .post("/admin/tenants/hospital-a/patient-links")
            .then()
            .statusCode(201)
            .extract()
            .path("id");

    assertEquals(
        List.of(a.patientId), memberIds(tokens.user("admin-a"), "hospital-a", link), "admin-a");
    assertEquals(
        List.of(b.patientId), memberIds(tokens.user("admin-b"), "hospital-b", link), "admin-b");
    assertEquals(
        java.util.Set.of(a.patientId, b.patientId),
        java.util.Set.copyOf(memberIds(tokens.user("admin-ab"), "hospital-a", link)),
        "admin-ab");
    List<String> listed =
        given()
            .auth()
            .oauth2(tokens.user("admin-a"))
            .queryParam("patientId", a.patientId)
            .get("/admin/tenants/hospital-a/patient-links")
            .then()
            .statusCode(200)
            .extract()
            .path("members.flatten().patientId");
    assertEquals(List.of(a.patientId), listed, "admin-a's list");
  }

  private static List<String> memberIds(String token, String tenant, String link) {
    return given()
        .auth()
        .oauth2(token)
        .get("/admin/tenants/" + tenant + "/patient-links/" + link)
        .then()
        .statusCode(200)
        .extract()
        .path("members.patientId");
  }
}
