package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
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
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.testkit.NodeClient;
import org.strata.testkit.PlatformTestResource;

/**
 * WADO-RS from the npm {@code dicomweb-client} (what OHIF uses, {@link NodeClient}): instance as
 * stored, a frame transcoded (RLE to explicit VR LE), metadata then its BulkDataURI, a rendered
 * PNG. Judged by the sample files and dcmtk.
 */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class DicomwebClientWadoTest extends WadoTestSupport {
  @TempDir Path dir;

  @Test
  void dicomwebClientRetrieves() throws Exception {
    assumeTrue(Dcmtk.present());
    NodeClient.run(
        "wado.js",
        "http://127.0.0.1:" + io.restassured.RestAssured.port + "/dicomweb",
        dir.toAbsolutePath().toString(),
        CT_STUDY,
        CT_SERIES,
        CT_SOP,
        SC_STUDY,
        SC_SERIES,
        SC16_SOP);

    assertArrayEquals(sample("CT_small.dcm"), Files.readAllBytes(dir.resolve("ct.dcm")));
    Path expected = dir.resolve("expected.dcm");
    Dcmtk.run(
        "dcmdrle",
        "+te",
        SAMPLES.resolve("SC_rgb_rle_16bit_2frame.dcm").toString(),
        expected.toString());
    byte[] pixels = Dcmtk.pixels(expected, dir);
    assertArrayEquals(
        Arrays.copyOfRange(pixels, 60000, 120000),
        Files.readAllBytes(dir.resolve("rle-frame2.raw")));
    assertArrayEquals(
        Dcmtk.pixels(SAMPLES.resolve("CT_small.dcm"), dir),
        Files.readAllBytes(dir.resolve("ct-pixels.raw")));
    byte[] rendered = Files.readAllBytes(dir.resolve("ct.png"));
    BufferedImage png = ImageIO.read(new java.io.ByteArrayInputStream(rendered));
    assertTrue(
        png != null,
        "a PNG: "
            + new String(
                rendered,
                0,
                Math.min(200, rendered.length),
                java.nio.charset.StandardCharsets.ISO_8859_1));
    assertEquals(64, png.getWidth());
    assertEquals(64, png.getHeight());
  }
}
