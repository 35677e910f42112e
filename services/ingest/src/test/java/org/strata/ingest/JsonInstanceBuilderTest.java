package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.Attributes;
import org.strata.dicom.json.DicomJsonReader;
import org.strata.ingest.service.FailureReason;
import org.strata.ingest.service.JsonInstanceBuilder;
import org.strata.ingest.service.JsonInstanceBuilder.BulkPart;

/**
 * The Part 10 objects built from DICOM JSON and spooled bulk data, without the platform: bulk data
 * in nested sequences, the transfer syntax from a part's parameter, every refusal, and a writer
 * failure that must end the stream with an error (never a short object). Checked with dcmdump.
 */
class JsonInstanceBuilderTest {
  @TempDir Path dir;

  private static final DicomJsonStowTest.Uids U =
      new DicomJsonStowTest.Uids("1.2.826.0.1.9.1", "1.2.826.0.1.9.1.1", "1.2.826.0.1.9.1.1.1");

  private BulkPart part(String name, byte[] bytes, String type, Map<String, String> params)
      throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    return new BulkPart(f, bytes.length, type, params);
  }

  private static Attributes parse(String json) {
    return DicomJsonReader.parse(json);
  }

  private Path write(JsonInstanceBuilder.Prepared p) throws Exception {
    Path out = dir.resolve("out-" + System.nanoTime() + ".dcm");
    try (InputStream in = p.open()) {
      Files.write(out, in.readAllBytes());
    }
    return out;
  }

  @Test
  void bulkDataInANestedSequenceAndAnImplicitTransferSyntaxFromTheParameter() throws Exception {
    String json =
        DicomJsonStowTest.metadata(
                U, 2, 2, 8, "{\"vr\":\"OB\",\"BulkDataURI\":\"http://c/px?offset=0\"}")
            .replace(
                "\"00280002\"",
                "\"00400275\":{\"vr\":\"SQ\",\"Value\":[{\"00420011\":{\"vr\":\"OB\","
                    + "\"BulkDataURI\":\"http://c/doc\"}}]},\"00280002\"");
    Map<String, BulkPart> parts =
        Map.of(
            "http://c/px",
            part(
                "px",
                new byte[] {1, 2, 3, 4},
                "application/octet-stream",
                Map.of("transfer-syntax", "1.2.840.10008.1.2")),
            "http://c/doc",
            part("doc", new byte[] {9, 8, 7}, "application/octet-stream", Map.of()));
    JsonInstanceBuilder.Prepared p = JsonInstanceBuilder.prepare(parse(json), parts);
    assertNull(p.failure(), p.detail());
    List<String> dump = DicomJsonStowTest.dcmdump(write(p));
    assertTrue(dump.contains("(0002,0010) UI =LittleEndianImplicit"), String.join("\n", dump));
    assertTrue(dump.contains("    (0042,0011) OB 09\\08\\07\\00"), String.join("\n", dump));
    // implicit VR: dcmdump takes Pixel Data as OW, the same bytes as little endian words
    assertTrue(dump.contains("(7fe0,0010) OW 0201\\0403"), String.join("\n", dump));
  }

  @Test
  void refusals() throws Exception {
    BulkPart jpeg = part("j", new byte[] {(byte) 0xFF, (byte) 0xD8}, "image/jpeg", Map.of());
    String pixelRef = "{\"vr\":\"OB\",\"BulkDataURI\":\"http://c/x\"}";
    // No part for the BulkDataURI.
    assertRefused(DicomJsonStowTest.metadata(U, 2, 2, 8, pixelRef), Map.of(), "no bulk data part");
    // Compressed bulk data for another element than Pixel Data.
    assertRefused(
        DicomJsonStowTest.metadata(U, 2, 2, 8, null)
            .replace("\"00280002\"", "\"60003000\":" + pixelRef + ",\"00280002\""),
        Map.of("http://c/x", jpeg),
        "only Pixel Data");
    // A transfer-syntax parameter that is not a transfer syntax; a media type without default.
    assertRefused(
        DicomJsonStowTest.metadata(U, 2, 2, 8, pixelRef),
        Map.of(
            "http://c/x",
            part("t", new byte[2], "application/octet-stream", Map.of("transfer-syntax", "1.2.3"))),
        "without a known transfer-syntax");
    assertRefused(
        DicomJsonStowTest.metadata(U, 2, 2, 8, pixelRef),
        Map.of("http://c/x", part("u", new byte[2], "image/gif", Map.of())),
        "without a known transfer-syntax");
    // Compressed multi-frame pixel data in one part.
    assertRefused(
        DicomJsonStowTest.metadata(U, 2, 2, 8, pixelRef)
            .replace("\"00280002\"", "\"00280008\":{\"vr\":\"IS\",\"Value\":[3]},\"00280002\""),
        Map.of("http://c/x", jpeg),
        "multi-frame");
  }

  private void assertRefused(String json, Map<String, BulkPart> parts, String why) {
    JsonInstanceBuilder.Prepared p = JsonInstanceBuilder.prepare(parse(json), parts);
    assertEquals(FailureReason.CANNOT_UNDERSTAND, p.failure(), why);
    assertTrue(p.detail().contains(why), p.detail());
  }

  @Test
  void aWriterFailureEndsTheStreamWithAnError() throws Exception {
    BulkPart px = part("gone", new byte[] {1, 2, 3, 4}, "application/octet-stream", Map.of());
    JsonInstanceBuilder.Prepared p =
        JsonInstanceBuilder.prepare(
            parse(
                DicomJsonStowTest.metadata(
                    U, 2, 2, 8, "{\"vr\":\"OB\",\"BulkDataURI\":\"http://c/x\"}")),
            Map.of("http://c/x", px));
    Files.delete(px.file()); // the spool file vanished: the writer cannot copy the value
    try (InputStream in = p.open()) {
      assertThrows(IOException.class, in::readAllBytes);
    }
  }
}
