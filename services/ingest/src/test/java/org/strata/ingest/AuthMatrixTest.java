package org.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    initArgs = @ResourceArg(name = "components", value = "kafka,s3,keycloak"),
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
                Roles.WRITER,
                "POST /dicomweb/studies",
                "POST /dicomweb/studies/{study}",
                "POST /dicomweb/tenants/{tenant}/studies",
                "POST /dicomweb/tenants/{tenant}/studies/{study}")
            .require(Roles.ADMIN, "POST /admin/reconcile")
            // Not a duration: 400 from the resource, no reconcile under the other tests' objects.
            .withQuery("POST /admin/reconcile", "grace=not-a-duration");
    List<String> failures = matrix.run(base, tokens);
    assertEquals(List.of(), failures, String.join("\n", failures));
  }

  /**
   * STOW-RS stores into a tenant the token holds (ADR 0026): the tenant is chosen before any part
   * is read, so an empty multipart body shows the decision without storing anything.
   */
  @Test
  void stowStoresOnlyIntoATenantTheTokenHolds() {
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    String writerA = tokens.user("writer-a");
    var refused = stow(writerA, "/dicomweb/tenants/hospital-b/studies");
    assertEquals(403, refused.statusCode(), refused.asString());
    assertTrue(refused.asString().contains("does not hold tenant hospital-b"), refused.asString());
    for (String path : List.of("/dicomweb/tenants/Hospital-A/studies", "/dicomweb/studies")) {
      int status = stow(writerA, path).statusCode();
      assertTrue(status != 401 && status != 403 && status != 404, path + ": " + status);
    }
  }

  private static io.restassured.response.Response stow(String token, String path) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(Multipart.CONTENT_TYPE)
        .body(Multipart.of(List.of()))
        .post(path);
  }
}
