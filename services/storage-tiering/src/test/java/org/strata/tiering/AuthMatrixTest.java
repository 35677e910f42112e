package org.strata.tiering;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
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
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,s3_cold,keycloak"),
    restrictToAnnotatedClass = true)
class AuthMatrixTest {
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
                "POST /admin/tenants/{tenant}/studies/{study}/moves",
                "GET /admin/moves/{request}",
                "GET /admin/tiers",
                "GET /admin/policies",
                "GET /admin/policies/dry-run",
                "POST /admin/policies/evaluations",
                "GET /admin/tenants/{tenant}/policies",
                "GET /admin/tenants/{tenant}/policies/{name}",
                "PUT /admin/tenants/{tenant}/policies/{name}",
                "POST /admin/tenants/{tenant}/policies/{name}/{action}",
                "GET /admin/tenants/{tenant}/policies/{name}/dry-run",
                "PUT /admin/tenants/{tenant}/studies/{study}/hold",
                "GET /admin/tenants/{tenant}/studies/{study}/hold",
                "DELETE /admin/tenants/{tenant}/studies/{study}/hold",
                "PUT /admin/tenants/{tenant}/patients/{patient}/hold",
                "GET /admin/tenants/{tenant}/patients/{patient}/hold",
                "DELETE /admin/tenants/{tenant}/patients/{patient}/hold",
                "GET /admin/retention/rules",
                "POST /admin/retention/evaluations",
                "GET /admin/retention/purges",
                "GET /admin/retention/dry-run")
            // An unknown tier: 400 from the resource, nothing planned on the shared platform.
            .withQuery("POST /admin/tenants/{tenant}/studies/{study}/moves", "tier=none")
            // Without a reason: 400, no hold placed.
            .withQuery("PUT /admin/tenants/{tenant}/studies/{study}/hold", "reason=")
            .withQuery("PUT /admin/tenants/{tenant}/patients/{patient}/hold", "reason=");
    List<String> failures = matrix.run(base, tokens);
    assertEquals(List.of(), failures, String.join("\n", failures));
  }

  /**
   * The lists of every policy show a token only its own tenants' policies: the test policies are
   * tenant {@code tiering}'s, which admin-a (hospital-a) does not hold, so it sees none of them and
   * its evaluation plans nothing of theirs.
   */
  @Test
  void aTokenSeesAndEvaluatesOnlyItsOwnTenantsPolicies() {
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    String adminA = tokens.user("admin-a");
    for (String path : List.of("/admin/policies", "/admin/policies/dry-run")) {
      List<Object> seen =
          RestAssured.given()
              .baseUri(base.toString())
              .auth()
              .oauth2(adminA)
              .get(path)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath()
              .getList("");
      assertEquals(List.of(), seen, path + " of admin-a");
    }
    RestAssured.given()
        .baseUri(base.toString())
        .auth()
        .oauth2(adminA)
        .post("/admin/policies/evaluations")
        .then()
        .statusCode(200)
        .body("planned", equalTo(0));
  }

  /** The retention dry run is of the token's tenant; another tenant is refused. */
  @Test
  void theRetentionDryRunIsOfTheTokensTenant() {
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    String adminA = tokens.user("admin-a");
    RestAssured.given()
        .baseUri(base.toString())
        .auth()
        .oauth2(adminA)
        .get("/admin/retention/dry-run")
        .then()
        .statusCode(200)
        .body("tenant", equalTo("hospital-a"), "studyCount", equalTo(0));
    RestAssured.given()
        .baseUri(base.toString())
        .auth()
        .oauth2(adminA)
        .get("/admin/retention/dry-run?tenant=hospital-b")
        .then()
        .statusCode(403);
  }

  /**
   * Moves, holds and policies act only in a tenant the token holds whole: another tenant's path is
   * 404 before the resource looks at the request (TenantPathGuard); the token's own tenant reaches
   * the resource (400 for the missing reason, the tier that does not exist).
   */
  @Test
  void movesAndHoldsOfAnotherTenantAre404() {
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    String adminA = tokens.user("admin-a");
    for (String tenant : List.of("hospital-a", "hospital-b")) {
      int expected = tenant.equals("hospital-a") ? 400 : 404;
      String admin = "/admin/tenants/" + tenant;
      assertEquals(expected, status(adminA, "PUT", admin + "/studies/1.2.3/hold?reason="));
      assertEquals(expected, status(adminA, "PUT", admin + "/patients/P1/hold?reason="));
      assertEquals(expected, status(adminA, "POST", admin + "/studies/1.2.3/moves?tier=none"));
      // A policy without a body: 400 in the token's tenant, nothing written.
      assertEquals(expected, status(adminA, "PUT", admin + "/policies/auth-matrix"));
    }
  }

  /**
   * With the policies the deployment's (read-only, as the chart runs it) an admin's change is 409
   * with the reason and nothing is written; another tenant's policy path is still 404.
   */
  @Test
  void policyChangesAreRefusedWhenThePoliciesAreTheDeployments() {
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    String adminA = tokens.user("admin-a");
    String body = "{\"since\": \"ingest\", \"olderThan\": \"P5Y\", \"toTier\": \"cold\"}";
    for (String tenant : List.of("hospital-a", "hospital-b")) {
      String path = "/admin/tenants/" + tenant + "/policies/read-only-check";
      RestAssured.given()
          .baseUri(base.toString())
          .auth()
          .oauth2(adminA)
          .contentType("application/json")
          .body(body)
          .put(path)
          .then()
          .statusCode(tenant.equals("hospital-a") ? 409 : 404)
          .body(
              "reason",
              tenant.equals("hospital-a")
                  ? org.hamcrest.Matchers.containsString("read-only")
                  : org.hamcrest.Matchers.notNullValue());
      assertEquals(404, status(adminA, "GET", path));
    }
  }

  private int status(String token, String method, String path) {
    return RestAssured.given()
        .baseUri(base.toString())
        .auth()
        .oauth2(token)
        .request(method, path)
        .statusCode();
  }
}
