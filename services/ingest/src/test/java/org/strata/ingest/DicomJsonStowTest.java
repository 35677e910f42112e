package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.events.InstanceStored;
import org.strata.storage.ObjectStore;
import org.strata.testkit.NodeClient;
import org.strata.testkit.PlatformTestResource;

/**
 * STOW-RS of {@code multipart/related; type="application/dicom+json"}: DICOM JSON metadata with
 * bulk data parts, from curl and from the npm dicomweb-client, on the real platform. Each stored
 * object is read back from S3 and checked with DCMTK's dcmdump (attribute lines and the pixel bytes
 * {@code dcmdump +W} extracts, expected values written here); bad input is refused with nothing
 * stored and no event.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class DicomJsonStowTest {
  static final String BOUNDARY = "strata-json-boundary-5c2d";
  static final String CONTENT_TYPE =
      "multipart/related; type=\"application/dicom+json\"; boundary=" + BOUNDARY;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SC = "1.2.840.10008.5.1.4.1.1.7";

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @TempDir Path dir;

  /** One part of a request body. */
  record BodyPart(String contentType, String location, byte[] body) {
    static BodyPart metadata(String json) {
      return new BodyPart("application/dicom+json", null, json.getBytes(StandardCharsets.UTF_8));
    }
  }

  static byte[] multipart(List<BodyPart> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (BodyPart p : parts) {
      StringBuilder h = new StringBuilder("--" + BOUNDARY + "\r\nContent-Type: " + p.contentType());
      if (p.location() != null) {
        h.append("\r\nContent-Location: ").append(p.location());
      }
      out.writeBytes((h + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(p.body());
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** The UIDs of one test instance. */
  record Uids(String study, String series, String sop) {
    static Uids fresh() {
      String study = uid();
      return new Uids(study, study + ".1", study + ".1.1");
    }

    String key() {
      return "local/" + study + "/" + series + "/" + sop + ".dcm";
    }
  }

  /**
   * DICOM JSON of a Secondary Capture instance, rows x columns, monochrome, {@code bits} allocated;
   * {@code pixel} is the Pixel Data attribute's JSON (BulkDataURI or InlineBinary), or null.
   */
  static String metadata(Uids u, int rows, int columns, int bits, String pixel) {
    return "{\"00080016\":{\"vr\":\"UI\",\"Value\":[\""
        + SC
        + "\"]},\"00080018\":{\"vr\":\"UI\",\"Value\":[\""
        + u.sop()
        + "\"]},\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20260102\"]},"
        + "\"00080060\":{\"vr\":\"CS\",\"Value\":[\"OT\"]},"
        + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Json^Test\"}]},"
        + "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"JSON-1\"]},"
        + "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\""
        + u.study()
        + "\"]},\"0020000E\":{\"vr\":\"UI\",\"Value\":[\""
        + u.series()
        + "\"]},\"00280002\":{\"vr\":\"US\",\"Value\":[1]},"
        + "\"00280004\":{\"vr\":\"CS\",\"Value\":[\"MONOCHROME2\"]},"
        + "\"00280010\":{\"vr\":\"US\",\"Value\":["
        + rows
        + "]},\"00280011\":{\"vr\":\"US\",\"Value\":["
        + columns
        + "]},\"00280100\":{\"vr\":\"US\",\"Value\":["
        + bits
        + "]},\"00280101\":{\"vr\":\"US\",\"Value\":["
        + bits
        + "]},\"00280102\":{\"vr\":\"US\",\"Value\":["
        + (bits - 1)
        + "]},\"00280103\":{\"vr\":\"US\",\"Value\":[0]}"
        + (pixel == null ? "" : ",\"7FE00010\":" + pixel)
        + "}";
  }

  static byte[] pattern(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 7 + seed);
    }
    return b;
  }

  /** A baseline JPEG of a small gray gradient, from the JDK's encoder. */
  static byte[] jpeg(int size) throws Exception {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int v = (x * 16 + y * 8) & 0xff;
        img.getRaster().setSample(x, y, 0, v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertTrue(ImageIO.write(img, "jpeg", out));
    return out.toByteArray();
  }

  @Test
  void curlStoresMetadataWithNativePixelBulkData() throws Exception {
    Uids u = Uids.fresh();
    byte[] pixels = pattern(16 * 16 * 2, 3);
    String location = "http://client.example/bulk/" + u.sop() + "/pixel";
    byte[] body =
        multipart(
            List.of(
                BodyPart.metadata(
                    "["
                        + metadata(
                            u, 16, 16, 16, "{\"vr\":\"OW\",\"BulkDataURI\":\"" + location + "\"}")
                        + "]"),
                new BodyPart("application/octet-stream", location, pixels)));
    Answer a = curl(body, "/dicomweb/studies");
    // 200: stored, nothing coerced (ADR 0019).
    assertEquals(200, a.status, a.body);
    assertEquals(List.of(u.sop()), referenced(a.json()));
    assertTrue(a.json().path("00081198").isMissingNode(), a.body);

    Path stored = fromS3(u);
    List<String> dump = dcmdump(stored);
    assertLines(
        dump,
        "(0002,0010) UI =LittleEndianExplicit",
        "(0002,0002) UI =SecondaryCaptureImageStorage",
        "(0002,0003) UI [" + u.sop() + "]",
        "(0008,0016) UI =SecondaryCaptureImageStorage",
        "(0008,0018) UI [" + u.sop() + "]",
        "(0010,0010) PN [Json^Test]",
        "(0010,0020) LO [JSON-1]",
        "(0020,000d) UI [" + u.study() + "]",
        "(0028,0010) US 16",
        "(0028,0011) US 16",
        "(0028,0100) US 16",
        "(7fe0,0010) OW ");
    assertArrayEquals(pixels, extracted(stored).get(0), "native pixel data");
    assertOneEvent(u, stored, "1.2.840.10008.1.2.1");
  }

  @Test
  void anArrayWithJpegBulkDataAndInlineBinaryIsStoredEncapsulatedAndNative() throws Exception {
    Uids jpegUids = Uids.fresh();
    Uids inlineUids = Uids.fresh();
    byte[] jpeg = jpeg(8);
    byte[] inline = pattern(4 * 4, 11);
    String location = "cid:" + jpegUids.sop() + "-frame";
    byte[] body =
        multipart(
            List.of(
                BodyPart.metadata(
                    "["
                        + metadata(
                            jpegUids,
                            8,
                            8,
                            8,
                            "{\"vr\":\"OB\",\"BulkDataURI\":\"" + location + "\"}")
                        + ","
                        + metadata(
                            inlineUids,
                            4,
                            4,
                            8,
                            "{\"vr\":\"OB\",\"InlineBinary\":\""
                                + Base64.getEncoder().encodeToString(inline)
                                + "\"}")
                        + "]"),
                new BodyPart(
                    "image/jpeg; transfer-syntax=1.2.840.10008.1.2.4.50", location, jpeg)));
    Answer a = curl(body, "/dicomweb/studies");
    assertEquals(200, a.status, a.body);
    assertEquals(Set.of(jpegUids.sop(), inlineUids.sop()), Set.copyOf(referenced(a.json())));

    Path compressed = fromS3(jpegUids);
    assertLines(
        dcmdump(compressed),
        "(0002,0010) UI =JPEGBaseline",
        "(0008,0018) UI [" + jpegUids.sop() + "]",
        "(0028,0010) US 8",
        "(7fe0,0010) OB (PixelSequence");
    // dcmdump +W: the (empty) Basic Offset Table, then the one fragment: the JPEG, padded to even.
    List<byte[]> items = extracted(compressed);
    byte[] fragment = jpeg.length % 2 == 0 ? jpeg : java.util.Arrays.copyOf(jpeg, jpeg.length + 1);
    assertArrayEquals(fragment, items.get(items.size() - 1), "the JPEG as the one fragment");
    assertOneEvent(jpegUids, compressed, "1.2.840.10008.1.2.4.50");

    Path nativeOne = fromS3(inlineUids);
    assertLines(
        dcmdump(nativeOne),
        "(0002,0010) UI =LittleEndianExplicit",
        "(0008,0018) UI [" + inlineUids.sop() + "]",
        "(7fe0,0010) OB 0b\\12\\19\\20");
    assertArrayEquals(inline, extracted(nativeOne).get(0), "InlineBinary pixel data");
    assertOneEvent(inlineUids, nativeOne, "1.2.840.10008.1.2.1");
  }

  @Test
  void dicomwebClientStoresMetadataWithBulkData() throws Exception {
    Uids u = Uids.fresh();
    byte[] pixels = pattern(32 * 32 * 2, 5);
    String location = "http://client.example/instances/" + u.sop() + "/bulk/7FE00010";
    Path meta = dir.resolve("meta.json");
    Files.writeString(
        meta,
        "["
            + metadata(u, 32, 32, 16, "{\"vr\":\"OW\",\"BulkDataURI\":\"" + location + "\"}")
            + "]");
    Path bulk = dir.resolve("pixel.raw");
    Files.write(bulk, pixels);
    String out =
        NodeClient.run(
            "stow-json.js",
            "http://127.0.0.1:" + io.restassured.RestAssured.port + "/dicomweb",
            meta.toString(),
            "application/octet-stream",
            location,
            bulk.toString());
    assertEquals(List.of(u.sop()), referenced(JSON.readTree(out)));

    Path stored = fromS3(u);
    assertLines(
        dcmdump(stored),
        "(0002,0010) UI =LittleEndianExplicit",
        "(0008,0018) UI [" + u.sop() + "]",
        "(0010,0010) PN [Json^Test]",
        "(0028,0010) US 32",
        "(7fe0,0010) OW ");
    assertArrayEquals(pixels, extracted(stored).get(0));
    assertOneEvent(u, stored, "1.2.840.10008.1.2.1");
  }

  @Test
  void badInstancesAreRefusedWithTheirFailureReasonAndNothingStored() throws Exception {
    Uids good = Uids.fresh();
    Uids missing = Uids.fresh();
    Uids multiFrame = Uids.fresh();
    String goodLocation = "http://client.example/good";
    String multiFrameMeta =
        metadata(
                multiFrame, 8, 8, 8, "{\"vr\":\"OB\",\"BulkDataURI\":\"http://client.example/mf\"}")
            .replace("\"00280002\"", "\"00280008\":{\"vr\":\"IS\",\"Value\":[2]},\"00280002\"");
    byte[] body =
        multipart(
            List.of(
                BodyPart.metadata(
                    "["
                        + metadata(
                            good,
                            2,
                            2,
                            8,
                            "{\"vr\":\"OB\",\"BulkDataURI\":\"" + goodLocation + "\"}")
                        + ","
                        + metadata(
                            missing,
                            2,
                            2,
                            8,
                            "{\"vr\":\"OB\",\"BulkDataURI\":\"http://client.example/absent\"}")
                        + ","
                        + multiFrameMeta
                        + "]"),
                new BodyPart("application/octet-stream", goodLocation, pattern(4, 1)),
                new BodyPart("image/jpeg", "http://client.example/mf", jpeg(8))));
    Answer a = curl(body, "/dicomweb/studies");
    assertEquals(202, a.status, a.body);
    assertEquals(List.of(good.sop()), referenced(a.json()));
    JsonNode failed = a.json().path("00081198").path("Value");
    assertEquals(2, failed.size(), a.body);
    // Missing bulk data part, compressed multi-frame in one part: 0xC000 with their UIDs.
    assertEquals(missing.sop(), failed.get(0).path("00081155").path("Value").get(0).asText());
    assertEquals(49152, failed.get(0).path("00081197").path("Value").get(0).asInt());
    assertEquals(multiFrame.sop(), failed.get(1).path("00081155").path("Value").get(0).asText());
    assertEquals(49152, failed.get(1).path("00081197").path("Value").get(0).asInt());
    assertStoredNothing(missing);
    assertStoredNothing(multiFrame);
    fromS3(good);
  }

  @Test
  void unreadableMetadataIsRefused() throws Exception {
    Uids u = Uids.fresh();
    String unknownVr = metadata(u, 2, 2, 8, null).replace("\"vr\":\"LO\"", "\"vr\":\"XX\"");
    String malformed = metadata(u, 2, 2, 8, null).substring(0, 120);
    for (String json : List.of(unknownVr, malformed)) {
      Answer a = curl(multipart(List.of(BodyPart.metadata(json))), "/dicomweb/studies");
      assertEquals(409, a.status, a.body);
      JsonNode failed = a.json().path("00081198").path("Value");
      assertEquals(1, failed.size(), a.body);
      assertEquals(49152, failed.get(0).path("00081197").path("Value").get(0).asInt());
      assertTrue(a.json().path("00081199").isMissingNode(), a.body);
    }
    assertStoredNothing(u);

    // Whole-request errors: no metadata part at all (400), metadata over the limit (413, the test
    // profile allows 1 MiB), a study URL the instance is not of (A900, 43264).
    Answer noMetadata =
        curl(
            multipart(
                List.of(new BodyPart("application/octet-stream", "http://x/1", pattern(8, 0)))),
            "/dicomweb/studies");
    assertEquals(400, noMetadata.status, noMetadata.body);
    String huge =
        metadata(
            u,
            1024,
            1024,
            8,
            "{\"vr\":\"OB\",\"InlineBinary\":\""
                + Base64.getEncoder().encodeToString(new byte[1024 * 1024])
                + "\"}");
    Answer tooLarge = curl(multipart(List.of(BodyPart.metadata(huge))), "/dicomweb/studies");
    assertEquals(413, tooLarge.status, tooLarge.body);
    Answer otherStudy =
        curl(
            multipart(List.of(BodyPart.metadata(metadata(u, 1, 1, 8, null)))),
            "/dicomweb/studies/" + uid());
    assertEquals(409, otherStudy.status, otherStudy.body);
    assertEquals(
        43264,
        otherStudy
            .json()
            .path("00081198")
            .path("Value")
            .get(0)
            .path("00081197")
            .path("Value")
            .get(0)
            .asInt());
    assertStoredNothing(u);
  }

  // ------------------------------------------------------------------ helpers

  record Answer(int status, String body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  private Answer curl(byte[] body, String path) throws Exception {
    Path file = Files.createTempFile(dir, "body-", ".bin");
    Files.write(file, body);
    Process curl =
        new ProcessBuilder(
                "curl",
                "-sS",
                "-X",
                "POST",
                "-H",
                "Content-Type: " + CONTENT_TYPE,
                "-H",
                "Accept: application/dicom+json",
                "--data-binary",
                "@" + file,
                "-w",
                "\n%{http_code}",
                "http://127.0.0.1:" + io.restassured.RestAssured.port + path)
            .redirectErrorStream(true)
            .start();
    String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(curl.waitFor(120, TimeUnit.SECONDS), "curl did not finish");
    assertEquals(0, curl.exitValue(), out);
    int nl = out.lastIndexOf('\n');
    return new Answer(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl));
  }

  private static List<String> referenced(JsonNode json) {
    List<String> sops = new ArrayList<>();
    for (JsonNode item : json.path("00081199").path("Value")) {
      sops.add(item.path("00081155").path("Value").get(0).asText());
    }
    return sops;
  }

  private ObjectStore store() {
    return ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");
  }

  private Path fromS3(Uids u) throws Exception {
    Path f = Files.createTempFile(dir, "stored-", ".dcm");
    try (InputStream in = store().get(u.key())) {
      Files.write(f, in.readAllBytes());
    }
    return f;
  }

  private void assertStoredNothing(Uids u) throws Exception {
    assertTrue(store().stat(u.key()).isEmpty(), "nothing stored for " + u.sop());
    assertTrue(
        StoredEvents.upToNow(bootstrap, e -> e.sopInstanceUid().equals(u.sop())).isEmpty(),
        "no event for " + u.sop());
  }

  /** Exactly one event, keyed by the study, describing the object as it is in S3. */
  private void assertOneEvent(Uids u, Path stored, String transferSyntax) throws Exception {
    List<StoredEvents.Keyed> events =
        StoredEvents.upToNow(bootstrap, e -> e.sopInstanceUid().equals(u.sop()));
    assertEquals(1, events.size(), "events of " + u.sop());
    InstanceStored e = events.get(0).event();
    byte[] bytes = Files.readAllBytes(stored);
    assertEquals(u.study(), events.get(0).key());
    assertEquals("local", e.tenant());
    assertEquals(InstanceStored.Channel.STOWRS, e.source().channel());
    assertEquals(u.study(), e.studyInstanceUid());
    assertEquals(u.series(), e.seriesInstanceUid());
    assertEquals(SC, e.sopClassUid());
    assertEquals(transferSyntax, e.transferSyntaxUid());
    assertEquals(u.key(), e.objectLocation().key());
    assertEquals(bytes.length, e.objectLocation().size());
    assertEquals(
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
        e.objectLocation().sha256());
  }

  /** dcmdump's lines of a file (without the comment after each value). */
  static List<String> dcmdump(Path file) throws Exception {
    Process p =
        new ProcessBuilder("dcmdump", "-q", "+L", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out.lines().map(l -> l.replaceAll("\\s+#.*$", "")).toList();
  }

  private static void assertLines(List<String> dump, String... starts) {
    for (String s : starts) {
      assertTrue(
          dump.stream().anyMatch(l -> l.startsWith(s)),
          "no line starting with " + s + " in\n" + String.join("\n", dump));
    }
    assertFalse(dump.isEmpty());
  }

  /** What {@code dcmdump +W} extracts: native pixel data, or each item of encapsulated data. */
  private List<byte[]> extracted(Path file) throws Exception {
    Path out = Files.createTempDirectory(dir, "w");
    Process p =
        new ProcessBuilder("dcmdump", "-q", "+W", out.toString(), file.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertEquals(0, p.waitFor());
    List<byte[]> items = new ArrayList<>();
    String base = file.getFileName().toString();
    for (int k = 0; Files.exists(out.resolve(base + "." + k + ".raw")); k++) {
      items.add(Files.readAllBytes(out.resolve(base + "." + k + ".raw")));
    }
    assertFalse(items.isEmpty(), "dcmdump +W extracted nothing");
    return items;
  }

  static String uid() {
    return "2.25." + new BigInteger(UUID.randomUUID().toString().replace("-", ""), 16);
  }
}
