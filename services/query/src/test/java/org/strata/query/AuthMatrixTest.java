package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.strata.http.auth.Roles;
import org.strata.platform.Component;
import org.strata.testkit.SharedPlatform;
import org.strata.testkit.auth.AuthMatrix;
import org.strata.testkit.auth.KeycloakTokens;

/**
 * Every endpoint of the service against real Keycloak tokens (AuthMatrix), in required mode; and
 * the tenant scoping checks ({@link TenantScopingChecks}) in the same application start.
 */
@QuarkusTest
@TestProfile(AuthRequiredProfile.class)
@QuarkusTestResource(
    value = org.strata.testkit.PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3,keycloak"),
    restrictToAnnotatedClass = true)
class AuthMatrixTest extends TenantScopingChecks {
  @TestHTTPResource("/")
  URI base;

  @Test
  void everyEndpointRefusesWhatItMustAndAdmitsItsRole() throws Exception {
    TenantTestData.ensureLoaded();
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    AuthMatrix matrix =
        new AuthMatrix()
            .require(
                Roles.READER,
                "GET /dicomweb/studies",
                "GET /dicomweb/series",
                "GET /dicomweb/instances",
                "GET /dicomweb/studies/{study}/series",
                "GET /dicomweb/studies/{study}/instances",
                "GET /dicomweb/studies/{study}/series/{series}/instances",
                "GET /dicomweb/studies/{study}",
                "GET /dicomweb/studies/{study}/series/{series}",
                "GET /dicomweb/studies/{study}/series/{series}/instances/{instance}",
                "GET /dicomweb/studies/{study}/metadata",
                "GET /dicomweb/studies/{study}/series/{series}/metadata",
                "GET /dicomweb/studies/{study}/series/{series}/instances/{instance}/metadata",
                "GET /dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frames}",
                "GET /dicomweb/studies/{study}/series/{series}/instances/{instance}/bulkdata/{range}",
                "GET /dicomweb/studies/{study}/rendered",
                "GET /dicomweb/studies/{study}/series/{series}/rendered",
                "GET /dicomweb/studies/{study}/series/{series}/instances/{instance}/rendered",
                "GET /dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frames}/rendered",
                "GET /dicomweb/studies/{study}/thumbnail",
                "GET /dicomweb/studies/{study}/series/{series}/thumbnail",
                "GET /dicomweb/studies/{study}/series/{series}/instances/{instance}/thumbnail",
                "GET /dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frames}/thumbnail",
                "GET /dicomweb/wado",
                "GET /fhir/metadata",
                "GET /fhir/ImagingStudy/{id}",
                "GET /fhir/ImagingStudy",
                // The test-only CallerEchoResource (LocalModeAuthTest).
                "GET /test/caller")
            // Another tenant's study is 404, and so is another department's (ADR 0025).
            .outOfScope(Roles.READER, "reader-b", "reader-a", probe(TenantTestData.B1))
            .outOfScope(
                Roles.READER, "reader-a", "reader-a-cardiology", probe(TenantTestData.A_RAD));
    List<String> failures = matrix.run(base, tokens);
    assertEquals(List.of(), failures, String.join("\n", failures));
  }

  /** The path parameters that address a study of {@link TenantTestData} and its one CT. */
  private static Map<String, String> probe(String study) {
    return Map.of(
        "study",
        study,
        "id",
        study,
        "series",
        TenantTestData.series(study),
        "instance",
        TenantTestData.sop(study),
        "frames",
        "1",
        "range",
        "0-16");
  }
}
