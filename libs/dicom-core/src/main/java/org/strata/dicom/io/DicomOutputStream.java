package org.strata.dicom.io;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.ByteSwap;
import org.strata.dicom.Fragments;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.VR;

/**
 * Writes DICOM files (PS3.10) and bare data sets (PS3.5) in any uncompressed transfer syntax
 * (implicit VR LE, explicit VR LE, explicit VR BE), deflated explicit VR LE, and the encapsulated
 * (compressed) ones, whose pixel data must then already be {@link Fragments}.
 *
 * <p>Values keep the VR of the model: writing in implicit VR drops it from the wire (a reader takes
 * it from the dictionary again), writing in explicit VR writes it. Binary values are byte swapped
 * per VR unit (2 for US, SS, OW, AT; 4 for UL, SL, FL, OF, OL; 8 for FD, OD, OV, SV, UV) when the
 * byte order of the item they come from differs from the transfer syntax's; OB and UN are never
 * swapped. Odd-length values get the VR's padding byte (space for text, NUL otherwise). A value of
 * a VR with a 16-bit length field that is longer than 65534 bytes is written as UN (PS3.5 6.2.2).
 *
 * <p>Group 0002 of a data set is never written with it (it belongs to the file meta information).
 * Group length elements of other groups are kept with a value recomputed for the encoding, or
 * removed ({@link WriteOptions#removeGroupLengths()}).
 *
 * <p>Streaming large objects: write the header with {@link #writeDataset(Attributes, int)} up to
 * Pixel Data, then {@link #writeHeader} and {@link #copyValue} (native) or {@link #writeFragment}
 * and {@link #writeSequenceDelimiter()} (encapsulated), then {@link #finish()} or {@link #close()}.
 *
 * <pre>{@code
 * DicomOutputStream.writeFile(path, fmiOrNull, dataset, UID.ExplicitVRLittleEndian);
 * }</pre>
 */
public final class DicomOutputStream implements Closeable {

  /**
   * Strata's Implementation Class UID (0002,0012): a UUID-derived UID (PS3.5 B.2, root "2.25."
   * followed by the decimal form of the 128-bit UUID 11318e19-dc39-4ff6-be40-c002ac5b906e), needs
   * no registered root.
   */
  public static final String IMPLEMENTATION_CLASS_UID =
      "2.25.22854180625435546337945660893540618350";

  /** Implementation Version Name (0002,0013). */
  public static final String IMPLEMENTATION_VERSION_NAME = "STRATA_0.1";

  private static final int UNDEFINED = -1;

  private final OutputStream target;
  private final WriteOptions options;
  private final TransferSyntax ts;
  private OutputStream out;
  private final OutputStream base;
  private Deflater deflater;
  private DeflaterOutputStream deflaterStream;
  private boolean datasetStarted;
  private boolean finished;
  private final byte[] header = new byte[12];
  private byte[] chunk;

  /**
   * @param out where the bytes go (buffered here, no need to buffer it)
   * @param transferSyntaxUid the transfer syntax of the data set
   */
  public DicomOutputStream(OutputStream out, String transferSyntaxUid) {
    this(out, transferSyntaxUid, WriteOptions.DEFAULTS);
  }

  public DicomOutputStream(OutputStream out, String transferSyntaxUid, WriteOptions options) {
    this.target = out;
    this.options = options;
    this.ts = TransferSyntax.of(transferSyntaxUid);
    this.base = new BufferedOutputStream(out, 64 * 1024);
    this.out = base;
  }

  public TransferSyntax transferSyntax() {
    return ts;
  }

  /** Writes {@code dataset} as a Part 10 file in {@code transferSyntaxUid}. */
  public static void writeFile(
      Path path, Attributes previousFmi, Attributes dataset, String transferSyntaxUid)
      throws IOException {
    writeFile(path, previousFmi, dataset, transferSyntaxUid, WriteOptions.DEFAULTS);
  }

