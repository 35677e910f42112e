package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.WadoTestData.CT_SERIES;
import static org.strata.query.WadoTestData.CT_SOP;
import static org.strata.query.WadoTestData.CT_STUDY;
import static org.strata.query.WadoTestData.LEAK_STUDY;
import static org.strata.query.WadoTestData.NATIVE_SERIES;
import static org.strata.query.WadoTestData.NATIVE_STUDY;
import static org.strata.query.WadoTestData.SC16_SOP;
import static org.strata.query.WadoTestData.SC_SERIES;
import static org.strata.query.WadoTestData.SC_SIDECAR;
import static org.strata.query.WadoTestData.SC_SOP;
import static org.strata.query.WadoTestData.SC_STUDY;
import static org.strata.query.WadoTestData.sample;
import static org.strata.query.WadoTestSupport.slice;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.dicom.io.FrameIndex;
import org.strata.query.wado.Storage;
import org.strata.storage.ObjectKeys;
import org.strata.testkit.PlatformTestResource;

/**
 * WADO-RS metadata (sidecar, or the object's header while the sidecar is not written) and frames
 * (stored frame index, or computed from the object). Offsets are dcmdump's facts about the samples:
 *
 * <ul>
 *   <li>CT_small.dcm: explicit VR LE, Rows 128, Columns 128, Samples per Pixel 1, Bits Allocated
 *       16, one frame; (7FE0,0010) OW header at byte 6288, value at 6300, length 32768 = 128 * 128
 *       * 1 * 2 (dcmdump +W writes these 32768 bytes; they start at 6300 in the file); (FFFC,FFFC)
 *       padding follows.
 *   <li>SC_rgb_rle_2frame.dcm: RLE, 2 frames; PixelSequence of 3 items: Basic Offset Table (8
 *       bytes, value at 1336: offsets 0 and 672), fragments of 664 bytes with values at 1352 and
 *       2024 (the item files of dcmdump +W found in the file).
 *   <li>SC_rgb_rle_16bit_2frame.dcm: RLE, 2 frames; fragments of 1264 bytes at 1352 and 2624.
 * </ul>
 */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class WadoMetadataAndFramesTest extends WadoTestSupport {
  static final String DICOM_JSON = "application/dicom+json";
  static final String CT_INSTANCE =
      "/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances/" + CT_SOP;
  static final String SC_PATH = "/studies/" + SC_STUDY + "/series/" + SC_SERIES;
  static final String NATIVE_PATH =
      "/studies/" + NATIVE_STUDY + "/series/" + NATIVE_SERIES + "/instances/" + NATIVE_SERIES;

  @Inject Storage storage;

  @Test
  void metadataFromTheObjectWhileNoSidecarExists() throws Exception {
    for (String path :
        List.of(
            CT_INSTANCE + "/metadata",
            "/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/metadata",
            "/studies/" + CT_STUDY + "/metadata")) {
      JsonNode array = json(get(path, DICOM_JSON));
      assertEquals(1, array.size(), path);
      JsonNode ct = array.get(0);
      assertEquals(CT_SOP, ct.path("00080018").path("Value").path(0).asText());
      assertEquals(CT_STUDY, ct.path("0020000D").path("Value").path(0).asText());
      assertEquals(
          "CompressedSamples^CT1",
          ct.path("00100010").path("Value").path(0).path("Alphabetic").asText());
      assertEquals("CT", ct.path("00080060").path("Value").path(0).asText());
      assertEquals(128, ct.path("00280010").path("Value").path(0).asInt());
      assertEquals(16, ct.path("00280100").path("Value").path(0).asInt());
      JsonNode pixel = ct.path("7FE00010");
      assertEquals("OW", pixel.path("vr").asText());
      String uri = pixel.path("BulkDataURI").asText();
      assertTrue(uri.startsWith("http"), uri);
      // The value's byte range in the object (dcmdump: at 6300, 32768 bytes), as ingest writes.
      assertTrue(uri.endsWith("/dicomweb" + CT_INSTANCE + "/bulkdata/6300-32768"), uri);
      assertFalse(pixel.has("InlineBinary"));
      assertFalse(ct.has("FFFCFFFC"), "nothing after Pixel Data is read");
      assertFalse(ct.has("00020010"), "no file meta information");
    }
  }

  @Test
  void metadataFromTheSidecarAsIs() throws Exception {
    var r = get(SC_PATH + "/instances/" + SC_SOP + "/metadata", DICOM_JSON);
    assertEquals(200, r.statusCode());
    assertEquals("[" + SC_SIDECAR + "]", new String(r.asByteArray(), StandardCharsets.UTF_8));

    // The series: the sidecar of #1, the header of #2 (its sidecar is not written).
    JsonNode series = json(get(SC_PATH + "/metadata", "application/json"));
    assertEquals(2, series.size());
    assertEquals(JSON.readTree(SC_SIDECAR), series.get(0));
    JsonNode rle16 = series.get(1);
    assertEquals(
        "Lestrade^G", rle16.path("00100010").path("Value").path(0).path("Alphabetic").asText());
    assertEquals(2, rle16.path("00280008").path("Value").path(0).asInt());
    assertEquals("OB", rle16.path("7FE00010").path("vr").asText());
    // From the Basic Offset Table's item tag (1336 - 8) to the end of the last fragment (2624 +
    // 1264 = 3888): the items, as ingest's sidecars name encapsulated pixel data.
    assertTrue(
        rle16
            .path("7FE00010")
            .path("BulkDataURI")
            .asText()
            .endsWith(SC_PATH + "/instances/" + SC16_SOP + "/bulkdata/1328-2560"));
  }

  @Test
  void metadataErrors() throws Exception {
    assertProblem(
        get(CT_INSTANCE + "/metadata", "multipart/related; type=\"application/dicom+xml\""),
        406,
        "application/dicom+json");
    assertProblem(get("/studies/1.2.3/metadata", DICOM_JSON), 404, "no such study");
    assertProblem(get("/studies/" + LEAK_STUDY + "/metadata", DICOM_JSON), 404, "no such study");
  }

  @Test
  void nativeFrameComputedFromTheObject() throws Exception {
    byte[] ct = sample("CT_small.dcm");
    for (String accept : List.of(OCTET, OCTET + "; transfer-syntax=*", "*/*")) {
      List<Part> parts = parts(get(CT_INSTANCE + "/frames/1", accept), "application/octet-stream");
      assertEquals(1, parts.size());
      assertEquals(
          "application/octet-stream; transfer-syntax=" + WadoTestData.EXPLICIT_LE,
          parts.get(0).contentType());
      assertArrayEquals(slice(ct, 6300, 128 * 128 * 2), parts.get(0).body());
    }
  }

  @Test
  void encapsulatedFramesComputedFromTheObject() throws Exception {
    byte[] rle16 = sample("SC_rgb_rle_16bit_2frame.dcm");
    List<Part> parts =
        parts(
            get(SC_PATH + "/instances/" + SC16_SOP + "/frames/2,1,2", OCTET),
            "application/octet-stream");
    assertEquals(3, parts.size());
    assertArrayEquals(slice(rle16, 2624, 1264), parts.get(0).body());
    assertArrayEquals(slice(rle16, 1352, 1264), parts.get(1).body());
    assertArrayEquals(slice(rle16, 2624, 1264), parts.get(2).body());
    assertEquals(
        "application/octet-stream; transfer-syntax=" + WadoTestData.RLE,
        parts.get(0).contentType());
  }

  @Test
  void storedFrameIndexIsUsed() throws Exception {
    // The hand-written index swaps the frames; the right order would mean it was not read.
    FrameIndex index = FrameIndex.fromBytes(WadoTestData.SC_SWAPPED_FRAME_INDEX);
    assertEquals(2, index.frameCount());
    assertEquals(List.of(new FrameIndex.Range(2024, 664)), index.ranges(0));
    byte[] rle8 = sample("SC_rgb_rle_2frame.dcm");
    List<Part> parts =
        parts(
            get(SC_PATH + "/instances/" + SC_SOP + "/frames/1,2", OCTET),
            "application/octet-stream");
    assertEquals(2, parts.size());
    assertArrayEquals(slice(rle8, 2024, 664), parts.get(0).body());
    assertArrayEquals(slice(rle8, 1352, 664), parts.get(1).body());
  }

  /**
   * ADR 0073: ingest writes no frame index object for native pixel data; the frames of a
   * multi-frame native instance (rtdose: 15 frames of 400 bytes, value at 1568, implicit VR) come
   * from its metadata row: the only S3 requests are the frames' range reads, the first time and the
   * next (no frame index object asked for, the object not parsed).
   */
  @Test
  void nativeMultiFrameFromTheMetadataRowWithNoFrameIndexObject() throws Exception {
    assertTrue(WadoTestData.s3().stat(nativeFrameIndexKey(1)).isEmpty());
    byte[] rtdose = sample("rtdose.dcm");
    for (int round = 0; round < 2; round++) {
      long before = quietS3Requests();
      List<Part> parts = nativeFrames(1, "15,1,8");
      assertEquals(3, s3Requests() - before, "S3 requests: the three frames' ranges only");
      assertEquals(3, parts.size());
      assertArrayEquals(slice(rtdose, 1568 + 14 * 400, 400), parts.get(0).body());
      assertArrayEquals(slice(rtdose, 1568, 400), parts.get(1).body());
      assertArrayEquals(slice(rtdose, 1568 + 7 * 400, 400), parts.get(2).body());
    }
    assertProblem(get(NATIVE_PATH + ".1/frames/16", OCTET), 400, "has 15 frame");
  }

  /**
   * An instance stored before ADR 0073 still has its frame index object; it is served the same,
   * from the metadata row, without reading that object (big endian RGB with Planar Configuration 1:
   * the frame is the whole value, its colour planes one after the other, PS3.5 8.2).
   */
  @Test
  void nativeInstanceWithAFrameIndexObjectStoredBefore() throws Exception {
    assertTrue(WadoTestData.s3().stat(nativeFrameIndexKey(2)).isPresent());
    long before = quietS3Requests();
    List<Part> parts = nativeFrames(2, "1");
    // One GET: the frame is most of this small object, so it is read whole into the object cache.
    assertEquals(1, s3Requests() - before, "S3 requests: the object only");
    assertEquals(1, parts.size());
    assertArrayEquals(slice(sample("ExplVR_BigEnd.dcm"), 1012, 60 * 80 * 3), parts.get(0).body());
  }

  /**
   * Frames of odd sizes, byte for byte: 27 bytes (3x3 RGB, Pixel Data inline in the metadata, so
   * its frame index comes from the object as before) and 1 bit allocated (512x512: 32,768 bytes).
   */
  @Test
  void nativeFramesOfOddSizes() throws Exception {
    assertArrayEquals(
        slice(sample("SC_rgb_small_odd.dcm"), 1416, 27), nativeFrames(3, "1").get(0).body());
    assertArrayEquals(
        slice(sample("liver_1frame.dcm"), 4316, 32768), nativeFrames(4, "1").get(0).body());
    assertProblem(get(NATIVE_PATH + ".4/frames/2", OCTET), 400, "has 1 frame");
  }

  /** Frames of instance n of the NATIVE series, as stored. */
  private static List<Part> nativeFrames(int n, String list) {
    return parts(
        get(NATIVE_PATH + "." + n + "/frames/" + list, OCTET + "; transfer-syntax=*"),
        "application/octet-stream");
  }

  private static String nativeFrameIndexKey(int n) {
    return ObjectKeys.frameIndex(
        WadoTestData.TENANT, NATIVE_STUDY, NATIVE_SERIES, NATIVE_SERIES + "." + n);
  }

  /** S3 requests this service sent so far, every method. */
  private long s3Requests() {
    return storage.store(WadoTestData.BUCKET).requestCounts().values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /**
   * The count once the read-ahead of earlier tests' metadata answers is done: unchanged over five
   * looks 100 ms apart (at most 30 s).
   */
  private long quietS3Requests() throws InterruptedException {
    long last = s3Requests();
    int same = 0;
    for (int k = 0; k < 300 && same < 5; k++) {
      Thread.sleep(100);
      long now = s3Requests();
      same = now == last ? same + 1 : 0;
      last = now;
    }
    return last;
  }

  @Test
  void frameErrors() throws Exception {
    for (String list : List.of("0", "abc", "1,,2", "1,", "-1", "99999999999")) {
      assertProblem(get(CT_INSTANCE + "/frames/" + list, OCTET), 400, "frame");
    }
    assertProblem(get(CT_INSTANCE + "/frames/2", OCTET), 400, "has 1 frame");
    assertProblem(
        get(SC_PATH + "/instances/" + SC16_SOP + "/frames/1,3", OCTET), 400, "has 2 frame");
    assertProblem(
        get(CT_INSTANCE + "/frames/1", "multipart/related; type=\"image/jpeg\""),
        406,
        "application/octet-stream");
    assertProblem(
        get(CT_INSTANCE + "/frames/1", OCTET + "; transfer-syntax=1.2.840.10008.1.2"),
        406,
        "transcoding");
    assertProblem(get(SC_PATH + "/instances/1.2.3/frames/1", OCTET), 404, "no such instance");
    assertProblem(
        get(
            "/studies/"
                + LEAK_STUDY
                + "/series/"
                + LEAK_STUDY
                + ".1/instances/"
                + LEAK_STUDY
                + ".1.1/frames/1",
            OCTET),
        404,
        "no such instance");
  }
}
