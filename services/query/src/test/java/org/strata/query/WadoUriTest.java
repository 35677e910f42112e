package org.strata.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.strata.query.WadoTestData.CODEC_STUDY;
import static org.strata.query.WadoTestData.CT_SERIES;
import static org.strata.query.WadoTestData.CT_SOP;
import static org.strata.query.WadoTestData.CT_STUDY;
import static org.strata.query.WadoTestData.J2K_SERIES;
import static org.strata.query.WadoTestData.SAMPLES;
import static org.strata.query.WadoTestData.SC16_SOP;
import static org.strata.query.WadoTestData.SC_SERIES;
import static org.strata.query.WadoTestData.SC_STUDY;
import static org.strata.query.WadoTestData.sample;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.testkit.Dcmdump;
import org.strata.testkit.PlatformTestResource;

/**
 * WADO-URI ({@code /dicomweb/wado}): objects judged by the sample files and dcmdump, images by
 * dcmj2pnm (as in WadoRenderedTest).
 */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class WadoUriTest extends WadoTestSupport {
  static final String CT =
      "studyUID=" + CT_STUDY + "&seriesUID=" + CT_SERIES + "&objectUID=" + CT_SOP;
  static final String SC16 =
      "studyUID=" + SC_STUDY + "&seriesUID=" + SC_SERIES + "&objectUID=" + SC16_SOP;
  static final String J2K =
      "studyUID=" + CODEC_STUDY + "&seriesUID=" + J2K_SERIES + "&objectUID=" + J2K_SERIES + ".1";

  @TempDir Path dir;

  static ExtractableResponse<Response> wado(String query) {
    return given().when().get("/dicomweb/wado?" + query).then().extract();
  }

  BufferedImage dcmtk(String sample, String... options) throws Exception {
    Path out = dir.resolve("dcmtk-" + System.nanoTime() + ".png");
    List<String> cmd = new ArrayList<>(List.of("dcmj2pnm", "+on"));
    cmd.addAll(List.of(options));
    cmd.add(SAMPLES.resolve(sample).toString());
    cmd.add(out.toString());
    Dcmtk.run(cmd.toArray(String[]::new));
    return ImageIO.read(out.toFile());
  }

  static BufferedImage image(ExtractableResponse<Response> r, String type) throws Exception {
    assertEquals(200, r.statusCode(), r.asString());
    assertEquals(type, r.header("Content-Type"));
    return WadoRenderedTest.decode(r.asByteArray());
  }

  @Test
  void dicomObjects() throws Exception {
    assumeTrue(Dcmtk.present());
    // Stored as explicit VR LE: the object itself, with its length.
    var ct = wado("requestType=WADO&" + CT + "&contentType=application/dicom");
    assertEquals(200, ct.statusCode(), ct.asString());
    assertEquals("application/dicom", ct.header("Content-Type"));
    assertEquals("39206", ct.header("Content-Length"));
    assertArrayEquals(sample("CT_small.dcm"), ct.asByteArray());
    // RLE: explicit VR LE by default (PS3.18 chapter 9), as dcmdrle decodes it.
    var rle = wado("requestType=WADO&" + SC16 + "&contentType=application/dicom");
    assertEquals(200, rle.statusCode(), rle.asString());
    Path ours = dir.resolve("ours.dcm");
    Files.write(ours, rle.asByteArray());
    Path expected = dir.resolve("expected.dcm");
    Dcmtk.run(
        "dcmdrle",
        "+te",
        SAMPLES.resolve("SC_rgb_rle_16bit_2frame.dcm").toString(),
        expected.toString());
    assertEquals("1.2.840.10008.1.2.1", Dcmtk.transferSyntax(ours));
    assertArrayEquals(Dcmtk.pixels(expected, dir), Dcmtk.pixels(ours, dir));
    // Asked as stored: as stored.
    var asStored =
        wado(
            "requestType=WADO&"
                + SC16
                + "&contentType=application/dicom&transferSyntax=1.2.840.10008.1.2.5");
    assertArrayEquals(sample("SC_rgb_rle_16bit_2frame.dcm"), asStored.asByteArray());
    // No contentType and no image (an SR): the object, as stored (already explicit VR LE).
    var sr =
        wado(
            "requestType=WADO&studyUID="
                + CODEC_STUDY
                + "&seriesUID="
                + WadoTestData.SR_SERIES
                + "&objectUID="
                + WadoTestData.SR_SERIES
                + ".1");
    assertEquals(200, sr.statusCode(), sr.asString());
    assertEquals("application/dicom", sr.header("Content-Type"));
    assertArrayEquals(sample("test-SR.dcm"), sr.asByteArray());
    // JPEG 2000 cannot be decoded: as stored by default, 406 when a syntax is named.
    assertArrayEquals(
        sample("JPEG2000.dcm"),
        wado("requestType=WADO&" + J2K + "&contentType=application/dicom").asByteArray());
    assertProblem(
        wado(
            "requestType=WADO&"
                + J2K
                + "&contentType=application/dicom&transferSyntax=1.2.840.10008.1.2.1"),
        406,
        "transcoding from 1.2.840.10008.1.2.4.91");
  }

  /**
   * anonymize=yes: the object de-identified with the Basic Profile, as DCMTK's dcmdump reads it: no
   * attribute the profile removes (code X of PS3.15 Table E.1-1) and no private one at any depth,
   * the patient's name emptied, the method recorded, new UIDs (file meta following), the same ones
   * for a second request, and the pixel data unchanged.
   */
  @Test
  void anonymizedObjects() throws Exception {
    assumeTrue(Dcmtk.present());
    var r = wado("requestType=WADO&" + CT + "&anonymize=yes");
    assertEquals(200, r.statusCode(), r.asString());
    assertEquals("application/dicom", r.header("Content-Type"));
    Path ours = dir.resolve("anonymized.dcm");
    Files.write(ours, r.asByteArray());
    List<Dcmdump.Element> dump = Dcmdump.elements(ours);
    for (Dcmdump.Element el : dump) {
      var row =
          org.strata.dicom.deid.ProfileTable.standard()
              .find(Integer.parseUnsignedInt(el.tag(), 16));
      assertTrue(
          row == null || !row.code(org.strata.dicom.deid.ProfileColumn.BASIC).equals("X"),
          "kept: " + el);
      assertTrue((el.group() & 1) == 0, "private kept: " + el);
      assertFalse(el.text().contains(CT_STUDY), "the original study UID is left: " + el);
    }
    assertTrue(dump.size() > 20, dump.toString());
    assertEquals("", Dcmdump.top(dump, "00100010"), "Patient's Name emptied");
    assertEquals("YES", Dcmdump.top(dump, "00120062"));
    String sop = Dcmdump.top(dump, "00080018");
    assertTrue(sop.startsWith("2.25.") && !sop.equals(CT_SOP), sop);
    assertEquals(sop, Dcmdump.top(dump, "00020003"), "Media Storage SOP Instance UID");
    // the same object again: the same new UIDs (the tenant's key)
    Path again = dir.resolve("again.dcm");
    Files.write(again, wado("requestType=WADO&" + CT + "&anonymize=yes").asByteArray());
    assertArrayEquals(Files.readAllBytes(ours), Files.readAllBytes(again));
    assertArrayEquals(Dcmtk.pixels(SAMPLES.resolve("CT_small.dcm"), dir), Dcmtk.pixels(ours, dir));
  }

  @Test
  void images() throws Exception {
    assumeTrue(Dcmtk.present());
    // No contentType: JPEG.
    BufferedImage jpeg = image(wado("requestType=WADO&" + CT), "image/jpeg");
    assertEquals(128, jpeg.getWidth());
    assertEquals(
        WadoRenderedTest.mean(dcmtk("CT_small.dcm", "+Wm")), WadoRenderedTest.mean(jpeg), 2.0);
    WadoRenderedTest.assertSameImage(
        dcmtk("CT_small.dcm", "+Ww", "40", "400"),
        image(
            wado(
                "requestType=WADO&"
                    + CT
                    + "&contentType=image/png&windowCenter=40&windowWidth=400"),
            "image/png"),
        1,
        "window");
    WadoRenderedTest.assertSameImage(
        dcmtk("SC_rgb_rle_16bit_2frame.dcm", "+F", "2"),
        image(
            wado("requestType=WADO&" + SC16 + "&contentType=image/png&frameNumber=2"), "image/png"),
        1,
        "frame 2");
    BufferedImage rows = image(wado("requestType=WADO&" + CT + "&rows=64"), "image/jpeg");
    assertEquals(64, rows.getWidth());
    assertEquals(64, rows.getHeight());
    BufferedImage region =
        image(
            wado("requestType=WADO&" + CT + "&contentType=image/png&region=0,0,0.5,1"),
            "image/png");
    assertEquals(64, region.getWidth());
    assertEquals(128, region.getHeight());
    // The list's first supported type.
    image(wado("requestType=WADO&" + CT + "&contentType=image/gif,image/png"), "image/png");
  }

  @Test
  void errors() throws Exception {
    assertProblem(wado(CT), 400, "requestType is required");
    assertProblem(wado("requestType=RS&" + CT), 400, "requestType must be WADO");
    assertProblem(
        wado("requestType=WADO&studyUID=" + CT_STUDY + "&seriesUID=" + CT_SERIES),
        400,
        "objectUID");
    assertProblem(
        wado("requestType=WADO&studyUID=x&seriesUID=" + CT_SERIES + "&objectUID=" + CT_SOP),
        400,
        "valid UIDs");
    assertProblem(
        wado(
            "requestType=WADO&studyUID="
                + CT_STUDY
                + "&seriesUID="
                + CT_SERIES
                + "&objectUID=1.2.3"),
        404,
        "no such instance");
    assertProblem(wado("requestType=WADO&" + CT + "&contentType=image/gif"), 406, "contentType");
    assertProblem(wado("requestType=WADO&" + CT + "&anonymize=no"), 400, "anonymize must be yes");
    assertProblem(
        wado("requestType=WADO&" + CT + "&anonymize=yes&contentType=image/jpeg"),
        400,
        "application/dicom only");
    assertProblem(wado("requestType=WADO&" + CT + "&windowCenter=40"), 400, "go together");
    assertProblem(wado("requestType=WADO&" + CT + "&frameNumber=2"), 400, "frameNumber");
    assertProblem(wado("requestType=WADO&" + CT + "&frameNumber=0"), 400, "frameNumber");
    assertProblem(
        wado("requestType=WADO&" + CT + "&contentType=application/dicom&rows=10"), 400, "rows");
    assertProblem(
        wado("requestType=WADO&" + CT + "&transferSyntax=1.2.840.10008.1.2.1"),
        400,
        "transferSyntax");
    assertProblem(wado("requestType=WADO&" + CT + "&region=0,0,2,1"), 400, "region");
    assertProblem(wado("requestType=WADO&" + CT + "&imageQuality=101"), 400, "quality");
  }
}
