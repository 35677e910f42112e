package org.strata.routing;

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
                "POST /admin/jobs/{id}/retry");
    List<String> failures = matrix.run(base, tokens);
    assertEquals(List.of(), failures, String.join("\n", failures));
  }
}
