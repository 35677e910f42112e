package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;

/**
 * STOW-RS with curl, the client most scripts and gateways use: a generated 500-instance CT study in
 * one request, every instance stored byte for byte and listed in the response.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class StowCurlTest {
  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @TempDir Path dir;

  @Test
  void curlStoresA500InstanceStudy() throws Exception {
    String study = uid(), series = uid();
    var study500 = DicomFiles.ctStudy(study, series, 500, "CURL-1", 8192);
    List<byte[]> files = new ArrayList<>(study500.values());
    List<String> sops = new ArrayList<>(study500.keySet());
    Path body = dir.resolve("body");
    Files.write(body, Multipart.of(files));
    Process curl =
        new ProcessBuilder(
                "curl",
                "-sS",
                "-X",
                "POST",
                "-H",
                "Content-Type: " + Multipart.CONTENT_TYPE,
                "-H",
                "Accept: application/dicom+json",
                "--data-binary",
                "@" + body,
                "-w",
                "\n%{http_code}",
                "http://127.0.0.1:"
                    + io.restassured.RestAssured.port
                    + "/dicomweb/studies/"
                    + study)
            .redirectErrorStream(true)
            .start();
    String out = new String(curl.getInputStream().readAllBytes());
    assertTrue(curl.waitFor(300, TimeUnit.SECONDS), "curl did not finish");
    assertEquals(0, curl.exitValue(), out);
    String status = out.substring(out.lastIndexOf('\n') + 1);
    // 200: every instance stored as received (nothing coerced, ADR 0019).
    assertEquals("200", status, out);
    JsonNode json = new ObjectMapper().readTree(out.substring(0, out.lastIndexOf('\n')));
    assertTrue(json.path("00081198").isMissingNode(), "no failures: " + json.path("00081198"));
    Set<String> referenced = new HashSet<>();
    for (JsonNode item : json.path("00081199").path("Value")) {
      referenced.add(item.path("00081155").path("Value").get(0).asText());
    }
    assertEquals(new HashSet<>(sops), referenced);

    ObjectStore store =
        ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
    for (int i = 0; i < files.size(); i++) {
      String key = "local/" + study + "/" + series + "/" + sops.get(i) + ".dcm";
      try (InputStream in = store.get(key)) {
        assertArrayEquals(files.get(i), in.readAllBytes(), key);
      }
    }
  }

  private static String uid() {
    return "2.25." + new BigInteger(UUID.randomUUID().toString().replace("-", ""), 16);
  }
}
