package org.strata.query;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import org.strata.testkit.PlatformTestResource;

/**
 * {@link WadoOverlapChecks} with buffers smaller than the test data: 3 sidecars at once, of at most
 * 64 bytes (larger ones streamed in their turn), one object ahead, read whole only up to 1,000
 * bytes (the rest by a range read), no frame-index or sidecar cache, the index's metadata rows read
 * 6 instances at a time.
 */
@QuarkusTest
@TestProfile(WadoOverlapSmallBuffersTest.SmallBuffers.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class WadoOverlapSmallBuffersTest extends WadoOverlapChecks {

  public static class SmallBuffers extends WadoTestSupport.WadoProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(super.getConfigOverrides());
      config.put("strata.query.wado.metadata-concurrency", "3");
      config.put("strata.query.wado.metadata-buffer-size", "64");
      config.put("strata.query.wado.read-ahead", "1");
      config.put("strata.query.wado.read-ahead-size", "1000");
      config.put("strata.query.wado.frame-index-cache-size", "0");
      config.put("strata.query.wado.sidecar-cache-size", "0");
      config.put("strata.query.wado.metadata-index-page", "6");
      return config;
    }
  }

  @Override
  String study() {
    return "1.2.826.0.1.3680043.10.1137.93";
  }

  @Override
  boolean frameIndexCached() {
    return false;
  }
}
