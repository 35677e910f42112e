package org.strata.dicom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.Fragments;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;

/** The writer's bytes compared with encodings built by hand ({@link DicomBytes}). */
class DicomOutputStreamTest {

  private static final byte[] OW_LE = {1, 2, 3, 4};

  /** A small little endian data set: text of odd length, US, FL, AT, OW and a sequence. */
  private static Attributes sample() {
    Attributes ds = new Attributes();
    ds.set(Tag.PatientName, VR.PN, "Doe^J".getBytes(StandardCharsets.US_ASCII)); // odd: padded
    ds.set(Tag.SOPInstanceUID, VR.UI, "1.2.3".getBytes(StandardCharsets.US_ASCII)); // NUL pad
    ds.set(Tag.Rows, VR.US, new byte[] {0x00, 0x02}); // 512
    ds.set(Tag.FrameTime, VR.DS, null); // empty
    ds.set(0x00181320, VR.FL, new byte[] {0x00, 0x00, (byte) 0x80, 0x3F}); // 1.0f
    ds.set(Tag.FrameIncrementPointer, VR.AT, new byte[] {0x18, 0x00, 0x63, 0x10});
    Sequence seq = ds.newSequence(Tag.ReferencedImageSequence);
    Attributes item = seq.addItem();
    item.set(Tag.ReferencedSOPClassUID, VR.UI, "1.2".getBytes(StandardCharsets.US_ASCII));
    ds.set(Tag.PixelData, VR.OW, OW_LE);
    return ds;
  }

  private static byte[] expectedSample(DicomBytes b, boolean definedLengths) {
    // elements in tag order
    b.header(Tag.SOPInstanceUID, "UI", 6).raw("1.2.3\0".getBytes(StandardCharsets.US_ASCII));
    if (definedLengths) {
      // item: (0008,1150) UI "1.2" -> 4 bytes + header 8 = 12
      b.header(Tag.ReferencedImageSequence, "SQ", 8 + 12).item(12);
      b.header(Tag.ReferencedSOPClassUID, "UI", 4).raw("1.2\0".getBytes(StandardCharsets.US_ASCII));
    } else {
      b.header(Tag.ReferencedImageSequence, "SQ", 0xFFFFFFFFL).item(0xFFFFFFFFL);
      b.header(Tag.ReferencedSOPClassUID, "UI", 4).raw("1.2\0".getBytes(StandardCharsets.US_ASCII));
      b.itemDelimiter().sequenceDelimiter();
    }
    b.header(Tag.PatientName, "PN", 6).raw("Doe^J ".getBytes(StandardCharsets.US_ASCII));
    b.header(Tag.FrameTime, "DS", 0);
    b.header(0x00181320, "FL", 4).u32(Float.floatToIntBits(1.0f));
    b.header(Tag.FrameIncrementPointer, "AT", 4).u16(0x0018).u16(0x1063);
    b.header(Tag.Rows, "US", 2).u16(512);
    b.header(Tag.PixelData, "OW", 4).u16(0x0201).u16(0x0403);
    return b.bytes();
  }

  private static byte[] write(Attributes ds, String ts, WriteOptions options) throws IOException {
    return DicomOutputStream.encode(ds, ts, options);
  }

  @Test
  void explicitLittleEndianWithUndefinedLengthSequences() throws IOException {
    assertArrayEquals(
        expectedSample(DicomBytes.explicitLE(), false),
        write(sample(), UID.ExplicitVRLittleEndian, WriteOptions.DEFAULTS));
  }

  @Test
  void definedLengthSequences() throws IOException {
    assertArrayEquals(
        expectedSample(DicomBytes.explicitLE(), true),
        write(
            sample(),
            UID.ExplicitVRLittleEndian,
            WriteOptions.DEFAULTS.withUndefinedLengthSequences(false)));
    assertArrayEquals(
        expectedSample(DicomBytes.implicitLE(), true),
        write(
            sample(),
            UID.ImplicitVRLittleEndian,
            WriteOptions.DEFAULTS.withUndefinedLengthSequences(false)));
  }

  @Test
  void implicitLittleEndian() throws IOException {
    assertArrayEquals(
        expectedSample(DicomBytes.implicitLE(), false),
        write(sample(), UID.ImplicitVRLittleEndian, WriteOptions.DEFAULTS));
  }

  @Test
  void explicitBigEndianSwapsEachBinaryUnit() throws IOException {
    assertArrayEquals(
        expectedSample(DicomBytes.explicitBE(), false),
        write(sample(), UID.ExplicitVRBigEndian, WriteOptions.DEFAULTS));
  }

  @Test
  void bigEndianModelToLittleEndian() throws IOException {
    Attributes ds = new Attributes(true, null);
    ds.set(Tag.Rows, VR.US, new byte[] {0x02, 0x00}); // 512 big endian
    ds.set(0x00081163, VR.FD, new byte[] {0x3F, (byte) 0xF0, 0, 0, 0, 0, 0, 0}); // 1.0
    ds.set(Tag.PixelData, VR.OB, new byte[] {1, 2, 3}); // OB is not swapped, odd: NUL pad
    DicomBytes b = DicomBytes.explicitLE();
    b.header(0x00081163, "FD", 8).u32(0).u32(0x3FF00000L);
    b.header(Tag.Rows, "US", 2).u16(512);
    b.header(Tag.PixelData, "OB", 4).raw(new byte[] {1, 2, 3, 0});
    assertArrayEquals(b.bytes(), write(ds, UID.ExplicitVRLittleEndian, WriteOptions.DEFAULTS));
  }

