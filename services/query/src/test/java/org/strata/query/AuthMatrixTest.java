package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
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

  @Inject MeterRegistry meters;

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

  /**
   * A validated token is not validated again while it lives (ADR 0069: the second request is a
   * cache hit), and is refused once it expired although it is still in the cache.
   */
  @Test
  void aValidatedTokenIsReusedUntilItExpiresAndRefusedAfter() throws Exception {
    KeycloakTokens tokens =
        new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
    String token = tokens.shortLived();
    URI studies = base.resolve("/dicomweb/studies?limit=1");
    // 204: the client holds no tenant group, so its search is empty (ADR 0025), but admitted.
    assertEquals(204, get(studies, token), "first use: validated by OIDC");
    double hitsBefore = tokenCacheHits();
    assertEquals(204, get(studies, token), "second use");
    assertEquals(hitsBefore + 1, tokenCacheHits(), "the second use was a cache hit");

    Instant after = KeycloakTokens.expiry(token).plusSeconds(1);
    while (Instant.now().isBefore(after)) {
      Thread.sleep(200); // waiting out the token's real lifespan (5 s)
    }
    assertEquals(401, get(studies, token), "expired, though validated and cached before");
  }

  private double tokenCacheHits() {
    return meters.get("strata.auth.token.cache").tag("result", "hit").counter().count();
  }

  private static int get(URI uri, String token) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(uri)
                  .header("Authorization", "Bearer " + token)
                  .header("Accept", "application/dicom+json")
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
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