  /**
   * Writes {@code dataset} as a Part 10 file: file meta information built by {@link
   * #fileMetaInformation}, then the data set.
   */
  public static void writeFile(
      Path path,
      Attributes previousFmi,
      Attributes dataset,
      String transferSyntaxUid,
      WriteOptions options)
      throws IOException {
    try (DicomOutputStream out =
        new DicomOutputStream(Files.newOutputStream(path), transferSyntaxUid, options)) {
      out.writeFileMetaInformation(fileMetaInformation(dataset, previousFmi, transferSyntaxUid));
      out.writeDataset(dataset);
    }
  }

  /** Encodes a bare data set (no preamble, no file meta information) into a byte array. */
  public static byte[] encode(Attributes dataset, String transferSyntaxUid, WriteOptions options)
      throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (DicomOutputStream out = new DicomOutputStream(bytes, transferSyntaxUid, options)) {
      out.writeDataset(dataset);
    }
    return bytes.toByteArray();
  }

  /**
   * File meta information for {@code dataset}: version 00\01, Media Storage SOP Class and Instance
   * UIDs from the data set's SOP Class and Instance UIDs (else from {@code previous}, e.g. for a
   * DICOMDIR), the transfer syntax, Strata's implementation class UID and version name. Other
   * elements of {@code previous} (source AE title, private information...) are kept.
   *
   * @param previous the file meta information the data set was read with, or null
   */
  public static Attributes fileMetaInformation(
      Attributes dataset, Attributes previous, String transferSyntaxUid) {
    Attributes fmi = new Attributes();
    if (previous != null) {
      for (int i = 0; i < previous.size(); i++) {
        int tag = previous.tagAt(i);
        Object v = previous.valueAt(i);
        if (Tags.group(tag) == 0x0002 && (v == null || v instanceof byte[])) {
          fmi.set(tag, previous.vrAt(i), previous.valueAt(i));
        }
      }
      fmi.remove(Tag.FileMetaInformationGroupLength);
    }
    fmi.set(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
    setUid(fmi, Tag.MediaStorageSOPClassUID, dataset.getBytes(Tag.SOPClassUID));
    setUid(fmi, Tag.MediaStorageSOPInstanceUID, dataset.getBytes(Tag.SOPInstanceUID));
    fmi.setString(Tag.TransferSyntaxUID, VR.UI, transferSyntaxUid);
    fmi.setString(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
    fmi.setString(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION_NAME);
    return fmi;
  }

  private static void setUid(Attributes fmi, int tag, byte[] value) {
    if (value != null && value.length > 0) {
      fmi.set(tag, VR.UI, value.clone());
    }
  }

  /**
   * Writes the 128-byte preamble (zeros), "DICM" and {@code fmi} in explicit VR little endian, with
   * (0002,0000) computed. Must come first. Its Transfer Syntax UID should be this stream's.
   */
  public void writeFileMetaInformation(Attributes fmi) throws IOException {
    if (datasetStarted) {
      throw new IllegalStateException("file meta information must be written first");
    }
    out.write(new byte[128]);
    out.write("DICM".getBytes(StandardCharsets.US_ASCII));
    long length = 0;
    for (int i = 0; i < fmi.size(); i++) {
      int tag = fmi.tagAt(i);
      if (tag != Tag.FileMetaInformationGroupLength) {
        length += elementLength(tag, fmi.vrAt(i), fmi.valueAt(i), true);
      }
    }
    writeHeaderRaw(Tag.FileMetaInformationGroupLength, VR.UL, 4, true, false);
    writeU32((int) length, false);
    for (int i = 0; i < fmi.size(); i++) {
      int tag = fmi.tagAt(i);
      if (tag != Tag.FileMetaInformationGroupLength) {
        writeElement(tag, fmi.vrAt(i), fmi.valueAt(i), fmi.bigEndian(), true, false);
      }
    }
  }

  /** Writes the whole data set (group 0002 left out). */
  public void writeDataset(Attributes dataset) throws IOException {
    writeElements(dataset, 0x00000000, 0xFFFFFFFF, true);
  }

  /**
   * Writes the top-level elements whose tag is before {@code stopBeforeTag} (unsigned), e.g. {@link
   * Tag#PixelData} to stream the pixel data afterwards with {@link #writeHeader} and {@link
   * #copyValue}.
   */
  public void writeDataset(Attributes dataset, int stopBeforeTag) throws IOException {
    if (stopBeforeTag != 0) {
      writeElements(dataset, 0x00000000, stopBeforeTag - 1, true);
    }
  }

  /** Writes the top-level elements from {@code fromTag} to {@code toTag} inclusive (unsigned). */
  public void writeElements(Attributes dataset, int fromTag, int toTag, boolean top)
      throws IOException {
    startDataset();
    writeItemContent(dataset, top, fromTag, toTag);
  }

  /**
   * Writes the header of an element whose value the caller writes next ({@link #copyValue}, or
   * fragments for {@code length == -1}, undefined). An odd length is rounded up: {@link #copyValue}
   * adds the padding byte.
   */
  public void writeHeader(int tag, VR vr, long length) throws IOException {
    startDataset();
    if (length == UNDEFINED && tag == Tag.PixelData && !ts.encapsulated()) {
      throw encapsulatedError();
    }
    if (length > 0xFFFFFFFEL) {
      throw new IllegalArgumentException("value too long for DICOM: " + length);
    }
    long even = length == UNDEFINED ? UNDEFINED : length + (length & 1);
    VR wire = vr;
    if (ts.explicitVR() && vr.explicitHeaderLength() == 8 && even > 0xFFFF) {
      wire = VR.UN;
    }
    writeHeaderRaw(tag, wire, even, ts.explicitVR(), ts.bigEndian());
  }

  /**
   * Copies {@code length} value bytes from {@code in}, swapping per {@code vr}'s unit when {@code
   * sourceBigEndian} differs from the transfer syntax, and pads an odd length.
   */
  public void copyValue(InputStream in, long length, VR vr, boolean sourceBigEndian)
      throws IOException {
    int unit = swapUnit(vr, sourceBigEndian, ts.bigEndian());
    if (chunk == null) {
      chunk = new byte[64 * 1024];
    }
    long left = length;
    while (left > 0) {
      int n = (int) Math.min(chunk.length, left);
      int read = in.readNBytes(chunk, 0, n);
      if (read < n) {
        throw new EOFException("value ends after " + (length - left + read) + " of " + length);
      }
      if (unit > 1) {
        swap(chunk, 0, n - n % unit, unit);
      }
      out.write(chunk, 0, n);
      left -= n;
    }
    if ((length & 1) != 0) {
      out.write(vr.paddingByte());
    }
  }

  /** Writes one fragment item of encapsulated pixel data (after a header of undefined length). */
  public void writeFragment(byte[] value) throws IOException {
    writeItemHeader(value.length + (value.length & 1));
    out.write(value);
    if ((value.length & 1) != 0) {
      out.write(0);
    }
  }

  /** Writes an item header (FFFE,E000) with {@code length}, -1 for undefined. */
  public void writeItemHeader(long length) throws IOException {
    writeDelimiter(Tags.ITEM, length, ts.bigEndian());
  }

  /** Writes a sequence delimitation item (FFFE,E0DD), ending fragments or a sequence. */
  public void writeSequenceDelimiter() throws IOException {
    writeDelimiter(Tags.SEQUENCE_DELIMITATION, 0, ts.bigEndian());
  }

  /** Flushes everything and ends the deflate stream; the target stays open. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    out.flush();
    if (deflaterStream != null) {
      deflaterStream.finish();
      base.flush();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      finish();
    } finally {
      try {
        target.close();
      } finally {
        if (deflater != null) {
          deflater.end();
        }
      }
    }
  }

  // ---------------------------------------------------------------- encoding

  private void startDataset() {
    if (datasetStarted) {
      return;
    }
    datasetStarted = true;
    if (ts.deflated()) {
      deflater = new Deflater(options.deflateLevel(), true);
      // The buffered stream holds the file meta information: the deflater writes behind it.
      deflaterStream = new DeflaterOutputStream(base, deflater, 64 * 1024);
      out = new BufferedOutputStream(deflaterStream, 64 * 1024);
    }
  }

  private IllegalArgumentException encapsulatedError() {
    return new IllegalArgumentException(
        "encapsulated pixel data needs an encapsulated (compressed) transfer syntax, not "
            + ts.uid()
            + ": decompress it first");
  }

  private void writeItemContent(Attributes item, boolean top, int fromTag, int toTag)
      throws IOException {
    boolean explicit = ts.explicitVR();
    boolean big = ts.bigEndian();
    for (int i = 0; i < item.size(); i++) {
      int tag = item.tagAt(i);
      if (Integer.compareUnsigned(tag, fromTag) < 0 || Integer.compareUnsigned(tag, toTag) > 0) {
        continue;
      }
      if (top && Tags.group(tag) == 0x0002) {
        continue;
      }
      if (Tags.isGroupLength(tag)) {
        if (!options.removeGroupLengths()) {
          writeHeaderRaw(tag, VR.UL, 4, explicit, big);
          writeU32((int) groupLength(item, Tags.group(tag), explicit), big);
        }
        continue;
      }
      writeElement(tag, item.vrAt(i), item.valueAt(i), item.bigEndian(), explicit, big);
    }
  }

  private void writeElement(
      int tag, VR vr, Object value, boolean sourceBig, boolean explicit, boolean big)
      throws IOException {
    if (value instanceof Sequence seq) {
      boolean undefined = options.undefinedLengthSequences();
      long length = undefined ? UNDEFINED : sequenceContentLength(seq, explicit);
      writeHeaderRaw(tag, VR.SQ, length, explicit, big);
      for (Attributes item : seq) {
        writeDelimiter(Tags.ITEM, undefined ? UNDEFINED : itemContentLength(item, explicit), big);
        writeItemContent(item, false, 0, 0xFFFFFFFF);
        if (undefined) {
          writeDelimiter(Tags.ITEM_DELIMITATION, 0, big);
        }
      }
      if (undefined) {
        writeDelimiter(Tags.SEQUENCE_DELIMITATION, 0, big);
      }
    } else if (value instanceof Fragments f) {
      if (!ts.encapsulated()) {
        throw encapsulatedError();
      }
      writeHeaderRaw(tag, VR.OB, UNDEFINED, explicit, big);
      for (int k = 0; k < f.size(); k++) {
        Object frag = f.get(k);
        long n = f.length(k);
        writeDelimiter(Tags.ITEM, n + (n & 1), big);
        if (frag instanceof byte[] b) {
          out.write(b);
          if ((n & 1) != 0) {
            out.write(0);
          }
        } else {
          copyBulk((BulkDataRef) frag, VR.OB, false);
        }
      }
      writeDelimiter(Tags.SEQUENCE_DELIMITATION, 0, big);
    } else if (value instanceof BulkDataRef ref) {
      long n = ref.length();
      writeHeaderRaw(tag, wireVR(vr, n + (n & 1), explicit), n + (n & 1), explicit, big);
      copyBulk(ref, vr, sourceBig);
    } else {
      byte[] b = value == null ? new byte[0] : (byte[]) value;
      int n = b.length;
      writeHeaderRaw(tag, wireVR(vr, n + (n & 1), explicit), n + (n & 1), explicit, big);
      int unit = swapUnit(vr, sourceBig, big);
      if (unit > 1 && n >= unit) {
        byte[] copy = b.clone();
        swap(copy, 0, n - n % unit, unit);
        out.write(copy);
      } else {
        out.write(b);
      }
      if ((n & 1) != 0) {
        out.write(vr.paddingByte());
      }
    }
  }

  private void copyBulk(BulkDataRef ref, VR vr, boolean sourceBig) throws IOException {
    try (InputStream in = options.bulkDataSource().open(ref)) {
      copyValue(in, ref.length(), vr, sourceBig);
    }
  }

  /** VRs with a 16-bit length that cannot hold the value become UN (PS3.5 6.2.2 note). */
  private static VR wireVR(VR vr, long evenLength, boolean explicit) {
    return explicit && vr.explicitHeaderLength() == 8 && evenLength > 0xFFFF ? VR.UN : vr;
  }

  /** The swap unit for a value of {@code vr} going from one byte order to another, 1 for none. */
  static int swapUnit(VR vr, boolean fromBig, boolean toBig) {
    if (fromBig == toBig || !vr.isBinary()) {
      return 1;
    }
    return vr.unitSize();
  }

  static void swap(byte[] b, int off, int len, int unit) {
    ByteSwap.inPlace(b, off, len, unit);
  }

  // ---------------------------------------------------------------- lengths

  private long groupLength(Attributes item, int group, boolean explicit) {
    long length = 0;
    for (int i = 0; i < item.size(); i++) {
      int tag = item.tagAt(i);
      if (Tags.group(tag) == group && !Tags.isGroupLength(tag)) {
        length += elementLength(tag, item.vrAt(i), item.valueAt(i), explicit);
      }
    }
    return length;
  }

  private long itemContentLength(Attributes item, boolean explicit) {
    long length = 0;
    for (int i = 0; i < item.size(); i++) {
      int tag = item.tagAt(i);
      if (Tags.isGroupLength(tag)) {
        if (!options.removeGroupLengths()) {
          length += 12; // 8 header + 4 value in both encodings
        }
        continue;
      }
      length += elementLength(tag, item.vrAt(i), item.valueAt(i), explicit);
    }
    return length;
  }

  private long sequenceContentLength(Sequence seq, boolean explicit) {
    boolean undefined = options.undefinedLengthSequences();
    long length = 0;
    for (Attributes item : seq) {
      length += 8 + itemContentLength(item, explicit) + (undefined ? 8 : 0);
    }
    return length;
  }

  /** Bytes the element takes on the wire: header and (padded) value. */
  private long elementLength(int tag, VR vr, Object value, boolean explicit) {
    if (value instanceof Sequence seq) {
      boolean undefined = options.undefinedLengthSequences();
      return (explicit ? 12 : 8) + sequenceContentLength(seq, explicit) + (undefined ? 8 : 0);
    }
    if (value instanceof Fragments f) {
      long length = (explicit ? 12 : 8) + 8;
      for (int k = 0; k < f.size(); k++) {
        long n = f.length(k);
        length += 8 + n + (n & 1);
      }
      return length;
    }
    long n =
        value == null ? 0 : value instanceof byte[] b ? b.length : ((BulkDataRef) value).length();
    n += n & 1;
    return (explicit ? wireVR(vr, n, true).explicitHeaderLength() : 8) + n;
  }

  // ---------------------------------------------------------------- primitives

  private void writeHeaderRaw(int tag, VR vr, long length, boolean explicit, boolean big)
      throws IOException {
    putU16(0, tag >>> 16, big);
    putU16(2, tag & 0xFFFF, big);
    if (!explicit) {
      putU32(4, (int) length, big);
      out.write(header, 0, 8);
      return;
    }
    header[4] = (byte) (vr.code() >> 8);
    header[5] = (byte) vr.code();
    if (vr.explicitHeaderLength() == 12) {
      header[6] = 0;
      header[7] = 0;
      putU32(8, (int) length, big);
      out.write(header, 0, 12);
    } else {
      if (length > 0xFFFF || length < 0) {
        throw new IllegalArgumentException(
            Tags.toString(tag) + " " + vr + ": length " + length + " needs a 32-bit length field");
      }
      putU16(6, (int) length, big);
      out.write(header, 0, 8);
    }
  }

  private void writeDelimiter(int tag, long length, boolean big) throws IOException {
    putU16(0, tag >>> 16, big);
    putU16(2, tag & 0xFFFF, big);
    putU32(4, (int) length, big);
    out.write(header, 0, 8);
  }

  private void writeU32(int v, boolean big) throws IOException {
    putU32(0, v, big);
    out.write(header, 0, 4);
  }

  private void putU16(int at, int v, boolean big) {
    if (big) {
      header[at] = (byte) (v >> 8);
      header[at + 1] = (byte) v;
    } else {
      header[at] = (byte) v;
      header[at + 1] = (byte) (v >> 8);
    }
  }

  private void putU32(int at, int v, boolean big) {
    if (big) {
      putU16(at, v >>> 16, true);
      putU16(at + 2, v, true);
    } else {
      putU16(at, v, false);
      putU16(at + 2, v >>> 16, false);
    }
  }
}
