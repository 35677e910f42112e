package org.strata.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.http.auth.Roles;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.auth.AuthMatrix;

/** Every endpoint of the service against real Keycloak tokens (AuthMatrix): auditors only. */
@QuarkusTest
@TestProfile(AuditTestProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,keycloak"))
class AuthMatrixTest {
  @TestHTTPResource("/")
  URI base;

  @Test
  void everyEndpointRefusesWhatItMustAndAdmitsItsRole() {
    AuthMatrix matrix =
        new AuthMatrix()
            .require(
                Roles.AUDITOR,
                "GET /audit/verify",
                "GET /audit/export",
                "GET /audit/patient-access",
                "GET /fhir/AuditEvent");
    List<String> failures = matrix.run(base, AuditTestSupport.tokens());
    assertEquals(List.of(), failures, String.join("\n", failures));
  }
}
