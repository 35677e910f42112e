package org.strata.bench.chaos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The kill suite's own arithmetic: where a data set starts, and the WADO-RS part it compares. */
class ChaosInstancesTest {
  @Test
  void theDatasetStartsAtItsFirstElementAndItsDigestIgnoresTheFileMeta() {
    ChaosInstances.Instance instance = new ChaosInstances(42, 1).next();
    byte[] file = instance.file();
    int offset = ChaosInstances.datasetOffset(file);
    // (0008,0016) SOP Class UID, the data set's first element, little endian
    assertArrayEquals(new byte[] {8, 0, 0x16, 0}, Arrays.copyOfRange(file, offset, offset + 4));

    // The same data set behind other file meta information (as ingest writes it for C-STORE).
    byte[] rewritten = file.clone();
    rewritten[0] = 1; // preamble
    assertEquals(instance.datasetSha256(), ChaosInstances.datasetSha256(rewritten));
    byte[] changed = file.clone();
    changed[changed.length - 1] ^= 1; // last pixel byte
    assertNotEquals(instance.datasetSha256(), ChaosInstances.datasetSha256(changed));
  }

  @Test
  void instancesAreTenToAStudyWithUniqueUids() {
    ChaosInstances instances = new ChaosInstances(7, 3);
    ChaosInstances.Instance first = instances.next();
    for (int i = 1; i < 10; i++) {
      assertEquals(first.study(), instances.next().study());
    }
    ChaosInstances.Instance eleventh = instances.next();
    assertNotEquals(first.study(), eleventh.study());
    assertNotEquals(first.sop(), eleventh.sop());
  }

  @Test
  void theRoutingSuitesStudyHoldsAllItsInstancesAndEachFileNamesItsInstanceInItsMeta() {
    ChaosInstances instances = new ChaosInstances(7, 500, 400);
    ChaosInstances.Instance first = instances.next();
    assertEquals(first.sop(), ChaosInstances.mediaStorageSopInstanceUid(first.file()));
    ChaosInstances.Instance last = first;
    for (int i = 1; i < 400; i++) {
      last = instances.next();
      assertEquals(first.study(), last.study());
    }
    assertEquals(last.sop(), ChaosInstances.mediaStorageSopInstanceUid(last.file()));
    assertNotEquals(first.study(), instances.next().study());
  }

  @Test
  void theFirstPartOfAMultipartAnswerIsItsBodyExactly() {
    byte[] payload = {0, 13, 10, 45, 45, 1, 2};
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        "--b1\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(payload);
    body.writeBytes("\r\n--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals(
        payload,
        Verifier.firstPart(
            body.toByteArray(), "multipart/related; type=\"application/dicom\"; boundary=\"b1\""));
  }
}
