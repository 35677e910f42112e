package org.strata.ingest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.http.auth.CallerIdentity;
import org.strata.http.auth.Roles;
import org.strata.http.auth.TenantGroups;
import org.strata.ingest.config.IngestConfig;

/** The calling AE's tenant: known-AE file first, then the property map, then the default. */
class TenantResolverTest {
  @TempDir Path dir;

  private static IngestConfig config(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(IngestConfig.class)
            // Quarkus's duration syntax ("5m"), as the service reads it.
            .withConverter(Duration.class, 100, new DurationConverter())
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .build();
    return config.getConfigMapping(IngestConfig.class);
  }

  @Test
  void knownAeFileThenPropertiesThenDefault() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("known-aes.conf"),
            """
        # AE title  host       port   tenant
        CT01        -          -      hosp-a
        PACS-B      10.0.0.9   104    hosp-b
        """);
    Map<String, String> p = new HashMap<>();
    p.put("strata.ingest.tenants.known-aes-file", file.toString());
    p.put("strata.ingest.tenants.by-calling-ae.CT01", "from-properties");
    p.put("strata.ingest.tenants.by-calling-ae.MR02", "hosp-c");
    p.put("strata.ingest.tenants.default-tenant", "local");
    TenantResolver tenants = new TenantResolver(config(p));

    assertEquals(Optional.of("hosp-a"), tenants.forCallingAe("CT01"));
    assertEquals(Optional.of("hosp-a"), tenants.forCallingAe("CT01  "));
    assertEquals(Optional.of("hosp-b"), tenants.forCallingAe("PACS-B"));
    assertEquals(Optional.of("hosp-c"), tenants.forCallingAe("MR02"));
    assertEquals(Optional.of("local"), tenants.forCallingAe("STRANGER"));
  }

  @Test
  void withoutDefaultTenantAnUnknownCallerHasNone() throws Exception {
    Path file = Files.writeString(dir.resolve("known-aes.conf"), "CT01 - - hosp-a\n");
    TenantResolver tenants =
        new TenantResolver(config(Map.of("strata.ingest.tenants.known-aes-file", file.toString())));
    assertEquals(Optional.of("hosp-a"), tenants.forCallingAe("CT01"));
    assertEquals(Optional.empty(), tenants.forCallingAe("STRANGER"));
  }

  @Test
  void aMalformedFileStopsTheService() throws Exception {
    Path file = Files.writeString(dir.resolve("known-aes.conf"), "CT01 - 104 hosp-a\n");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TenantResolver(
                config(Map.of("strata.ingest.tenants.known-aes-file", file.toString()))));
  }

  @Test
  void tenantsWithADotOrUpperCaseComeOutInTheirLowerCaseForm() throws Exception {
    Path file = Files.writeString(dir.resolve("known-aes.conf"), "CT01 - - Hosp.A\n");
    Map<String, String> p = new HashMap<>();
    p.put("strata.ingest.tenants.known-aes-file", file.toString());
    p.put("strata.ingest.tenants.by-calling-ae.MR02", "St-Marys");
    p.put("strata.ingest.tenants.default-tenant", "Local.Test");
    TenantResolver tenants = new TenantResolver(config(p));

    assertEquals(Optional.of("hosp.a"), tenants.forCallingAe("CT01"));
    assertEquals(Optional.of("st-marys"), tenants.forCallingAe("MR02"));
    assertEquals(Optional.of("local.test"), tenants.forCallingAe("STRANGER"));
    assertEquals(Optional.of("local.test"), tenants.forHttpClient());
  }

  @Test
  void aMalformedTenantInTheConfigurationStopsTheService() {
    for (String key :
        List.of(
            "strata.ingest.tenants.by-calling-ae.MR02", "strata.ingest.tenants.default-tenant")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new TenantResolver(config(Map.of(key, key.endsWith("hosp_a") ? "X" : "hosp_a"))),
              key);
      assertTrue(e.getMessage().startsWith(key), e.getMessage());
    }
  }

  @Test
  void stowStoresIntoTheTokensTenantOrTheOneThePathNames() {
    TenantResolver tenants =
        new TenantResolver(config(Map.of("strata.ingest.tenants.default-tenant", "local")));
    CallerIdentity writerA = writer("/tenants/hospital-a");
    CallerIdentity writerAb = writer("/tenants/hospital-a", "/tenants/hospital-b/cardiology");
    CallerIdentity none = writer();

    assertEquals("hospital-a", tenants.forStow(writerA, false, null).tenant());
    assertEquals("hospital-a", tenants.forStow(writerA, false, "Hospital-A").tenant());
    assertEquals(403, tenants.forStow(writerA, false, "hospital-b").status());
    assertEquals(400, tenants.forStow(writerAb, false, null).status());
    assertTrue(tenants.forStow(writerAb, false, null).reason().contains("/dicomweb/tenants/"));
    assertEquals("hospital-b", tenants.forStow(writerAb, false, "hospital-b").tenant());
    assertEquals(403, tenants.forStow(none, false, null).status());
    assertEquals(400, tenants.forStow(writerA, false, "a_b").status());
    // The local user: the default tenant, or any tenant its path names.
    CallerIdentity local = CallerIdentity.local("127.0.0.1");
    assertEquals("local", tenants.forStow(local, true, null).tenant());
    assertEquals("hospital-b", tenants.forStow(local, true, "hospital-b").tenant());
  }

  private static CallerIdentity writer(String... groups) {
    return CallerIdentity.fromToken(
        "w", Set.of(Roles.WRITER), TenantGroups.fromClaim(List.of(groups)), "10.0.0.1");
  }
}
