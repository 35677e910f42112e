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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.testkit.PlatformTestResource;

/**
 * WADO-RS from the npm {@code dicomweb-client} (what OHIF uses), installed from the npm registry
 * into target/ on first use: instance as stored, a frame transcoded (RLE to explicit VR LE),
 * metadata then its BulkDataURI, a rendered PNG. Judged by the sample files and dcmtk.
 */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class DicomwebClientWadoTest extends WadoTestSupport {
  private static final Path NODE = Path.of("target", "node");

  @TempDir Path dir;

  @Test
  void dicomwebClientRetrieves() throws Exception {
    assumeTrue(Dcmtk.present());
    installClient();
    Path script = NODE.resolve("wado.js");
    try (InputStream in = getClass().getResourceAsStream("/js/wado.js")) {
      Files.write(script, in.readAllBytes());
    }
    Process p =
        new ProcessBuilder(
                List.of(
                    "node",
                    script.toAbsolutePath().toString(),
                    "http://127.0.0.1:" + io.restassured.RestAssured.port + "/dicomweb",
                    dir.toAbsolutePath().toString(),
                    CT_STUDY,
                    CT_SERIES,
                    CT_SOP,
                    SC_STUDY,
                    SC_SERIES,
                    SC16_SOP))
            .directory(NODE.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "node did not finish");
    assertEquals(0, p.exitValue(), out);

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

  /** npm install of the pinned client into target/node, once per build (as ingest's test). */
  private static void installClient() throws Exception {
    if (Files.isDirectory(NODE.resolve("node_modules").resolve("dicomweb-client"))) {
      return;
    }
    Files.createDirectories(NODE);
    Process p =
        new ProcessBuilder(
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                NODE.toAbsolutePath().toString(),
                "dicomweb-client@0.11.3",
                "xhr2@0.2.1")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "npm install did not finish");
    assertEquals(0, p.exitValue(), "npm install failed: " + out);
  }
}
