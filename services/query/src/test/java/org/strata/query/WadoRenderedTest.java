package org.strata.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.strata.query.WadoTestData.CODEC_SERIES;
import static org.strata.query.WadoTestData.CODEC_STUDY;
import static org.strata.query.WadoTestData.CT_SERIES;
import static org.strata.query.WadoTestData.CT_SOP;
import static org.strata.query.WadoTestData.CT_STUDY;
import static org.strata.query.WadoTestData.J2K_SERIES;
import static org.strata.query.WadoTestData.SAMPLES;
import static org.strata.query.WadoTestData.SC16_SOP;
import static org.strata.query.WadoTestData.SC_SERIES;
import static org.strata.query.WadoTestData.SC_SOP;
import static org.strata.query.WadoTestData.SC_STUDY;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.testkit.PlatformTestResource;

/**
 * Rendered and thumbnail resources. Expected images: DCMTK's dcmj2pnm on the sample files (its
 * window options +Wm min-max, +Wi 1 the object's first window, +Ww c w), compared sample by sample
 * (PNG, lossless: within 1 of dcmtk's rounding; JPEG: mean within 2) and by size.
 */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class WadoRenderedTest extends WadoTestSupport {
  static final String CT_INSTANCE =
      "/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances/" + CT_SOP;
  static final String SC_PATH = "/studies/" + SC_STUDY + "/series/" + SC_SERIES;
  static final String CODEC_PATH = "/studies/" + CODEC_STUDY + "/series/" + CODEC_SERIES;
  static final String PNG = "image/png";
  static final String JPEG = "image/jpeg";

  @TempDir Path dir;

  static ExtractableResponse<Response> getImage(String path, String accept) {
    return given().header("Accept", accept).when().get("/dicomweb" + path).then().extract();
  }

  static BufferedImage image(ExtractableResponse<Response> r, String type) throws Exception {
    assertEquals(200, r.statusCode(), r.asString());
    assertEquals(type, r.header("Content-Type"));
    return decode(r.asByteArray());
  }

  static BufferedImage decode(byte[] bytes) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    assertTrue(image != null, "a decodable image");
    return image;
  }

  /** dcmj2pnm's PNG of a sample with the given options. */
  BufferedImage dcmtk(String sample, String... options) throws Exception {
    Path out = dir.resolve("dcmtk-" + System.nanoTime() + ".png");
    List<String> cmd = new ArrayList<>(List.of("dcmj2pnm", "+on"));
    cmd.addAll(List.of(options));
    cmd.add(SAMPLES.resolve(sample).toString());
    cmd.add(out.toString());
    Dcmtk.run(cmd.toArray(String[]::new));
    return ImageIO.read(out.toFile());
  }

  /** All samples of all bands, as 0-255 values. */
  static int[] samples(BufferedImage image) {
    BufferedImage rgbOrGray = image;
    Raster r = rgbOrGray.getRaster();
    return r.getPixels(0, 0, r.getWidth(), r.getHeight(), (int[]) null);
  }

  static double mean(BufferedImage image) {
    int[] s = samples(image);
    long sum = 0;
    for (int v : s) {
      sum += v;
    }
    return sum / (double) s.length;
  }

  static void assertSameImage(
      BufferedImage expected, BufferedImage actual, int maxDiff, String what) {
    assertEquals(expected.getWidth(), actual.getWidth(), what + " width");
    assertEquals(expected.getHeight(), actual.getHeight(), what + " height");
    assertEquals(
        expected.getRaster().getNumBands(), actual.getRaster().getNumBands(), what + " bands");
    int[] e = samples(expected);
    int[] a = samples(actual);
    int max = 0;
    for (int i = 0; i < e.length; i++) {
      max = Math.max(max, Math.abs(e[i] - a[i]));
    }
    assertTrue(max <= maxDiff, what + ": largest difference " + max);
  }

  @Test
  void grayscaleWindowsAsDcmtk() throws Exception {
    assumeTrue(Dcmtk.present());
    // CT_small has no window: its range (dcmtk +Wm).
    assertSameImage(
        dcmtk("CT_small.dcm", "+Wm"),
        image(getImage(CT_INSTANCE + "/rendered", PNG), PNG),
        1,
        "CT");
    // The window of the query.
    assertSameImage(
        dcmtk("CT_small.dcm", "+Ww", "40", "400"),
        image(getImage(CT_INSTANCE + "/rendered?window=40,400,linear", PNG), PNG),
        1,
        "CT window");
    // MR, big endian, with its own window 600/1600 (dcmtk +Wi 1); as a frame and as an instance.
    BufferedImage mr = dcmtk("MR_small_bigendian.dcm", "+Wi", "1");
    String mrInstance = CODEC_PATH + "/instances/" + CODEC_SERIES + ".1";
    assertSameImage(mr, image(getImage(mrInstance + "/rendered", PNG), PNG), 1, "MR");
    assertSameImage(
        mr, image(getImage(mrInstance + "/frames/1/rendered", PNG), PNG), 1, "MR frame");
    // JPEG output: same size, mean close to dcmtk's.
    BufferedImage ctJpeg = image(getImage(CT_INSTANCE + "/rendered?quality=95", JPEG), JPEG);
    assertEquals(128, ctJpeg.getWidth());
    assertEquals(mean(dcmtk("CT_small.dcm", "+Wm")), mean(ctJpeg), 2.0);
    // No Accept: JPEG.
    assertEquals(
        JPEG,
        given()
            .when()
            .get("/dicomweb" + CT_INSTANCE + "/rendered")
            .then()
            .extract()
            .header("Content-Type"));
  }

  @Test
  void colourRleAndJpegAsDcmtk() throws Exception {
    assumeTrue(Dcmtk.present());
    // RLE RGB, frame 2: the stored frame index of this instance swaps the frames (WadoTestData),
    // so what it calls frame 2 is the file's first.
    assertSameImage(
        dcmtk("SC_rgb_rle_2frame.dcm", "+F", "1"),
        image(getImage(SC_PATH + "/instances/" + SC_SOP + "/frames/2/rendered", PNG), PNG),
        0,
        "RLE RGB frame 2");
    // RLE RGB 16 bit.
    assertSameImage(
        dcmtk("SC_rgb_rle_16bit_2frame.dcm"),
        image(getImage(SC_PATH + "/instances/" + SC16_SOP + "/rendered", PNG), PNG),
        1,
        "RLE RGB 16 bit");
    // JPEG Baseline YBR_FULL: decoded to RGB; two IDCTs, so within 2.
    assertSameImage(
        dcmtk("SC_rgb_jpeg_dcmtk.dcm"),
        image(getImage(CODEC_PATH + "/instances/" + CODEC_SERIES + ".3/rendered", PNG), PNG),
        2,
        "JPEG Baseline");
  }

  @Test
  void multiFrameAndStudyAsMultipart() throws Exception {
    assumeTrue(Dcmtk.present());
    List<Part> frames =
        parts(
            get(
                SC_PATH + "/instances/" + SC_SOP + "/frames/1,2/rendered",
                "multipart/related; type=\"image/png\""),
            PNG);
    assertEquals(2, frames.size());
    // Swapped by the instance's stored frame index (WadoTestData).
    assertSameImage(
        dcmtk("SC_rgb_rle_2frame.dcm", "+F", "2"), decode(frames.get(0).body()), 0, "f1");
    assertSameImage(
        dcmtk("SC_rgb_rle_2frame.dcm", "+F", "1"), decode(frames.get(1).body()), 0, "f2");
    // The codec study: MR BE, (deflated: no frames, left out), JPEG, MR implicit; JPEG 2000 left
    // out.
    List<Part> study = parts(get("/studies/" + CODEC_STUDY + "/rendered", PNG), PNG);
    assertEquals(3, study.size());
    assertEquals(64, decode(study.get(0).body()).getWidth());
    assertEquals(100, decode(study.get(1).body()).getWidth());
    assertSameImage(
        dcmtk("MR_small_implicit.dcm", "+Wi", "1"), decode(study.get(2).body()), 1, "MR implicit");
    // Series, JPEG parts.
    List<Part> series = parts(get(SC_PATH + "/rendered", JPEG), JPEG);
    assertEquals(2, series.size());
    assertEquals(100, decode(series.get(1).body()).getHeight());
  }

  @Test
  void viewportAndThumbnails() throws Exception {
    BufferedImage small = image(getImage(CT_INSTANCE + "/rendered?viewport=64,32", PNG), PNG);
    assertEquals(32, small.getWidth(), "fitted in 64 x 32, aspect kept");
    assertEquals(32, small.getHeight());
    // Region 0,0 64x128 of the CT into 32x64.
    BufferedImage half =
        image(getImage(CT_INSTANCE + "/rendered?viewport=32,64,0,0,64,128", PNG), PNG);
    assertEquals(32, half.getWidth());
    assertEquals(64, half.getHeight());
    BufferedImage thumb = image(getImage("/studies/" + CT_STUDY + "/thumbnail", JPEG), JPEG);
    assertEquals(128, thumb.getWidth());
    // The MR (64 x 64) is not enlarged by the default box; a viewport can.
    String mrInstance = CODEC_PATH + "/instances/" + CODEC_SERIES + ".1";
    assertEquals(64, image(getImage(mrInstance + "/thumbnail", JPEG), JPEG).getWidth());
    assertEquals(
        32, image(getImage(mrInstance + "/thumbnail?viewport=32,32", JPEG), JPEG).getWidth());
    assertEquals(100, image(getImage(SC_PATH + "/thumbnail", PNG), PNG).getWidth());
    assertEquals(
        100,
        image(getImage(SC_PATH + "/instances/" + SC_SOP + "/frames/2/thumbnail", PNG), PNG)
            .getWidth());
  }

  @Test
  void errors() throws Exception {
    assertProblem(getImage(CT_INSTANCE + "/rendered?window=40", PNG), 400, "window");
    assertProblem(getImage(CT_INSTANCE + "/rendered?window=40,0", PNG), 400, "window width");
    assertProblem(getImage(CT_INSTANCE + "/rendered?window=a,b", PNG), 400, "window center");
    assertProblem(getImage(CT_INSTANCE + "/rendered?window=40,400,sigmoid", PNG), 400, "function");
    assertProblem(getImage(CT_INSTANCE + "/rendered?viewport=0,10", PNG), 400, "viewport");
    assertProblem(getImage(CT_INSTANCE + "/rendered?viewport=99999,10", PNG), 400, "viewport");
    assertProblem(getImage(CT_INSTANCE + "/rendered?viewport=1,2,3", PNG), 400, "viewport");
    assertProblem(getImage(CT_INSTANCE + "/rendered?quality=0", JPEG), 400, "quality");
    assertProblem(getImage(CT_INSTANCE + "/rendered", "image/gif"), 406, "image/jpeg or image/png");
    assertProblem(getImage(CT_INSTANCE + "/frames/2/rendered", PNG), 400, "has 1 frame");
    assertProblem(
        getImage("/studies/" + CODEC_STUDY + "/series/" + J2K_SERIES + "/rendered", PNG),
        406,
        "rendered");
    assertProblem(
        getImage(
            "/studies/"
                + CODEC_STUDY
                + "/series/"
                + J2K_SERIES
                + "/instances/"
                + J2K_SERIES
                + ".1/rendered",
            PNG),
        406,
        "1.2.840.10008.1.2.4.91");
    assertProblem(getImage("/studies/1.2.3/rendered", PNG), 404, "no such study");
    assertProblem(getImage("/studies/x/thumbnail", PNG), 400, "StudyInstanceUID");
  }
}
