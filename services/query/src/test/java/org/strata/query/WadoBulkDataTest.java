package org.strata.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.strata.query.WadoTestData.CODEC_SERIES;
import static org.strata.query.WadoTestData.CODEC_STUDY;
import static org.strata.query.WadoTestData.CT_SERIES;
import static org.strata.query.WadoTestData.CT_SOP;
import static org.strata.query.WadoTestData.CT_STUDY;
import static org.strata.query.WadoTestData.SAMPLES;
import static org.strata.query.WadoTestData.SC16_SOP;
import static org.strata.query.WadoTestData.SC_SERIES;
import static org.strata.query.WadoTestData.SC_STUDY;
import static org.strata.query.WadoTestData.sample;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.testkit.PlatformTestResource;

/**
 * The bulkdata resource, reached through the BulkDataURIs the metadata gives (header fallback; the
 * sidecars' URIs have the same form). Expected bytes: dcmdump +W's raw pixel data, and the sample's
 * bytes at dcmdump's offsets (see WadoMetadataAndFramesTest).
 */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class WadoBulkDataTest extends WadoTestSupport {
  static final String CT_INSTANCE =
      "/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances/" + CT_SOP;
  static final String SC16_INSTANCE =
      "/studies/" + SC_STUDY + "/series/" + SC_SERIES + "/instances/" + SC16_SOP;
  static final String DEFLATED_INSTANCE =
      "/studies/" + CODEC_STUDY + "/series/" + CODEC_SERIES + "/instances/" + CODEC_SERIES + ".2";

  @TempDir Path dir;

  /** The path under /dicomweb of the Pixel Data BulkDataURI in the instance's metadata. */
  static String pixelDataUri(String instance) throws Exception {
    String uri =
        json(get(instance + "/metadata", "application/dicom+json"))
            .get(0)
            .path("7FE00010")
            .path("BulkDataURI")
            .asText();
    String path = URI.create(uri).getPath();
    assertTrue(path.startsWith("/dicomweb/"), uri);
    return path.substring("/dicomweb".length());
  }

  @Test
  void nativePixelDataAsDcmdumpWritesIt() throws Exception {
    assumeTrue(Dcmtk.present());
    String uri = pixelDataUri(CT_INSTANCE);
    List<Part> parts = parts(get(uri, OCTET), "application/octet-stream");
    assertEquals(1, parts.size());
    assertEquals("application/octet-stream", parts.get(0).contentType());
    byte[] raw = Dcmtk.pixels(SAMPLES.resolve("CT_small.dcm"), dir);
    assertEquals(32768, raw.length);
    assertArrayEquals(raw, parts.get(0).body());
    // A bare body when asked so; any type takes the multipart default.
    var bare = get(uri, "application/octet-stream");
    assertEquals(200, bare.statusCode());
    assertEquals("application/octet-stream", bare.header("Content-Type"));
    assertArrayEquals(raw, bare.asByteArray());
    assertArrayEquals(raw, parts(get(uri, "*/*"), "application/octet-stream").get(0).body());
  }

  @Test
  void encapsulatedPixelDataIsItsItems() throws Exception {
    String uri = pixelDataUri(SC16_INSTANCE);
    assertTrue(uri.endsWith("/bulkdata/1328-2560"), uri);
    byte[] body = parts(get(uri, OCTET), "application/octet-stream").get(0).body();
    byte[] rle16 = sample("SC_rgb_rle_16bit_2frame.dcm");
    assertArrayEquals(WadoTestSupport.slice(rle16, 1328, 2560), body);
    // Starts with the Basic Offset Table's item (FFFE,E000), length 8, offsets 0 and 0x4F8.
    assertArrayEquals(
        new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, 8, 0, 0, 0, 0, 0, 0, 0},
        WadoTestSupport.slice(body, 0, 12));
    assertArrayEquals(new byte[] {(byte) 0xF8, 4, 0, 0}, WadoTestSupport.slice(body, 12, 4));
  }

  @Test
  void deflatedObjectCountsInTheInflatedDataSet() throws Exception {
    assumeTrue(Dcmtk.present());
    String uri = pixelDataUri(DEFLATED_INSTANCE);
    byte[] body = parts(get(uri, OCTET), "application/octet-stream").get(0).body();
    byte[] raw = Dcmtk.pixels(SAMPLES.resolve("image_dfl.dcm"), dir);
    assertEquals(512 * 512, raw.length);
    assertArrayEquals(raw, body);
  }

  @Test
  void errors() throws Exception {
    assertProblem(get(CT_INSTANCE + "/bulkdata/7FE00010", OCTET), 400, "{offset}-{length}");
    assertProblem(get(CT_INSTANCE + "/bulkdata/10-0", OCTET), 400, "positive");
    assertProblem(get(CT_INSTANCE + "/bulkdata/39000-207", OCTET), 400, "outside");
    assertProblem(get(CT_INSTANCE + "/bulkdata/6300-32768", "image/jpeg"), 406, "as stored");
    assertProblem(
        get(CT_INSTANCE + "/bulkdata/6300-32768", OCTET + "; transfer-syntax=1.2.840.10008.1.2"),
        406,
        "as stored");
    assertProblem(
        get(
            "/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances/1.2.3/bulkdata/1-2",
            OCTET),
        404,
        "no such instance");
    assertEquals(
        400,
        given()
            .when()
            .get("/dicomweb" + CT_INSTANCE + "/bulkdata/-1-5")
            .then()
            .extract()
            .statusCode());
  }
}
