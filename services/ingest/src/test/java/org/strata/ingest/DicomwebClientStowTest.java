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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.storage.ObjectStore;
import org.strata.testkit.NodeClient;
import org.strata.testkit.PlatformTestResource;

/**
 * STOW-RS from the npm {@code dicomweb-client} (what OHIF uses), installed from the npm registry
 * into target/ on first use, against the ingest service on the real platform.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class DicomwebClientStowTest {

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  /**
   * The generated 500-instance CT study (the one storescu and curl send, DicomFiles.ctStudy) in one
   * storeInstances call: every instance stored byte for byte, one event each with its key.
   */
  @Test
  void dicomwebClientStoresA500InstanceStudyByteForByte() throws Exception {
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    String series = study + ".1";
    var files = DicomFiles.ctStudy(study, series, 500, "DWC", 8192);
    Path dir = Files.createTempDirectory(Path.of("target"), "dwc-");
    List<String> args = new ArrayList<>();
    args.add("http://127.0.0.1:" + io.restassured.RestAssured.port + "/dicomweb");
    int n = 0;
    for (byte[] file : files.values()) {
      Path f = dir.resolve(++n + ".dcm");
      Files.write(f, file);
      args.add(f.toAbsolutePath().toString());
    }
    String out = NodeClient.run("stow.js", args, Duration.ofMinutes(5), false);
    JsonNode json = new ObjectMapper().readTree(out);
    assertTrue(json.path("00081198").isMissingNode(), "failures: " + json.path("00081198"));
    List<String> stored = new ArrayList<>();
    json.path("00081199").path("Value").forEach(i -> stored.add(sop(i)));
    assertEquals(files.keySet().stream().sorted().toList(), stored.stream().sorted().toList());

    ObjectStore store =
        ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
    java.util.Map<String, StoredEvents.Keyed> events = new java.util.HashMap<>();
    for (StoredEvents.Keyed k :
        StoredEvents.upToNow(bootstrap, e -> e.studyInstanceUid().equals(study))) {
      assertTrue(events.put(k.event().sopInstanceUid(), k) == null, "two events");
    }
    assertEquals(500, events.size());
    for (var f : files.entrySet()) {
      String key = "local/" + study + "/" + series + "/" + f.getKey() + ".dcm";
      try (InputStream in = store.get(key)) {
        assertArrayEquals(f.getValue(), in.readAllBytes(), key);
      }
      StoredEvents.Keyed k = events.get(f.getKey());
      assertEquals(study, k.key());
      assertEquals(key, k.event().objectLocation().key());
      assertEquals(f.getValue().length, k.event().objectLocation().size());
    }
  }

  /**
   * Every pydicom sample in one {@code storeInstances} call, with the outcomes StowTest expects of
   * the same request (PydicomSamples): each kept object one of its samples byte for byte in S3,
   * exactly one event each with the right record key and fields, the refused ones with their
   * Failure Reason.
   */
  @Test
  void dicomwebClientStoresEveryPydicomSample() throws Exception {
    List<PydicomSamples.Sample> samples = PydicomSamples.all();
    assertTrue(samples.size() > 60, "pydicom samples: " + samples.size());
    List<String> args = new ArrayList<>();
    args.add("http://127.0.0.1:" + io.restassured.RestAssured.port + "/dicomweb");
    samples.forEach(s -> args.add(s.file().toString()));
    String out = NodeClient.run("stow.js", args, Duration.ofMinutes(5), false);

    ObjectStore store =
        ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
    java.util.Map<String, PydicomSamples.Sample> kept =
        PydicomSamples.kept(samples, store, "local");
    List<Integer> expected = PydicomSamples.expectedStatuses(samples, kept, "local");
    JsonNode json = new ObjectMapper().readTree(out);
    List<String> stored = new ArrayList<>();
    json.path("00081199").path("Value").forEach(i -> stored.add(sop(i)));
    List<Integer> reasons = new ArrayList<>();
    json.path("00081198")
        .path("Value")
        .forEach(i -> reasons.add(i.path("00081197").path("Value").get(0).asInt()));
    List<String> expectedStored = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      if (expected.get(i) == 0) {
        expectedStored.add(samples.get(i).sop());
      }
    }
    assertEquals(expectedStored.stream().sorted().toList(), stored.stream().sorted().toList());
    assertEquals(
        expected.stream().filter(c -> c != 0).sorted().toList(),
        reasons.stream().sorted().toList(),
        "failure reasons");

    java.util.Set<String> sops = new java.util.HashSet<>();
    kept.values().forEach(s -> sops.add(s.sop()));
    java.util.Map<String, StoredEvents.Keyed> events = new java.util.HashMap<>();
    for (StoredEvents.Keyed k :
        StoredEvents.upToNow(
            bootstrap, e -> "local".equals(e.tenant()) && sops.contains(e.sopInstanceUid()))) {
      assertTrue(
          events.put(k.event().sopInstanceUid(), k) == null,
          "two events for " + k.event().sopInstanceUid());
    }
    for (var entry : kept.entrySet()) {
      PydicomSamples.Sample s = entry.getValue();
      String key = entry.getKey() + ".dcm";
      StoredEvents.Keyed k = events.get(s.sop());
      assertTrue(k != null, "no event for " + s.name());
      assertEquals(s.uids().get("0020,000d"), k.key(), s.name());
      assertEquals(s.uids().get("0020,000e"), k.event().seriesInstanceUid(), s.name());
      assertEquals(s.uids().get("0008,0016"), k.event().sopClassUid(), s.name());
      assertEquals(s.uids().get("0002,0010"), k.event().transferSyntaxUid(), s.name());
      assertEquals(key, k.event().objectLocation().key());
      assertEquals(s.bytes().length, k.event().objectLocation().size());
      assertEquals(
          java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.bytes())),
          k.event().objectLocation().sha256(),
          s.name());
    }
  }

  private static String sop(JsonNode item) {
    return item.path("00081155").path("Value").get(0).asText();
  }
}
