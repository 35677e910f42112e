package org.strata.query;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.EnumSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.strata.platform.Component;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.SharedPlatform;
import org.strata.testkit.auth.KeycloakTokens;

/**
 * The local profile (make run): loopback without a token is the local user (tenant local, every
 * role), while a token, even from loopback, is validated like in production. The reader endpoint
 * used is FHIR's capability statement, which needs no index schema.
 */
@QuarkusTest
@TestProfile(LocalModeWithKeycloakProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3,keycloak"),
    restrictToAnnotatedClass = true)
class LocalModeAuthTest {
  static KeycloakTokens tokens;

  @BeforeAll
  static void tokens() {
    tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
  }

  @Test
  void loopbackWithoutATokenIsTheLocalUser() {
    given().get("/fhir/metadata").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
    given()
        .get("/test/caller")
        .then()
        .statusCode(200)
        .body("subject", equalTo("local"))
        .body("tenants", containsInAnyOrder("local"))
        .body(
            "roles",
            containsInAnyOrder("strata-reader", "strata-writer", "strata-admin", "strata-auditor"))
        .body("sourceAddress", anyOf(equalTo("127.0.0.1"), equalTo("0:0:0:0:0:0:0:1")));
  }

  @Test
  void aTokenFromLoopbackIsValidatedAnyway() {
    String reader = tokens.user("reader");
    given()
        .auth()
        .oauth2(KeycloakTokens.withBadSignature(reader))
        .get("/fhir/metadata")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(tokens.client("strata-other-audience"))
        .get("/fhir/metadata")
        .then()
        .statusCode(401);
    given()
        .auth()
        .oauth2(tokens.client("strata-norole"))
        .get("/fhir/metadata")
        .then()
        .statusCode(403);
    given().auth().oauth2(tokens.user("writer")).get("/fhir/metadata").then().statusCode(403);
    given().auth().oauth2(reader).get("/fhir/metadata").then().statusCode(200);
  }

  @Test
  void theCallerOfATokenIsItsSubjectWithItsStrataRolesOnly() {
    given()
        .auth()
        .oauth2(tokens.user("reader"))
        .get("/test/caller")
        .then()
        .statusCode(200)
        .body("subject", equalTo("reader"))
        .body("roles", containsInAnyOrder("strata-reader"))
        // The realm puts the earlier test users in /tenants/local (strata_groups, ADR 0025).
        .body("tenants", containsInAnyOrder("local"))
        .body("labels.size()", equalTo(0));
    given()
        .auth()
        .oauth2(tokens.user("reader-a-cardiology"))
        .get("/test/caller")
        .then()
        .statusCode(200)
        .body("tenants", containsInAnyOrder("hospital-a"))
        .body("labels.'hospital-a'", containsInAnyOrder("cardiology"));
  }
}