  @Test
  void deflatedIsRawDeflateOfExplicitLittleEndian() throws Exception {
    byte[] out = write(sample(), UID.DeflatedExplicitVRLittleEndian, WriteOptions.DEFAULTS);
    Inflater inflater = new Inflater(true);
    inflater.setInput(out);
    byte[] buf = new byte[4096];
    int n = inflater.inflate(buf);
    assertTrue(inflater.finished());
    inflater.end();
    assertArrayEquals(expectedSample(DicomBytes.explicitLE(), false), Arrays.copyOf(buf, n));
  }

  @Test
  void part10FileMetaInformation(@TempDir Path dir) throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
    ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4");
    Path file = dir.resolve("f.dcm");
    DicomOutputStream.writeFile(file, null, ds, UID.ExplicitVRLittleEndian);
    DicomBytes group = DicomBytes.explicitLE();
    group.element(0x00020001, "OB", new byte[] {0, 1});
    group.string(0x00020002, "UI", "1.2.840.10008.5.1.4.1.1.7");
    group.string(0x00020003, "UI", "1.2.3.4");
    group.string(0x00020010, "UI", "1.2.840.10008.1.2.1");
    group.string(0x00020012, "UI", "2.25.22854180625435546337945660893540618350");
    group.string(0x00020013, "SH", "STRATA_0.1");
    DicomBytes file10 = DicomBytes.explicitLE().raw(new byte[128]).raw("DICM".getBytes());
    // OB 12 + 2, UI 8 + 26, 8 + 8, 8 + 20, 8 + 44, SH 8 + 10 = 162
    file10.header(0x00020000, "UL", 4).u32(162).raw(group.bytes());
    file10.string(Tag.SOPClassUID, "UI", "1.2.840.10008.5.1.4.1.1.7");
    file10.string(Tag.SOPInstanceUID, "UI", "1.2.3.4");
    assertEquals(162, group.size());
    assertArrayEquals(file10.bytes(), Files.readAllBytes(file));
  }

  @Test
  void fileMetaInformationKeepsOtherElementsOfThePreviousOne() {
    Attributes previous = new Attributes();
    previous.setString(Tag.TransferSyntaxUID, VR.UI, "1.2.840.10008.1.2");
    previous.setString(Tag.MediaStorageSOPClassUID, VR.UI, "1.2.840.10008.1.3.10");
    previous.setString(Tag.SourceApplicationEntityTitle, VR.AE, "MODALITY");
    previous.setString(Tag.ImplementationVersionName, VR.SH, "OTHER");
    Attributes fmi =
        DicomOutputStream.fileMetaInformation(new Attributes(), previous, UID.ExplicitVRBigEndian);
    assertEquals("1.2.840.10008.1.2.2", fmi.getString(Tag.TransferSyntaxUID));
    assertEquals("1.2.840.10008.1.3.10", fmi.getString(Tag.MediaStorageSOPClassUID));
    assertEquals("MODALITY", fmi.getString(Tag.SourceApplicationEntityTitle));
    assertEquals("STRATA_0.1", fmi.getString(Tag.ImplementationVersionName));
    assertArrayEquals(new byte[] {0, 1}, fmi.getBytes(Tag.FileMetaInformationVersion));
  }

  @Test
  void groupLengthsAreRecomputedOrRemoved() throws IOException {
    Attributes ds = new Attributes();
    ds.set(0x00080000, VR.UL, new byte[] {99, 0, 0, 0}); // wrong on purpose
    ds.setString(Tag.Modality, VR.CS, "CT");
    ds.setString(Tag.StudyDescription, VR.LO, "HEAD");
    ds.setString(Tag.PatientID, VR.LO, "P1");
    DicomBytes explicit = DicomBytes.explicitLE();
    explicit.header(0x00080000, "UL", 4).u32(8 + 2 + 8 + 4);
    explicit.string(Tag.Modality, "CS", "CT").string(Tag.StudyDescription, "LO", "HEAD");
    explicit.string(Tag.PatientID, "LO", "P1");
    assertArrayEquals(
        explicit.bytes(), write(ds, UID.ExplicitVRLittleEndian, WriteOptions.DEFAULTS));
    DicomBytes implicit = DicomBytes.implicitLE();
    implicit.header(0x00080000, "UL", 4).u32(8 + 2 + 8 + 4);
    implicit.string(Tag.Modality, "CS", "CT").string(Tag.StudyDescription, "LO", "HEAD");
    implicit.string(Tag.PatientID, "LO", "P1");
    assertArrayEquals(
        implicit.bytes(), write(ds, UID.ImplicitVRLittleEndian, WriteOptions.DEFAULTS));
    DicomBytes removed = DicomBytes.explicitLE();
    removed.string(Tag.Modality, "CS", "CT").string(Tag.StudyDescription, "LO", "HEAD");
    removed.string(Tag.PatientID, "LO", "P1");
    assertArrayEquals(
        removed.bytes(),
        write(ds, UID.ExplicitVRLittleEndian, WriteOptions.DEFAULTS.withRemoveGroupLengths(true)));
  }

  @Test
  void encapsulatedPixelDataNeedsAnEncapsulatedTransferSyntax() throws IOException {
    Attributes ds = new Attributes();
    Fragments f = new Fragments(VR.OB, false);
    f.add(new byte[0], -1);
    f.add(new byte[] {(byte) 0xFF, (byte) 0xD8, 1}, -1);
    ds.set(Tag.PixelData, VR.OB, f);
    for (String ts :
        new String[] {
          UID.ImplicitVRLittleEndian,
          UID.ExplicitVRLittleEndian,
          UID.ExplicitVRBigEndian,
          UID.DeflatedExplicitVRLittleEndian
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> write(ds, ts, WriteOptions.DEFAULTS));
      assertTrue(e.getMessage().contains("encapsulated"), e.getMessage());
    }
    DicomBytes b = DicomBytes.explicitLE();
    b.header(Tag.PixelData, "OB", 0xFFFFFFFFL).item(0).item(4);
    b.raw(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 0}).sequenceDelimiter();
    assertArrayEquals(b.bytes(), write(ds, UID.JPEGBaseline8Bit, WriteOptions.DEFAULTS));
  }

  @Test
  void longValueOfAShortHeaderVrBecomesUn() throws IOException {
    Attributes ds = new Attributes();
    byte[] big = new byte[70000];
    Arrays.fill(big, (byte) 'A');
    ds.set(Tag.PatientComments, VR.LT, big);
    byte[] out = write(ds, UID.ExplicitVRLittleEndian, WriteOptions.DEFAULTS);
    DicomBytes b = DicomBytes.explicitLE().header(Tag.PatientComments, "UN", 70000).raw(big);
    assertArrayEquals(b.bytes(), out);
  }

  @Test
  void streamingPixelDataEqualsWritingItWhole() throws IOException {
    Attributes ds = sample();
    byte[] pixels = new byte[100_001];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 31);
    }
    ds.set(Tag.PixelData, VR.OW, pixels);
    for (String ts :
        new String[] {
          UID.ExplicitVRLittleEndian, UID.ExplicitVRBigEndian, UID.DeflatedExplicitVRLittleEndian
        }) {
      byte[] whole = write(ds, ts, WriteOptions.DEFAULTS);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DicomOutputStream out = new DicomOutputStream(bytes, ts)) {
        out.writeDataset(ds, Tag.PixelData);
        out.writeHeader(Tag.PixelData, VR.OW, pixels.length);
        out.copyValue(new ByteArrayInputStream(pixels), pixels.length, VR.OW, false);
      }
      assertArrayEquals(whole, bytes.toByteArray(), ts);
    }
  }

  @Test
  void bulkDataIsCopiedFromTheSourceFile(@TempDir Path dir) throws IOException {
    Path src = dir.resolve("src.bin");
    Files.write(src, new byte[] {9, 9, 1, 2, 3, 4, 9});
    Attributes ds = new Attributes();
    ds.set(Tag.PixelData, VR.OW, new BulkDataRef(src.toUri().toString(), 2, 4));
    DicomBytes b = DicomBytes.explicitBE().header(Tag.PixelData, "OW", 4).u16(0x0201).u16(0x0403);
    assertArrayEquals(b.bytes(), write(ds, UID.ExplicitVRBigEndian, WriteOptions.DEFAULTS));
  }

  @Test
  void writtenFilesReadBack(@TempDir Path dir) throws IOException {
    for (String ts :
        new String[] {
          UID.ImplicitVRLittleEndian,
          UID.ExplicitVRLittleEndian,
          UID.ExplicitVRBigEndian,
          UID.DeflatedExplicitVRLittleEndian
        }) {
      Path file = dir.resolve("rt.dcm");
      DicomOutputStream.writeFile(file, null, sample(), ts);
      try (DicomInputStream in = DicomInputStream.open(file, ReadOptions.DEFAULTS)) {
        assertEquals(ts, in.readFileMetaInformation().getString(Tag.TransferSyntaxUID));
        Attributes back = in.readDataset();
        assertEquals("Doe^J", back.getString(Tag.PatientName));
        assertEquals(512, back.getInt(Tag.Rows, 0));
        assertEquals(1.0, back.getDouble(0x00181320, 0), 0.0);
        assertEquals(Tag.FrameTime, back.getInt(Tag.FrameIncrementPointer, 0));
        assertEquals(
            "1.2", back.getItems(Tag.ReferencedImageSequence).get(0).getString(0x00081150));
        assertArrayEquals(new long[] {0x0201, 0x0403}, back.getLongs(Tag.PixelData));
      }
    }
  }
}
