package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.strata.platform.Component;
import org.strata.storage.ObjectStore;
import org.strata.storage.TieredStorage;
import org.strata.storage.Tiers;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.SharedPlatform;

/**
 * Query serves an instance from wherever the index says, on any tier: before a move (first S3
 * server), while both copies exist, once the index points at the second tier (another S3 server)
 * and after the source is gone. The index rows change as index applies storage-tiering's
 * InstanceMoved.
 */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3,s3_cold"))
class WadoSecondTierTest extends WadoTestSupport {
  private static final String STUDY = "1.2.826.0.1.3680043.10.1146.31";
  private static final String SERIES = STUDY + ".1";
  private static final String SOP = SERIES + ".1";
  private static final String PATH =
      "/studies/" + STUDY + "/series/" + SERIES + "/instances/" + SOP;

  @Test
  void anInstanceIsServedFromTheTierTheIndexNames() throws Exception {
    Map<String, String> keys =
        SharedPlatform.require(EnumSet.of(Component.S3, Component.S3_COLD)).addresses();
    TieredStorage tiers = TieredStorage.open(Tiers.from(k -> Optional.ofNullable(keys.get(k))));
    ObjectStore hot = tiers.store(tiers.tiers().first());
    ObjectStore cold = tiers.store(tiers.tiers().named("cold").orElseThrow());
    byte[] ct = WadoTestData.sample("CT_small.dcm");
    String key = WadoTestData.key(WadoTestData.TENANT, STUDY, SERIES, SOP);
    WadoTestData.put(hot, key, ct);
    try (Connection c = IndexDb.connect()) {
      long patient = WadoTestData.patient(c, WadoTestData.TENANT, "TIER-1");
      long study = WadoTestData.study(c, WadoTestData.TENANT, STUDY, patient);
      long series = WadoTestData.series(c, WadoTestData.TENANT, study, SERIES, 1);
      WadoTestData.instance(
          c, WadoTestData.TENANT, series, SOP, 1, WadoTestData.EXPLICIT_LE, key, ct.length);
    }
    assertServed(ct, "before the move");

    WadoTestData.put(cold, key, ct);
    assertServed(ct, "copied, not switched");

    try (Connection c = IndexDb.connect()) {
      IndexDb.execute(
          c,
          "update object_location set bucket = 'strata-cold', tier = 'cold' where object_key = '"
              + key
              + "'");
    }
    assertServed(ct, "switched, source still there");

    hot.delete(key);
    assertFalse(hot.stat(key).isPresent());
    assertServed(ct, "after the move");
    assertEquals(200, get(PATH + "/metadata", "application/dicom+json").statusCode());
  }

  private static void assertServed(byte[] expected, String when) {
    List<Part> parts = parts(get(PATH, DICOM), "application/dicom");
    assertEquals(1, parts.size(), when);
    assertArrayEquals(expected, parts.get(0).body(), when);
  }
}
