package org.strata.tiering;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;

/**
 * The policies file edited by hand while the service runs (ADR 0064): a valid edit is in force
 * within the reload interval; a broken one is refused as a whole, the policies in force kept and
 * the reason shown. The file is the test profile's (under target/), put back as it was at the end.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3,s3_cold"))
class PolicyFileReloadTest {
  private static final Duration SAFETY_NET = Duration.ofMinutes(1);

  @Test
  void aHandEditIsTakenAndABrokenOneRefusedAsAWhole() throws Exception {
    Path file =
        Path.of(ConfigProvider.getConfig().getValue("strata.tiering.policies.file", String.class));
    String original = Files.readString(file);
    String name = "hand-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      // An operator adds a (disabled) policy in an editor.
      String added =
          original.replaceFirst(
              "\"policies\"\\s*:\\s*\\[",
              "\"policies\": [{\"name\": \""
                  + name
                  + "\", \"enabled\": false, \"tenant\": \"tiering\", \"modality\": \"US\","
                  + " \"since\": \"ingest\", \"olderThan\": \"P30D\", \"toTier\": \"cold\"},");
      Files.writeString(file, added);
      await().atMost(SAFETY_NET).until(() -> names().contains(name));
      assertNull(list().getString("fileError"));

      // A second edit whose last policy names a tier that does not exist: nothing of it is taken,
      // not even its valid change (the first policy enabled).
      String broken =
          added
              .replaceFirst(
                  "\"enabled\": false, \"tenant\": \"tiering\", \"modality\": \"US\"",
                  "\"enabled\": true, \"tenant\": \"tiering\", \"modality\": \"US\"")
              .replaceFirst(
                  "\"policies\"\\s*:\\s*\\[",
                  "\"policies\": [{\"name\": \"x\", \"tenant\": \"tiering\", \"since\": \"ingest\","
                      + " \"olderThan\": \"P1D\", \"toTier\": \"glacier\"},");
      Files.writeString(file, broken);
      String reason = "policy x: toTier is not a configured tier";
      // (A read of the file half-written would show another reason first.)
      await().atMost(SAFETY_NET).until(() -> reason.equals(list().getString("fileError")));
      JsonPath after = list();
      assertTrue(names().contains(name) && names().contains("ct-over-a-year"), "kept in force");
      assertEquals(
          false,
          after.getBoolean("policies.find { it.name == '" + name + "' }.enabled"),
          "the broken edit's valid part is not taken either");
      assertTrue(!names().contains("x"));

      // Not JSON at all: refused with the position only.
      Files.writeString(file, "{\"version\": 1, \"policies\": [");
      await()
          .atMost(SAFETY_NET)
          .until(() -> String.valueOf(list().getString("fileError")).contains("not valid JSON"));
      assertTrue(names().contains(name), "still in force");
    } finally {
      Files.writeString(file, original);
      await().atMost(SAFETY_NET).until(() -> !names().contains(name));
    }
    assertNull(list().getString("fileError"));
  }

  private static JsonPath list() {
    return given()
        .get("/admin/tenants/tiering/policies")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static List<String> names() {
    return list().getList("policies.name", String.class);
  }
}
