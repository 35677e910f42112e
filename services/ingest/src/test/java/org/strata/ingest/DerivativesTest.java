package org.strata.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.io.FrameIndex;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;

/**
 * Sidecars and frame indexes written from {@code strata.instance.stored} after a STOW-RS of pydicom
 * samples, on the real platform. Each sample is sent with fresh UIDs of the same length put in
 * place of its own (so every run publishes new events and every offset of the file is unchanged);
 * the expected values are DCMTK's view of the original file: attribute values from {@code dcmdump}
 * written here, pixel data and fragments as {@code dcmdump +W} extracts them.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class DerivativesTest {
  private static final Path SAMPLES =
      Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
  private static final Path DCMDUMP = Path.of("/usr/bin/dcmdump");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Facts from {@code dcmdump -q} of each file: UIDs (study, series, SOP), Patient Name, Rows,
   * Columns, frames, and whether the pixel data is encapsulated.
   */
  record Sample(
      String file,
      String study,
      String series,
      String sop,
      String patientName,
      int rows,
      int columns,
      int frames,
      boolean encapsulated) {}

  private static final List<Sample> SAMPLE_FACTS =
      List.of(
          new Sample(
              "CT_small.dcm",
              "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322",
              "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322",
              "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322",
              "CompressedSamples^CT1",
              128,
              128,
              1,
              false),
          new Sample(
              "MR_small.dcm",
              "1.3.6.1.4.1.5962.1.2.4.20040826185059.5457",
              "1.3.6.1.4.1.5962.1.3.4.1.20040826185059.5457",
              "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457",
              "CompressedSamples^MR1",
              64,
              64,
              1,
              false),
          // Implicit VR LE, 15 native frames of 10x10 32-bit.
          new Sample(
              "rtdose.dcm",
              "1.2.999.999.99.9.9999.8888",
              "1.2.777.777.77.7.7777.7777",
              "1.9.999.999.99.9.9999.9999.20030818153516",
              "Lastname^Firstname",
              10,
              10,
              15,
              false),
          // RLE, 2 frames in fragments of 664 bytes (below the bulk-data threshold).
          new Sample(
              "SC_rgb_rle_2frame.dcm",
              "1.2.826.0.1.3680043.8.498.12406831542731051035295345080039845114",
              "1.2.826.0.1.3680043.8.498.16157229083793556332623330502397121062",
              "1.2.826.0.1.3680043.8.498.49043964482360854182530167603505525116",
              "Lestrade^G",
              100,
              100,
              2,
              true),
          // RLE, 2 frames in fragments of 1264 bytes (above the threshold: left in the object).
          new Sample(
              "SC_rgb_rle_16bit_2frame.dcm",
              "1.2.826.0.1.3680043.8.498.12406831542731051035295345080039845114",
              "1.2.826.0.1.3680043.8.498.16157229083793556332623330502397121062",
              "1.2.826.0.1.3680043.8.498.49043964482360854182530167603505525116",
              "Lestrade^G",
              100,
              100,
              2,
              true));

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @ConfigProperty(name = "strata.s3.access-key")
  String s3AccessKey;

  @ConfigProperty(name = "strata.s3.secret-key")
  String s3SecretKey;

  @TempDir Path dir;

  /** A sample as sent: its bytes with fresh UIDs of the original lengths. */
  record Sent(Sample sample, byte[] bytes, String study, String series, String sop) {
    String prefix() {
      return "local/" + study + "/" + series + "/" + sop;
    }
  }

  @Test
  void sidecarsAndFrameIndexesOfEncapsulatedPixelDataAreWrittenForStoredInstances()
      throws Exception {
    assumeTrue(Files.isDirectory(SAMPLES), "pydicom samples missing");
    assumeTrue(Files.isExecutable(DCMDUMP), "dcmdump missing");
    List<Sent> sent = new ArrayList<>();
    for (Sample s : SAMPLE_FACTS) {
      byte[] bytes = Files.readAllBytes(SAMPLES.resolve(s.file()));
      String study = freshUid(s.study().length());
      String series = freshUid(s.series().length());
      String sop = freshUid(s.sop().length());
      bytes = replace(bytes, s.study(), study);
      bytes = replace(bytes, s.series(), series);
      bytes = replace(bytes, s.sop(), sop);
      sent.add(new Sent(s, bytes, study, series, sop));
    }

    Response response =
        given()
            .contentType(Multipart.CONTENT_TYPE)
            .body(Multipart.of(sent.stream().map(Sent::bytes).toList()))
            .post("/dicomweb/studies");
    // 200: stored as received, nothing coerced (ADR 0019).
    assertEquals(200, response.statusCode(), response.asString());
    assertEquals(
        sent.stream().map(Sent::sop).sorted().toList(),
        response
            .jsonPath()
            .getList("'00081199'.Value.collect { it.'00081155'.Value[0] }", String.class)
            .stream()
            .sorted()
            .toList());

    ObjectStore store = ObjectStore.connect(s3Endpoint, s3AccessKey, s3SecretKey, "strata-objects");
    Awaitility.await()
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              for (Sent s : sent) {
                if (store.stat(s.prefix() + ".json").isEmpty()
                    || (s.sample().encapsulated()
                        && store.stat(s.prefix() + ".frames").isEmpty())) {
                  return false;
                }
              }
              return true;
            });

    for (Sent s : sent) {
      checkSidecar(store, s);
      checkFrames(store, s);
    }
  }

  private void checkSidecar(ObjectStore store, Sent s) throws Exception {
    String name = s.sample().file();
    JsonNode json;
    try (InputStream in = store.get(s.prefix() + ".json")) {
      json = JSON.readTree(in);
    }
    assertTrue(json.isObject(), name);
    assertEquals(
        s.sample().patientName(),
        json.at("/00100010/Value/0/Alphabetic").asText(),
        name + " PatientName");
    assertEquals(s.sample().rows(), json.at("/00280010/Value/0").asInt(), name + " Rows");
    assertEquals(s.sample().columns(), json.at("/00280011/Value/0").asInt(), name + " Columns");
    assertEquals(s.study(), json.at("/0020000D/Value/0").asText(), name);
    assertEquals(s.sop(), json.at("/00080018/Value/0").asText(), name);
    // None of the samples has an Issuer of Patient ID, and the metadata says what the object says
    // (ADR 0019; it used to add the tenant's issuer, which the object did not hold).
    assertTrue(json.path("00100021").isMissingNode(), name + ": " + json.path("00100021"));
    for (Iterator<String> tags = json.fieldNames(); tags.hasNext(); ) {
      assertFalse(tags.next().startsWith("0002"), name + ": file meta information in metadata");
    }

    // What the index needs to rebuild itself from the sidecar alone, as S3 user metadata.
    java.util.Map<String, String> meta = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    meta.putAll(store.stat(s.prefix() + ".json").orElseThrow().userMetadata());
    assertEquals("local", meta.get("strata-tenant"), name);
    assertEquals(s.prefix() + ".dcm", meta.get("strata-object-key"), name);
    assertEquals(Integer.toString(s.bytes().length), meta.get("strata-object-size"), name);
    assertEquals(
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.bytes())),
        meta.get("strata-sha256"),
        name);
    assertEquals("1", meta.get("strata-version"), name);
    assertEquals(s.prefix() + ".frames", meta.get("strata-frame-index-key"), name);
    assertEquals("STOWRS", meta.get("strata-channel"), name);
    java.util.UUID.fromString(meta.get("strata-event-id"));
    java.time.Instant.parse(meta.get("strata-received-at"));
    assertTrue(meta.get("strata-transfer-syntax").startsWith("1.2.840.10008.1.2"), name);

    JsonNode pixel = json.get("7FE00010");
    assertNull(pixel.get("InlineBinary"), name + ": pixel data inline");
    Matcher m =
        Pattern.compile(
                "/dicomweb/studies/"
                    + Pattern.quote(s.study())
                    + "/series/"
                    + Pattern.quote(s.series())
                    + "/instances/"
                    + Pattern.quote(s.sop())
                    + "/bulkdata/([0-9]+)-([0-9]+)")
            .matcher(pixel.get("BulkDataURI").asText());
    assertTrue(m.matches(), name + ": " + pixel.get("BulkDataURI").asText());
    int offset = Integer.parseInt(m.group(1));
    int length = Integer.parseInt(m.group(2));
    Extracted dcmtk = extract(s.sample());
    if (!s.sample().encapsulated()) {
      assertArrayEquals(
          dcmtk.raw(),
          java.util.Arrays.copyOfRange(s.bytes(), offset, offset + length),
          name + ": bulk data range is not the pixel data");
    } else {
      // From the Basic Offset Table's item tag to the end of the last fragment, then the
      // sequence delimiter (FFFE,E0DD) with length 0.
      ByteArrayOutputStream items = new ByteArrayOutputStream();
      items.writeBytes(item(dcmtk.bot()));
      dcmtk.fragments().forEach(f -> items.writeBytes(item(f)));
      assertArrayEquals(
          items.toByteArray(),
          java.util.Arrays.copyOfRange(s.bytes(), offset, offset + length),
          name + ": bulk data range is not the items");
      assertArrayEquals(
          new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0},
          java.util.Arrays.copyOfRange(s.bytes(), offset + length, offset + length + 8),
          name);
    }
  }

  /**
   * The frames located by the frame index object (encapsulated pixel data), or, for native pixel
   * data, which gets none (ADR 0073: the sidecar is written after it would have been, so its
   * absence is final), by the arithmetic the query service applies to the sidecar's attributes and
   * Pixel Data range.
   */
  private void checkFrames(ObjectStore store, Sent s) throws Exception {
    String name = s.sample().file();
    FrameIndex index;
    if (s.sample().encapsulated()) {
      try (InputStream in = store.get(s.prefix() + ".frames")) {
        index = FrameIndex.fromBytes(in.readAllBytes());
      }
    } else {
      assertTrue(store.stat(s.prefix() + ".frames").isEmpty(), name + ": no frame index object");
      JsonNode json;
      try (InputStream in = store.get(s.prefix() + ".json")) {
        json = JSON.readTree(in);
      }
      Matcher range =
          Pattern.compile("/bulkdata/([0-9]+)-([0-9]+)$")
              .matcher(json.at("/7FE00010/BulkDataURI").asText());
      assertTrue(range.find(), name);
      index =
          FrameIndex.ofNative(
              Long.parseLong(range.group(1)),
              Long.parseLong(range.group(2)),
              json.at("/00280010/Value/0").asInt(),
              json.at("/00280011/Value/0").asInt(),
              json.at("/00280002/Value/0").asInt(),
              json.at("/00280100/Value/0").asInt(),
              Math.max(1, json.at("/00280008/Value/0").asInt()));
    }
    byte[] stored;
    try (InputStream in = store.get(s.prefix() + ".dcm")) {
      stored = in.readAllBytes();
    }
    assertArrayEquals(s.bytes(), stored, name);
    Extracted dcmtk = extract(s.sample());
    int frames = s.sample().frames();
    assertEquals(frames, index.frameCount(), name + " frames");
    List<byte[]> expected = new ArrayList<>();
    if (s.sample().encapsulated()) {
      // These samples have one fragment per frame.
      assertEquals(frames, dcmtk.fragments().size(), name);
      expected.addAll(dcmtk.fragments());
    } else {
      int size = dcmtk.raw().length / frames;
      for (int k = 0; k < frames; k++) {
        expected.add(java.util.Arrays.copyOfRange(dcmtk.raw(), k * size, (k + 1) * size));
      }
      // Independent of dcmdump's file size: rows * columns * samples * bits / 8.
      assertEquals(
          (long) s.sample().rows() * s.sample().columns() * (name.equals("rtdose.dcm") ? 4 : 2),
          size,
          name + " frame size");
    }
    for (int k = 0; k < frames; k++) {
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      for (FrameIndex.Range r : index.ranges(k)) {
        frame.write(stored, (int) r.offset(), (int) r.length());
      }
      assertArrayEquals(expected.get(k), frame.toByteArray(), name + " frame " + k);
    }
  }

  /** What {@code dcmdump +W} writes: native pixel data as one file, or each item as its own. */
  record Extracted(byte[] raw, byte[] bot, List<byte[]> fragments) {}

  private Extracted extract(Sample s) throws Exception {
    Path out = Files.createTempDirectory(dir, "w");
    Process p =
        new ProcessBuilder(
                DCMDUMP.toString(),
                "-q",
                "+W",
                out.toString(),
                SAMPLES.resolve(s.file()).toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertEquals(0, p.waitFor(), "dcmdump +W " + s.file());
    String base = s.file();
    if (!s.encapsulated()) {
      return new Extracted(Files.readAllBytes(out.resolve(base + ".0.raw")), null, List.of());
    }
    List<byte[]> fragments = new ArrayList<>();
    for (int k = 1; Files.exists(out.resolve(base + "." + k + ".raw")); k++) {
      fragments.add(Files.readAllBytes(out.resolve(base + "." + k + ".raw")));
    }
    byte[] bot =
        Files.exists(out.resolve(base + ".0.raw"))
            ? Files.readAllBytes(out.resolve(base + ".0.raw"))
            : new byte[0];
    return new Extracted(null, bot, fragments);
  }

  /** An item (FFFE,E000) with its little endian length, as PS3.5 A.4 encodes fragments. */
  private static byte[] item(byte[] value) {
    byte[] b = new byte[8 + value.length];
    b[0] = (byte) 0xFE;
    b[1] = (byte) 0xFF;
    b[2] = 0x00;
    b[3] = (byte) 0xE0;
    int n = value.length;
    b[4] = (byte) n;
    b[5] = (byte) (n >>> 8);
    b[6] = (byte) (n >>> 16);
    b[7] = (byte) (n >>> 24);
    System.arraycopy(value, 0, b, 8, n);
    return b;
  }

  /** A 2.25 UID (PS3.5 B.2) of exactly {@code length} characters. */
  private static String freshUid(int length) {
    StringBuilder uid = new StringBuilder("2.25.");
    uid.append((char) ('1' + RANDOM.nextInt(9)));
    while (uid.length() < length) {
      uid.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return uid.toString();
  }

  /** Every occurrence of {@code from} replaced by {@code to} of the same length. */
  private static byte[] replace(byte[] data, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    byte[] t = to.getBytes(StandardCharsets.US_ASCII);
    assertEquals(f.length, t.length);
    byte[] out = data.clone();
    int found = 0;
    outer:
    for (int i = 0; i + f.length <= out.length; i++) {
      for (int j = 0; j < f.length; j++) {
        if (out[i + j] != f[j]) {
          continue outer;
        }
      }
      System.arraycopy(t, 0, out, i, t.length);
      found++;
    }
    assertTrue(found > 0, from + " not in the file");
    return out;
  }
}
