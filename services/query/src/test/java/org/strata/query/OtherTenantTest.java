package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.strata.query.QidoTestData.S6;
import static org.strata.query.QidoTestData.instance;
import static org.strata.query.QidoTestData.series;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;

/** The same data seen by a deployment of tenant "other": only its own study. */
@QuarkusTest
@TestProfile(OtherTenantTest.Other.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class OtherTenantTest extends QidoTestSupport {
  public static class Other implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("strata.query.default-tenant", "other");
    }
  }

  @Test
  void onlyTheTenantsOwnData() throws Exception {
    assertEquals(List.of(S6), search("/studies", STUDY_UID));
    assertEquals(List.of(S6), search("/studies", STUDY_UID, "AccessionNumber", "ACC-1001"));
    assertEquals(List.of(S6), search("/studies", STUDY_UID, "PatientName", "Doe"));
    assertEquals(List.of(series(S6, 1)), search("/series", SERIES_UID));
    assertEquals(List.of(instance(S6, 1, 1)), search("/instances", SOP_UID));
    assertEquals(List.of(), search("/studies", STUDY_UID, "PatientName", "Doe^Jane"));
  }
}
