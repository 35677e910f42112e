package org.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Channels;
import org.strata.events.AuditRecord.Outcome;
import org.strata.http.auth.CallerIdentity;
import org.strata.ingest.dimse.StorageScp;
import org.strata.platform.Component;
import org.strata.testkit.DimseTlsFixture;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.SharedPlatform;
import org.strata.testkit.audit.AuditTopic;
import org.strata.testkit.auth.KeycloakTokens;

/**
 * Refusals are security records on the real Kafka (ADR 0036): a STOW-RS without a token (401, DICOM
 * User Authentication failure), with a token lacking the role (403) or naming a tenant the token
 * does not hold (403 from the endpoint), and an association of an unknown calling AE. The profile
 * turns the alert throttle off, so each refusal is its record.
 */
@QuarkusTest
@TestProfile(AuthRequiredProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3,keycloak"),
    restrictToAnnotatedClass = true)
class RefusalAuditTest {
  private static final Duration CEILING = Duration.ofMinutes(3);

  @Inject StorageScp scp;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  private static KeycloakTokens tokens() {
    return new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
  }

  private List<AuditRecord> records(Instant since, Predicate<AuditRecord> match) {
    return new AuditTopic(bootstrap)
        .await(
            r ->
                "strata-ingest".equals(r.service())
                    && !r.occurredAt().isBefore(since)
                    && match.test(r),
            1,
            CEILING);
  }

  private static io.restassured.specification.RequestSpecification stow() {
    return given().contentType(Multipart.CONTENT_TYPE).body(Multipart.of(List.of()));
  }

  @Test
  void aStowWithoutTokenIsOneFailedSignIn() {
    Instant since = Instant.now();
    stow().post("/dicomweb/studies").then().statusCode(401);

    List<AuditRecord> got =
        records(since, r -> AuditEventTypes.USER_AUTHENTICATION.equals(r.eventType()));
    assertEquals(1, got.size(), got.toString());
    AuditRecord r = got.get(0);
    assertEquals(Outcome.MINOR_FAILURE, r.outcome());
    assertEquals(CallerIdentity.ANONYMOUS_SUBJECT, r.actor());
    assertEquals(Channels.STOW_RS, r.channel());
    assertEquals("127.0.0.1", r.sourceAddress());
  }

  @Test
  void aStowWithoutTheWriterRoleIsOneSecurityAlert() {
    Instant since = Instant.now();
    stow()
        .auth()
        .oauth2(tokens().user("reader-a"))
        .post("/dicomweb/studies")
        .then()
        .statusCode(403);

    List<AuditRecord> got = records(since, r -> "reader-a".equals(r.actor()));
    assertEquals(1, got.size(), got.toString());
    assertEquals(AuditEventTypes.SECURITY_ALERT, got.get(0).eventType());
    assertEquals("access denied: role missing", got.get(0).outcomeDescription());
    assertEquals(Channels.STOW_RS, got.get(0).channel());
  }

  @Test
  void aStowIntoATenantTheTokenDoesNotHoldIsOneSecurityAlert() {
    Instant since = Instant.now();
    stow()
        .auth()
        .oauth2(tokens().user("writer-b"))
        .post("/dicomweb/tenants/hospital-a/studies")
        .then()
        .statusCode(403);

    List<AuditRecord> got = records(since, r -> "writer-b".equals(r.actor()));
    assertEquals(1, got.size(), got.toString());
    assertEquals(AuditEventTypes.SECURITY_ALERT, got.get(0).eventType());
    assertEquals(Outcome.MINOR_FAILURE, got.get(0).outcome());
    assertEquals("access denied: tenant not held", got.get(0).outcomeDescription());
    assertEquals(Channels.STOW_RS, got.get(0).channel());
  }

  @Test
  void anAssociationOfAnUnknownAeIsOneSecurityAlertNamingIt() throws Exception {
    String ae = "REFUSED-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    Instant since = Instant.now();
    DimseTlsFixture.Result r =
        DimseTlsFixture.dcmtk(
            List.of("echoscu", "-aet", ae, "-aec", "STRATA", "127.0.0.1", "" + scp.port()));
    assertNotEquals(0, r.exitCode(), r.output());

    List<AuditRecord> got =
        records(since, x -> x.requester() != null && ae.equals(x.requester().callingAe()));
    assertEquals(1, got.size(), got.toString());
    assertEquals(AuditEventTypes.SECURITY_ALERT, got.get(0).eventType());
    assertEquals(Outcome.MINOR_FAILURE, got.get(0).outcome());
    assertEquals(Channels.C_STORE, got.get(0).channel());
    assertEquals("127.0.0.1", got.get(0).requester().address());
  }
}
