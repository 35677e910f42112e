package org.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;

/**
 * Every metadata sidecar says what DCMTK's {@code dcm2json} says of the same object: each pydicom
 * sample that DCMTK reads (with fresh UIDs of the same lengths, so each is a new instance) is
 * stored over STOW-RS, and its sidecar from S3 is compared attribute by attribute, nested sequences
 * included, with {@code dcm2json}'s output for the bytes sent. Allowed differences, and only these:
 * values over the bulk-data threshold are a BulkDataURI in the sidecar (dcm2json 3.6.7 always
 * inlines), and deflated objects (no sidecar by design). Nothing is added to the metadata that the
 * object does not hold (ADR 0019).
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class SidecarMatchesDcm2JsonTest {
  private static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String DEFLATED = "1.2.840.10008.1.2.1.99";

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @ConfigProperty(name = "strata.s3.access-key")
  String s3AccessKey;

  @ConfigProperty(name = "strata.s3.secret-key")
  String s3SecretKey;

  @TempDir Path dir;

  record Sent(String name, String prefix, JsonNode expected) {}

  @Test
  void everySidecarMatchesDcm2json() throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SAMPLES)) {
      files = walk.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
    }
    List<Sent> sent = new ArrayList<>();
    List<byte[]> bodies = new ArrayList<>();
    for (Path f : files) {
      JsonNode original = reference(f);
      if (original == null) {
        continue; // DCMTK cannot read it: no reference to compare with
      }
      String ts = text(original, "00020010");
      String study = text(original, "0020000D");
      String series = text(original, "0020000E");
      String sop = text(original, "00080018");
      if (ts == null || ts.equals(DEFLATED) || !uid(study) || !uid(series) || !uid(sop)) {
        continue;
      }
      byte[] bytes = Files.readAllBytes(f);
      // Longest first: a UID may be a prefix of another (a SOP Instance UID = series UID + ".1").
      for (String u :
          Stream.of(study, series, sop)
              .distinct()
              .sorted((a, b) -> b.length() - a.length())
              .toList()) {
        bytes = replace(bytes, u, freshUid(u.length()));
      }
      Path copy = dir.resolve(sent.size() + ".dcm");
      Files.write(copy, bytes);
      JsonNode expected = reference(copy);
      if (expected == null) {
        continue;
      }
      sent.add(
          new Sent(
              SAMPLES.relativize(f).toString(),
              "local/"
                  + text(expected, "0020000D")
                  + "/"
                  + text(expected, "0020000E")
                  + "/"
                  + text(expected, "00080018"),
              expected));
      bodies.add(bytes);
    }
    assertTrue(sent.size() > 40, "expected most pydicom samples, got " + sent.size());

    int status =
        given()
            .contentType(Multipart.CONTENT_TYPE)
            .body(Multipart.of(bodies))
            .post("/dicomweb/studies")
            .statusCode();
    assertTrue(status == 200 || status == 202, "STOW status " + status);

    ObjectStore store = ObjectStore.connect(s3Endpoint, s3AccessKey, s3SecretKey, "strata-objects");
    List<String> problems = new ArrayList<>();
    List<Sent> pending = new ArrayList<>();
    for (Sent s : sent) {
      if (store.stat(s.prefix() + ".dcm").isEmpty()) {
        problems.add(s.name() + ": not stored although DCMTK reads it");
      } else {
        pending.add(s);
      }
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              for (Sent s : pending) {
                if (store.stat(s.prefix() + ".json").isEmpty()) {
                  return false;
                }
              }
              return true;
            });
    for (Sent s : pending) {
      JsonNode actual;
      try (InputStream in = store.get(s.prefix() + ".json")) {
        actual = JSON.readTree(in);
      }
      compareDataset(s.name(), s.expected(), actual, problems);
    }
    assertEquals(
        List.of(),
        problems.subList(0, Math.min(40, problems.size())),
        problems.size() + " differences between sidecars and dcm2json");
  }

  private static void compareDataset(
      String path, JsonNode expected, JsonNode actual, List<String> problems) {
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String tag = e.getKey();
      if (tag.startsWith("0002")) {
        continue; // file meta information: not part of the data set
      }
      JsonNode a = actual.get(tag);
      if (a == null && e.getValue().path("vr").asText().equals("*")) {
        continue; // not known to dcm2json: optional
      }
      if (a == null) {
        problems.add(path + " " + tag + ": missing in the sidecar");
        continue;
      }
      compareElement(path + " " + tag, e.getValue(), a, problems);
    }
    for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
      String tag = it.next();
      if (expected.get(tag) == null) {
        problems.add(path + " " + tag + ": in the sidecar only");
      }
    }
  }

  private static void compareElement(
      String path, JsonNode expected, JsonNode actual, List<String> problems) {
    String vr = expected.path("vr").asText();
    if (vr.equals("*")) {
      return; // not known to dcm2json (encapsulated pixel data)
    }
    if (!vr.equals(actual.path("vr").asText())) {
      problems.add(path + ": vr " + actual.path("vr").asText() + ", dcm2json " + vr);
      return;
    }
    if (actual.has("BulkDataURI")) {
      return; // over the threshold: the value stays in the object
    }
    if (expected.has("InlineBinary")) {
      if (!expected.get("InlineBinary").equals(actual.get("InlineBinary"))) {
        problems.add(path + ": InlineBinary differs");
      }
      return;
    }
    JsonNode ev = expected.path("Value");
    JsonNode av = actual.path("Value");
    if (ev.size() != av.size()) {
      problems.add(path + ": " + av.size() + " values, dcm2json " + ev.size() + " " + ev);
      return;
    }
    for (int i = 0; i < ev.size(); i++) {
      JsonNode x = ev.get(i), y = av.get(i);
      String at = path + "[" + i + "]";
      if (vr.equals("SQ")) {
        compareDataset(at, x, y, problems);
      } else if (vr.equals("PN")) {
        for (String group : List.of("Alphabetic", "Ideographic", "Phonetic")) {
          String xs = x.path(group).asText(""), ys = y.path(group).asText("");
          if (!xs.equals(ys)) {
            problems.add(at + "." + group + ": '" + ys + "', dcm2json '" + xs + "'");
          }
        }
      } else if (vr.equals("FL") || vr.equals("OF")) {
        // 32-bit floats: dcm2json prints 9 digits, the sidecar the shortest exact form.
        if ((float) x.asDouble() != (float) y.asDouble()) {
          problems.add(at + ": " + y + ", dcm2json " + x);
        }
      } else if (x.isNumber() || y.isNumber()) {
        if (x.isNull() != y.isNull()
            || (!x.isNull()
                && Math.abs(x.asDouble() - y.asDouble()) > 1e-9 * Math.abs(x.asDouble()))) {
          problems.add(at + ": " + y + ", dcm2json " + x);
        }
      } else if (!x.asText().equals(y.asText())) {
        problems.add(at + ": '" + y.asText() + "', dcm2json '" + x.asText() + "'");
      }
    }
  }

  /**
   * dcm2json's view of a file. dcm2json 3.6.7 refuses encapsulated pixel data: then the rest is
   * compared, from a copy without it (made by dcmodify), and whatever the sidecar says of Pixel
   * Data is accepted. Null when DCMTK cannot read the file at all (e.g. ISO 2022 charsets, which
   * this DCMTK build cannot convert).
   */
  private JsonNode reference(Path file) throws Exception {
    JsonNode json = dcm2json(file);
    if (json != null) {
      return json;
    }
    Path withoutPixels = Files.createTempFile(dir, "np", ".dcm");
    Files.copy(file, withoutPixels, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Process p =
        new ProcessBuilder("dcmodify", "-q", "-nb", "-ea", "(7fe0,0010)", withoutPixels.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return null;
    }
    json = dcm2json(withoutPixels);
    if (json != null) {
      // Unknown to dcm2json now: the pixel data, and trailing padding (dcmodify drops it).
      for (String tag : List.of("7FE00010", "FFFCFFFC")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) json)
            .set(tag, JSON.createObjectNode().put("vr", "*"));
      }
    }
    return json;
  }

  /** dcm2json's view of a file (file meta included with +m), or null when it cannot read it. */
  private static JsonNode dcm2json(Path file) throws Exception {
    Process p =
        new ProcessBuilder("dcm2json", "-q", "+m", "-fc", file.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(out);
    } catch (Exception e) {
      return null;
    }
  }

  private static String text(JsonNode ds, String tag) {
    JsonNode v = ds.path(tag).path("Value");
    return v.isArray() && v.size() > 0 ? v.get(0).asText() : null;
  }

  private static boolean uid(String s) {
    return s != null && s.length() <= 64 && s.length() > 6 && s.matches("[0-9]+(\\.[0-9]+)*");
  }

  private static String freshUid(int length) {
    StringBuilder uid = new StringBuilder("2.25.");
    uid.append((char) ('1' + RANDOM.nextInt(9)));
    while (uid.length() < length) {
      uid.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return uid.toString();
  }

  private static byte[] replace(byte[] data, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    byte[] t = to.getBytes(StandardCharsets.US_ASCII);
    byte[] out = data.clone();
    outer:
    for (int i = 0; i + f.length <= out.length; i++) {
      for (int j = 0; j < f.length; j++) {
        if (out[i + j] != f[j]) {
          continue outer;
        }
      }
      System.arraycopy(t, 0, out, i, t.length);
    }
    return out;
  }
}
