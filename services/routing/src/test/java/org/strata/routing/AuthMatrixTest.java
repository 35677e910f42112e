package org.strata.routing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.http.auth.Roles;
import org.strata.platform.Component;
import org.strata.storage.ObjectStore;
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
class AuthMatrixTest {
  @TestHTTPResource("/")
  URI base;

  @Inject ObjectStore s3;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Test
  void everyEndpointRefusesWhatItMustAndAdmitsItsRole() {
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    AuthMatrix matrix =
        new AuthMatrix()
            .require(
                Roles.ADMIN,
                "GET /admin/rules",
                "GET /admin/rules/{id}",
                "PUT /admin/rules/{id}",
                "POST /admin/rules/{id}/disable",
                "POST /admin/rules/{id}/enable",
                "GET /admin/destinations",
                "GET /admin/destinations/{name}",
                "PUT /admin/destinations/{name}",
                "POST /admin/destinations/{name}/pause",
                "POST /admin/destinations/{name}/resume",
                "GET /admin/jobs",
                "GET /admin/jobs/{id}",
                "POST /admin/jobs/{id}/cancel",
                "POST /admin/jobs/{id}/retry",
                "POST /admin/tenants/{tenant}/exports",
                "POST /admin/rules/dry-run",
                "POST /admin/rules/{id}/dry-run",
                "GET /admin/rule-matches");
    List<String> failures = matrix.run(base, tokens);
    assertEquals(List.of(), failures, String.join("\n", failures));
  }

  /**
   * A manual export takes the tenant from the path and the caller's tenants from the token: admin-a
   * (/tenants/hospital-a) exports a study of hospital-a, and gets 404 for one of hospital-b, as if
   * the study did not exist.
   */
  @Test
  void aManualExportReachesOnlyTheTenantsOfTheToken() throws Exception {
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    String admin = "Bearer " + tokens.user("admin-a");
    given()
        .baseUri(base.toString())
        .header("Authorization", admin)
        .contentType(ContentType.JSON)
        .body("{\"dimse\":{\"aeTitle\":\"NOWHERE\",\"host\":\"127.0.0.1\",\"port\":1}}")
        .put("admin/destinations/nowhere")
        .then()
        .statusCode(200);
    given()
        .baseUri(base.toString())
        .header("Authorization", admin)
        .post("admin/destinations/nowhere/pause")
        .then()
        .statusCode(204);
    String[] studies = new String[2];
    String[] tenants = {"hospital-a", "hospital-b"};
    for (int i = 0; i < 2; i++) {
      StoredStudyMother m = new StoredStudyMother();
      m.tenant = tenants[i];
      m.instances = 1;
      IndexRows.index(m.store(s3));
      studies[i] = m.studyUid;
    }
    for (int i = 0; i < 2; i++) {
      given()
          .baseUri(base.toString())
          .header("Authorization", admin)
          .contentType(ContentType.JSON)
          .body("{\"destination\":\"nowhere\",\"studyInstanceUid\":\"" + studies[i] + "\"}")
          .post("admin/tenants/" + tenants[i] + "/exports")
          .then()
          .statusCode(i == 0 ? 202 : 404);
    }
  }

  /**
   * STOW-RS destinations with credentials, against a peer that checks them for real (Keycloak's
   * token introspection, or the expected basic credential): OAuth2 client credentials with the
   * right secret (the realm's client strata-test) and basic auth with the right password are SENT;
   * a wrong client secret ends DEAD with the token endpoint's answer, a wrong password with the
   * peer's 401. The secrets come from environment variables (set for the tests in the pom).
   */
  @Test
  void stowDestinationsAuthenticateWithClientCredentialsFromKeycloakOrBasic() throws Exception {
    String issuer = SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer();
    String admin = "Bearer " + new KeycloakTokens(issuer).user("admin");
    try (TokenCheckingStowPeer peer =
        new TokenCheckingStowPeer(issuer, System.getenv("STRATA_TEST_STOW_PASSWORD"))) {
      String oauth =
          "{\"stow\":{\"url\":\""
              + peer.url()
              + "\",\"tokenUrl\":\""
              + issuer
              + "/protocol/openid-connect/token\",\"clientId\":\"strata-test\","
              + "\"clientSecretEnv\":\"%s\"}}";
      String basic =
          "{\"stow\":{\"url\":\""
              + peer.url()
              + "\",\"username\":\"router\",\"passwordEnv\":\"%s\"}}";
      Map<String, String> destinations = new java.util.LinkedHashMap<>();
      destinations.put("stow-oauth", oauth.formatted("STRATA_TEST_STOW_SECRET"));
      destinations.put("stow-oauth-wrong", oauth.formatted("STRATA_TEST_STOW_WRONG_SECRET"));
      destinations.put("stow-basic", basic.formatted("STRATA_TEST_STOW_PASSWORD"));
      destinations.put("stow-basic-wrong", basic.formatted("STRATA_TEST_STOW_WRONG_SECRET"));
      Map<String, String> jobs = new java.util.LinkedHashMap<>();
      for (var d : destinations.entrySet()) {
        given()
            .baseUri(base.toString())
            .header("Authorization", admin)
            .contentType(ContentType.JSON)
            .body(d.getValue())
            .put("admin/destinations/" + d.getKey())
            .then()
            .statusCode(200);
        StoredStudyMother m = new StoredStudyMother();
        m.tenant = "route-stow-auth";
        m.instances = 1;
        var job = m.store(s3).job(d.getKey());
        StoredStudyMother.Stored.enqueue(bootstrap, job);
        jobs.put(d.getKey(), job.jobId());
      }
      Map<String, Map<String, Object>> ended = new java.util.LinkedHashMap<>();
      for (var j : jobs.entrySet()) {
        ended.put(
            j.getKey(),
            await()
                .atMost(Duration.ofSeconds(60))
                .until(
                    () ->
                        given()
                            .baseUri(base.toString())
                            .header("Authorization", admin)
                            .get("admin/jobs/" + j.getValue())
                            .then()
                            .extract()
                            .jsonPath()
                            .getMap("$"),
                    job -> "SENT".equals(job.get("state")) || "DEAD".equals(job.get("state"))));
      }
      assertEquals("SENT", ended.get("stow-oauth").get("state"), ended.toString());
      assertEquals("SENT", ended.get("stow-basic").get("state"), ended.toString());
      assertEquals("DEAD", ended.get("stow-oauth-wrong").get("state"), ended.toString());
      assertEquals(
          "authorization: OAuth2 token endpoint answered 401",
          ended.get("stow-oauth-wrong").get("lastReason"));
      assertEquals("DEAD", ended.get("stow-basic-wrong").get("state"), ended.toString());
      assertEquals("STOW-RS answered 401", ended.get("stow-basic-wrong").get("lastReason"));
      assertEquals(2, peer.accepted.get());
    }
  }
}
