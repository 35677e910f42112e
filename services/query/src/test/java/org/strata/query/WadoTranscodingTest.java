package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.strata.query.WadoTestData.CODEC_SAMPLES;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.testkit.PlatformTestResource;

/**
 * WADO-RS transcoding to Explicit VR Little Endian, judged by DCMTK: dcmconv, dcmdrle and dcmdjpeg
 * convert the sample files; dcmdump must read what Strata sends, find the asked transfer syntax,
 * the same attributes and the same pixels (JPEG: within rounding of two IDCTs).
 */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class WadoTranscodingTest extends WadoTestSupport {
  static final String LE = "1.2.840.10008.1.2.1";
  static final String AS_LE = DICOM + "; transfer-syntax=" + LE;
  static final String CODEC_PATH = "/studies/" + CODEC_STUDY + "/series/" + CODEC_SERIES;
  static final String SC_PATH = "/studies/" + SC_STUDY + "/series/" + SC_SERIES;

  @TempDir Path dir;

  @Test
  void seriesOfFourSyntaxesAsExplicitLittleEndian() throws Exception {
    assumeTrue(Dcmtk.present());
    List<Part> parts = parts(get(CODEC_PATH, AS_LE), "application/dicom");
    assertEquals(CODEC_SAMPLES.size(), parts.size());
    String[] tools = {"dcmconv", "dcmconv", "dcmdjpeg", "dcmconv"};
    for (int n = 0; n < parts.size(); n++) {
      String sample = CODEC_SAMPLES.get(n);
      Part part = parts.get(n);
      assertEquals("application/dicom; transfer-syntax=" + LE, part.contentType(), sample);
      assertFalse(part.lengthGiven(), "a transcoded part's length is not known in advance");
      Path ours = dir.resolve("ours" + n + ".dcm");
      Files.write(ours, part.body());
      Path expected = dir.resolve("expected" + n + ".dcm");
      Dcmtk.run(tools[n], "+te", SAMPLES.resolve(sample).toString(), expected.toString());
      assertEquals(LE, Dcmtk.transferSyntax(ours), sample);
      Dcmtk.assertSameLines(Dcmtk.attributes(expected), Dcmtk.attributes(ours), sample);
      byte[] e = Dcmtk.pixels(expected, dir);
      byte[] o = Dcmtk.pixels(ours, dir);
      if (tools[n].equals("dcmdjpeg")) {
        assertTrue(Dcmtk.maxDifference(e, o) <= 2, sample);
      } else {
        assertArrayEquals(e, o, sample);
      }
    }
  }

  @Test
  void rleStudyDecodedAndStoredSyntaxServedAsIs() throws Exception {
    assumeTrue(Dcmtk.present());
    List<Part> parts = parts(get("/studies/" + SC_STUDY, AS_LE), "application/dicom");
    assertEquals(2, parts.size());
    List<String> samples = List.of("SC_rgb_rle_2frame.dcm", "SC_rgb_rle_16bit_2frame.dcm");
    for (int n = 0; n < 2; n++) {
      Path ours = dir.resolve("rle" + n + ".dcm");
      Files.write(ours, parts.get(n).body());
      Path expected = dir.resolve("rle-expected" + n + ".dcm");
      Dcmtk.run("dcmdrle", "+te", SAMPLES.resolve(samples.get(n)).toString(), expected.toString());
      assertEquals(LE, Dcmtk.transferSyntax(ours));
      Dcmtk.assertSameLines(Dcmtk.attributes(expected), Dcmtk.attributes(ours), samples.get(n));
      assertArrayEquals(Dcmtk.pixels(expected, dir), Dcmtk.pixels(ours, dir), samples.get(n));
    }
    // Stored in the asked syntax already: byte for byte, with its length.
    Part ct =
        parts(get("/studies/" + CT_STUDY + "/series/" + CT_SERIES, AS_LE), "application/dicom")
            .get(0);
    assertTrue(ct.lengthGiven());
    assertArrayEquals(WadoTestData.sample("CT_small.dcm"), ct.body());
  }

  @Test
  void firstAcceptableRangeWins() throws Exception {
    // JPEG 2000 cannot be produced; the second range can.
    List<Part> parts =
        parts(
            get(
                SC_PATH + "/instances/" + SC_SOP,
                DICOM + "; transfer-syntax=1.2.840.10008.1.2.4.90, " + AS_LE),
            "application/dicom");
    assertEquals("application/dicom; transfer-syntax=" + LE, parts.get(0).contentType());
  }

  @Test
  void framesAsExplicitLittleEndian() throws Exception {
    assumeTrue(Dcmtk.present());
    String octetLe = OCTET + "; transfer-syntax=" + LE;
    // RLE, 100x100 RGB 8 bit: frame 2 then 1 (the stored frame index of this instance swaps them).
    Path expected = dir.resolve("sc.dcm");
    Dcmtk.run(
        "dcmdrle", "+te", SAMPLES.resolve("SC_rgb_rle_2frame.dcm").toString(), expected.toString());
    byte[] all = Dcmtk.pixels(expected, dir);
    assertEquals(60000, all.length);
    List<Part> frames =
        parts(
            get(SC_PATH + "/instances/" + SC16_SOP + "/frames/2,1", octetLe),
            "application/octet-stream");
    Path expected16 = dir.resolve("sc16.dcm");
    Dcmtk.run(
        "dcmdrle",
        "+te",
        SAMPLES.resolve("SC_rgb_rle_16bit_2frame.dcm").toString(),
        expected16.toString());
    byte[] all16 = Dcmtk.pixels(expected16, dir);
    assertEquals(120000, all16.length);
    assertEquals(2, frames.size());
    assertEquals("application/octet-stream; transfer-syntax=" + LE, frames.get(0).contentType());
    assertArrayEquals(Arrays.copyOfRange(all16, 60000, 120000), frames.get(0).body());
    assertArrayEquals(Arrays.copyOfRange(all16, 0, 60000), frames.get(1).body());
    // Big endian 16 bit: swapped to little endian, as dcmconv writes it.
    Path mr = dir.resolve("mr.dcm");
    Dcmtk.run(
        "dcmconv", "+te", SAMPLES.resolve("MR_small_bigendian.dcm").toString(), mr.toString());
    List<Part> be =
        parts(
            get(CODEC_PATH + "/instances/" + CODEC_SERIES + ".1/frames/1", octetLe),
            "application/octet-stream");
    assertArrayEquals(Dcmtk.pixels(mr, dir), be.get(0).body());
    // JPEG Baseline: RGB after decoding, as dcmdjpeg converts it.
    Path jpeg = dir.resolve("jpeg.dcm");
    Dcmtk.run(
        "dcmdjpeg", "+te", SAMPLES.resolve("SC_rgb_jpeg_dcmtk.dcm").toString(), jpeg.toString());
    List<Part> j =
        parts(
            get(CODEC_PATH + "/instances/" + CODEC_SERIES + ".3/frames/1", octetLe),
            "application/octet-stream");
    assertTrue(Dcmtk.maxDifference(Dcmtk.pixels(jpeg, dir), j.get(0).body()) <= 2);
  }

  @Test
  void notAcceptable() throws Exception {
    String j2kPath = "/studies/" + CODEC_STUDY + "/series/" + J2K_SERIES;
    assertProblem(get(j2kPath, AS_LE), 406, "transcoding from 1.2.840.10008.1.2.4.91 to " + LE);
    // The study holds the JPEG 2000 object too: all or nothing.
    assertProblem(get("/studies/" + CODEC_STUDY, AS_LE), 406, "is not supported");
    assertProblem(
        get(
            "/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances/" + CT_SOP,
            DICOM + "; transfer-syntax=1.2.840.10008.1.2.4.50"),
        406,
        "transcoding from " + LE + " to 1.2.840.10008.1.2.4.50");
    assertProblem(
        get(
            j2kPath + "/instances/" + J2K_SERIES + ".1/frames/1",
            OCTET + "; transfer-syntax=" + LE),
        406,
        "transcoding");
    // Deflated objects' frames are not served (no frame index; not decoded per frame).
    assertProblem(
        get(
            CODEC_PATH + "/instances/" + CODEC_SERIES + ".2/frames/1",
            OCTET + "; transfer-syntax=" + LE),
        406,
        "transcoding from 1.2.840.10008.1.2.1.99");
  }
}
