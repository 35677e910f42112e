package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.QidoTestData.S1;
import static org.strata.query.QidoTestData.S2;
import static org.strata.query.QidoTestData.S3;
import static org.strata.query.QidoTestData.S4;
import static org.strata.query.QidoTestData.S5;
import static org.strata.query.QidoTestData.S7;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;

/**
 * PS3.18 8.3.4.4: {@code limit} and {@code offset} are unsigned integers; the origin server returns
 * at most its maximum (here 4 of the 6 studies of tenant local) with {@code Warning: 299} when more
 * matches follow, and 204 when {@code offset} is past the last match. A {@code limit} above the
 * maximum used to be refused with 400, so clients asking for "everything" got nothing.
 */
@QuarkusTest
@TestProfile(QidoPagingLimitsTest.MaxFour.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class QidoPagingLimitsTest extends QidoTestSupport {
  private static final String CUT =
      "\"The number of results exceeded the maximum supported by the server. Additional results"
          + " can be requested.\"";

  /** At most 4 results per response, 3 when the request has no {@code limit}. */
  public static final class MaxFour implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("strata.query.max-limit", "4", "strata.query.default-limit", "3");
    }
  }

  @Test
  void aLimitAboveTheMaximumReturnsTheMaximumWithAWarning() throws Exception {
    for (String limit : List.of("5", "1000", "2147483648", "99999999999999999999999999")) {
      ExtractableResponse<Response> r = get("/studies", "limit", limit);
      assertEquals(200, r.statusCode(), limit + ": " + r.asString());
      assertEquals(List.of(S5, S2, S4, S1), firstValues(json(r), STUDY_UID), limit);
      assertWarning(r);
    }
    // The next page from offset + results, with a limit above the maximum again: the last two.
    ExtractableResponse<Response> next = get("/studies", "limit", "1000", "offset", "4");
    assertEquals(List.of(S3, S7), firstValues(json(next), STUDY_UID));
    assertNull(next.header("Warning"), "no more matches follow");
  }

  @Test
  void theDefaultLimitAndTheMaximumItselfPage() throws Exception {
    ExtractableResponse<Response> byDefault = get("/studies");
    assertEquals(List.of(S5, S2, S4), firstValues(json(byDefault), STUDY_UID));
    assertWarning(byDefault);
    ExtractableResponse<Response> atMax = get("/studies", "limit", "4", "offset", "2");
    assertEquals(List.of(S4, S1, S3, S7), firstValues(json(atMax), STUDY_UID));
    assertNull(atMax.header("Warning"));
  }

  @Test
  void anOffsetPastTheLastMatchIsNoContent() throws Exception {
    for (String offset : List.of("6", "7", "2147483648", "99999999999999999999999999")) {
      ExtractableResponse<Response> r = get("/studies", "offset", offset, "limit", "1000");
      assertEquals(204, r.statusCode(), offset + ": " + r.asString());
      assertEquals("", r.asString());
      assertNull(r.header("Warning"));
    }
    // limit=0: results = min(matches - offset, maxResults, limit) = 0, so 204 too.
    assertEquals(204, get("/studies", "limit", "0").statusCode());
    assertEquals(204, get("/instances", "limit", "0").statusCode());
  }

  @Test
  void limitAndOffsetThatAreNotUnsignedIntegersAreStill400() {
    for (String bad : List.of("-1", "ten", "1e3", "", " 4", "+4", "4.0")) {
      assertEquals(400, get("/studies", "limit", bad).statusCode(), "limit=" + bad);
      assertEquals(400, get("/studies", "offset", bad).statusCode(), "offset=" + bad);
    }
  }

  private static void assertWarning(ExtractableResponse<Response> r) {
    String warning = r.header("Warning");
    assertTrue(warning != null && warning.matches("299 [^ ]+: .*"), warning);
    assertTrue(warning.endsWith(": " + CUT), warning);
  }
}
