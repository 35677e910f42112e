package org.strata.dicom.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Fragments;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;

class DicomInputStreamTest {

  private static Attributes read(byte[] data) throws IOException {
    try (DicomInputStream in = DicomInputStream.of(data, ReadOptions.DEFAULTS)) {
      return in.readDataset();
    }
  }

  private static byte[] simpleDataset(DicomBytes b) {
    return b.string(Tag.SOPInstanceUID, "UI", "1.2.3")
        .string(Tag.PatientName, "PN", "Doe^John")
        .us(Tag.Rows, 512)
        .bytes();
  }

  @Test
  void part10ExplicitLittleEndian() throws IOException {
    byte[] file =
        DicomBytes.part10(UID.ExplicitVRLittleEndian, simpleDataset(DicomBytes.explicitLE()));
    try (DicomInputStream in = DicomInputStream.of(file, ReadOptions.DEFAULTS)) {
      Attributes fmi = in.readFileMetaInformation();
      assertEquals(UID.ExplicitVRLittleEndian, fmi.getString(Tag.TransferSyntaxUID));
      assertEquals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, in.transferSyntax());
      Attributes ds = in.readDataset();
      assertEquals("Doe^John", ds.getString(Tag.PatientName));
      assertEquals(512, ds.getInt(Tag.Rows, 0));
      assertEquals(file.length, in.position());
      // The recorded offset points at the value bytes in the source.
      long off = ds.valueOffset(Tag.PatientName);
      assertEquals(
          "Doe^John", new String(file, (int) off, 8, java.nio.charset.StandardCharsets.US_ASCII));
      assertThrows(IllegalStateException.class, in::readDataset);
    }
  }

  @Test
  void bareDatasetsAreDetected() throws IOException {
    for (DicomBytes b :
        new DicomBytes[] {
          DicomBytes.implicitLE(), DicomBytes.explicitLE(), DicomBytes.explicitBE()
        }) {
      byte[] data = simpleDataset(b);
      try (DicomInputStream in = DicomInputStream.of(data, ReadOptions.DEFAULTS)) {
        assertNull(in.readFileMetaInformation());
        Attributes ds = in.readDataset();
        assertEquals("Doe^John", ds.getString(Tag.PatientName));
        assertEquals(512, ds.getInt(Tag.Rows, 0));
        assertEquals(VR.PN, ds.vr(Tag.PatientName));
      }
    }
    assertEquals(
        TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
        DicomInputStream.of(simpleDataset(DicomBytes.explicitBE()), ReadOptions.DEFAULTS)
            .transferSyntax());
    assertEquals(
        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN,
        DicomInputStream.of(simpleDataset(DicomBytes.implicitLE()), ReadOptions.DEFAULTS)
            .transferSyntax());
  }

  @Test
  void emptyInputIsAnEmptyDataset() throws IOException {
    assertEquals(0, read(new byte[0]).size());
  }

  @Test
  void deflatedExplicitLittleEndian() throws IOException {
    byte[] dataset = simpleDataset(DicomBytes.explicitLE());
    byte[] file =
        DicomBytes.part10(UID.DeflatedExplicitVRLittleEndian, DicomBytes.deflate(dataset));
    Attributes ds = read(file);
    assertEquals("Doe^John", ds.getString(Tag.PatientName));
    assertEquals(512, ds.getInt(Tag.Rows, 0));
  }

  @Test
  void corruptDeflateDataIsAParseError() {
    byte[] file =
        DicomBytes.part10(
            UID.DeflatedExplicitVRLittleEndian, new byte[] {(byte) 0xFF, 0x13, 0x77, 0x01});
    assertThrows(DicomParseException.class, () -> read(file));
  }

  @Test
  void sequencesOfDefinedAndUndefinedLength() throws IOException {
    DicomBytes inner =
        DicomBytes.explicitLE()
            .string(Tag.CodeValue, "SH", "T-1")
            .string(Tag.CodeMeaning, "LO", "Lung");
    byte[] item = inner.bytes();
    DicomBytes b = DicomBytes.explicitLE();
    // Defined length sequence with one defined-length item.
    b.header(Tag.AnatomicRegionSequence, "SQ", 8 + item.length).item(item.length).raw(item);
    // Undefined length sequence with two undefined-length items, the second nesting another one.
    b.header(Tag.ReferencedSeriesSequence, "SQ", 0xFFFFFFFFL);
    b.item(0xFFFFFFFFL).string(Tag.SeriesInstanceUID, "UI", "1.2.3.1").itemDelimiter();
    b.item(0xFFFFFFFFL).string(Tag.SeriesInstanceUID, "UI", "1.2.3.2");
    b.header(Tag.ReferencedSOPSequence, "SQ", 0xFFFFFFFFL)
        .item(0xFFFFFFFFL)
        .string(Tag.ReferencedSOPInstanceUID, "UI", "1.2.3.2.1")
        .itemDelimiter()
        .sequenceDelimiter();
    b.itemDelimiter().sequenceDelimiter();
    b.us(Tag.Rows, 7);
    Attributes ds = read(b.bytes());
    assertEquals("Lung", ds.getItems(Tag.AnatomicRegionSequence).get(0).getString(Tag.CodeMeaning));
    var series = ds.getItems(Tag.ReferencedSeriesSequence);
    assertEquals(2, series.size());
    assertEquals("1.2.3.1", series.get(0).getString(Tag.SeriesInstanceUID));
    assertEquals(
        "1.2.3.2.1",
        series
            .get(1)
            .getItems(Tag.ReferencedSOPSequence)
            .get(0)
            .getString(Tag.ReferencedSOPInstanceUID));
    assertEquals(7, ds.getInt(Tag.Rows, 0));
  }

  @Test
  void undefinedLengthUnIsAnImplicitLittleEndianSequence() throws IOException {
    // CP-246: in explicit big endian too, the items of such a UN are implicit VR little endian.
    DicomBytes b = DicomBytes.explicitBE();
    b.header(0x00091010, "UN", 0xFFFFFFFFL);
    DicomBytes items = DicomBytes.implicitLE();
    items.item(0xFFFFFFFFL).string(Tag.PatientID, "LO", "ABC").itemDelimiter().sequenceDelimiter();
    b.raw(items.bytes()).us(Tag.Rows, 3);
    Attributes ds = read(b.bytes());
    assertEquals(VR.SQ, ds.vr(0x00091010));
    Attributes item = ds.getItems(0x00091010).get(0);
    assertEquals("ABC", item.getString(Tag.PatientID));
    assertFalse(item.bigEndian());
    assertEquals(3, ds.getInt(Tag.Rows, 0));
  }

  @Test
  void implicitUsOrSsFollowsPixelRepresentation() throws IOException {
    byte[] signed =
        DicomBytes.implicitLE()
            .us(Tag.PixelRepresentation, 1)
            .us(Tag.SmallestImagePixelValue, 0xFFFF)
            .bytes();
    Attributes s = read(signed);
    assertEquals(VR.SS, s.vr(Tag.SmallestImagePixelValue));
    assertEquals(-1, s.getInt(Tag.SmallestImagePixelValue, 0));
    byte[] unsigned =
        DicomBytes.implicitLE()
            .us(Tag.PixelRepresentation, 0)
            .us(Tag.SmallestImagePixelValue, 0xFFFF)
            .bytes();
    assertEquals(65535, read(unsigned).getInt(Tag.SmallestImagePixelValue, 0));
  }

  private static byte[] encapsulated() {
    DicomBytes b = DicomBytes.explicitLE().us(Tag.Rows, 2);
    b.header(Tag.PixelData, "OB", 0xFFFFFFFFL);
    b.item(0); // empty Basic Offset Table
    b.item(4).raw(new byte[] {1, 2, 3, 4});
    b.item(6).raw(new byte[] {5, 6, 7, 8, 9, 10});
    b.sequenceDelimiter();
    return b.bytes();
  }

  @Test
  void encapsulatedPixelDataFragmentsWithOffsets() throws IOException {
    byte[] data = encapsulated();
    Attributes ds = read(data);
    Fragments f = ds.getFragments(Tag.PixelData);
    assertEquals(3, f.size());
    assertEquals(0, f.length(0));
    assertArrayEquals(new byte[] {1, 2, 3, 4}, (byte[]) f.get(1));
    for (int k = 1; k < 3; k++) {
      byte[] frag = (byte[]) f.get(k);
      assertArrayEquals(
          frag, Arrays.copyOfRange(data, (int) f.offset(k), (int) f.offset(k) + frag.length));
    }
  }

  @Test
  void stopBeforePixelDataLeavesTheStreamAtItsHeader() throws IOException {
    byte[] data =
        DicomBytes.explicitLE()
            .us(Tag.Rows, 2)
            .header(Tag.PixelData, "OW", 4)
            .raw(new byte[] {9, 8, 7, 6})
            .header(Tag.DataSetTrailingPadding, "OB", 2)
            .raw(new byte[2])
            .bytes();
    ReadOptions options = ReadOptions.DEFAULTS.withStopBeforeTag(Tag.PixelData);
    try (DicomInputStream in = DicomInputStream.of(data, options)) {
      Attributes ds = in.readDataset();
      assertTrue(in.stoppedBeforeTag());
      assertFalse(ds.contains(Tag.PixelData));
      assertEquals(10, in.position()); // just after the 10-byte Rows element
      ElementHeader h = in.readHeader();
      assertEquals(Tag.PixelData, h.tag());
      assertEquals(VR.OW, h.vr());
      assertEquals(4, h.length());
      assertEquals(10, h.headerOffset());
      assertEquals(22, h.valueOffset());
      assertArrayEquals(new byte[] {9, 8, 7, 6}, in.readValue(h.length()));
      assertEquals(Tag.DataSetTrailingPadding, in.readHeader().tag());
      assertEquals(2, in.remaining().readAllBytes().length);
    }
  }

  @Test
  void stopTagComparesUnsigned() throws IOException {
    byte[] data = DicomBytes.explicitLE().us(Tag.Rows, 2).header(0xFFFAFFFA, "SQ", 0).bytes();
    try (DicomInputStream in =
        DicomInputStream.of(data, ReadOptions.DEFAULTS.withStopBeforeTag(Tag.PixelData))) {
      Attributes ds = in.readDataset();
      assertTrue(in.stoppedBeforeTag());
      assertEquals(1, ds.size());
    }
  }

  @Test
  void largeValuesBecomeBulkDataReferences() throws IOException {
    byte[] pixels = new byte[1000];
    Arrays.fill(pixels, (byte) 0x5A);
    byte[] data =
        DicomBytes.explicitLE()
            .string(Tag.PatientName, "PN", "Doe")
            .element(Tag.PixelData, "OW", pixels)
            .bytes();
    ReadOptions options = ReadOptions.DEFAULTS.withBulkData(100, "file:/data/x.dcm");
    try (DicomInputStream in = DicomInputStream.of(data, options)) {
      Attributes ds = in.readDataset();
      assertEquals("Doe", ds.getString(Tag.PatientName)); // short values still loaded
      BulkDataRef ref = ds.getBulkData(Tag.PixelData);
      assertNotNull(ref);
      assertEquals("file:/data/x.dcm", ref.uri());
      assertEquals(1000, ref.length());
      assertArrayEquals(
          pixels,
          Arrays.copyOfRange(data, (int) ref.offset(), (int) (ref.offset() + ref.length())));
    }
    try (DicomInputStream in =
        DicomInputStream.of(encapsulated(), ReadOptions.DEFAULTS.withBulkData(5, "u"))) {
      Fragments f = in.readDataset().getFragments(Tag.PixelData);
      assertInstanceOf(byte[].class, f.get(1));
      assertInstanceOf(BulkDataRef.class, f.get(2));
    }
  }

  @Test
  void bulkDataOfATruncatedFileIsStillDetected() {
    byte[] data =
        DicomBytes.explicitLE().header(Tag.PixelData, "OW", 1000).raw(new byte[10]).bytes();
    // Through a plain stream, whose length the reader does not know.
    DicomInputStream in =
        new DicomInputStream(
            new ByteArrayInputStream(data), ReadOptions.DEFAULTS.withBulkData(100, "u"));
    assertThrows(DicomParseException.class, in::readDataset);
  }

  @Test
  void hostileLengthsAreRefusedBeforeAllocating() {
    byte[] data =
        DicomBytes.explicitLE().header(Tag.PixelData, "OW", 0xFFFFFFF0L).raw(new byte[16]).bytes();
    DicomParseException e = assertThrows(DicomParseException.class, () -> read(data));
    assertEquals(12, e.offset());
    // A stream of unknown length: the limit applies.
    InputStream stream =
        new ByteArrayInputStream(
            DicomBytes.explicitLE().header(Tag.PixelData, "OW", 5000).raw(new byte[5000]).bytes());
    DicomInputStream in =
        new DicomInputStream(stream, ReadOptions.DEFAULTS.withMaxValueLength(4096));
    DicomParseException limit = assertThrows(DicomParseException.class, in::readDataset);
    assertTrue(limit.reason().contains("limit"), limit.getMessage());
  }

  @Test
  void truncationIsReportedWithItsOffset() {
    byte[] data = simpleDataset(DicomBytes.explicitLE());
    byte[] cut = Arrays.copyOf(data, data.length - 1);
    assertThrows(DicomParseException.class, () -> read(cut));
    InputStream stream = new ByteArrayInputStream(cut);
    assertThrows(DicomParseException.class, () -> new DicomInputStream(stream).readDataset());
  }

  @Test
  void elementsMayNotOverrunTheirItem() {
    DicomBytes b = DicomBytes.explicitLE();
    b.header(Tag.AnatomicRegionSequence, "SQ", 0xFFFFFFFFL)
        .item(4)
        .string(Tag.CodeValue, "SH", "T-1")
        .itemDelimiter()
        .sequenceDelimiter();
    assertThrows(DicomParseException.class, () -> read(b.bytes()));
  }

  @Test
  void nestingIsBounded() {
    DicomBytes b = DicomBytes.explicitLE();
    for (int i = 0; i < 100; i++) {
      b.header(Tag.ContentSequence, "SQ", 0xFFFFFFFFL).item(0xFFFFFFFFL);
    }
    DicomParseException e = assertThrows(DicomParseException.class, () -> read(b.bytes()));
    assertTrue(e.reason().contains("nested"), e.getMessage());
  }

  @Test
  void invalidVrAndStrayDelimiters() {
    byte[] badVr =
        DicomBytes.explicitLE()
            .us(Tag.Rows, 1)
            .tag(Tag.Columns)
            .raw((byte) 'x', (byte) 'y')
            .u16(0)
            .bytes();
    assertThrows(DicomParseException.class, () -> read(badVr));
    byte[] stray = DicomBytes.explicitLE().us(Tag.Rows, 1).sequenceDelimiter().bytes();
    assertThrows(DicomParseException.class, () -> read(stray));
  }
}
