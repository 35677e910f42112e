package org.strata.routing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
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
}
