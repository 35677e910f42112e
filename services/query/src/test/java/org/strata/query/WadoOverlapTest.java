package org.strata.query;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.strata.testkit.PlatformTestResource;

/** {@link WadoOverlapChecks} with the default settings: 16 sidecars, 2 objects ahead, a cache. */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class WadoOverlapTest extends WadoOverlapChecks {
  @Override
  String study() {
    return "1.2.826.0.1.3680043.10.1137.94";
  }

  @Override
  boolean frameIndexCached() {
    return true;
  }
}
