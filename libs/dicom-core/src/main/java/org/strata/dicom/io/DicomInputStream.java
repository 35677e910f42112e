package org.strata.dicom.io;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Fragments;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.VR;
import org.strata.dicom.dict.ElementDictionary;

/**
 * Reads a DICOM file or bare data set (PS3.10, PS3.5) into {@link Attributes}.
 *
 * <p>Input forms: a Part 10 file (128-byte preamble, "DICM", file meta information group 0002 in
 * explicit VR little endian), a file meta group without the preamble, or a bare data set, whose
 * encoding (implicit or explicit VR, little or big endian) is guessed from its first element.
 * Transfer syntaxes: implicit VR LE, explicit VR LE and BE, deflated explicit VR LE; every other
 * one is read as explicit VR LE with encapsulated pixel data.
 *
 * <p>Safety: every length is checked against the enclosing item or sequence and against the end of
 * input when its size is known; values above {@link ReadOptions#maxValueLength()} are refused
 * before any allocation; nesting deeper than {@link ReadOptions#maxDepth()} is refused; every loop
 * consumes input, so a parse ends on any input. All malformed input ends in {@link
 * DicomParseException}; an {@link IOException} means the source itself failed.
 *
 * <pre>{@code
 * try (var in = DicomInputStream.open(path, ReadOptions.DEFAULTS.withStopBeforeTag(Tag.PixelData))) {
 *   Attributes ds = in.readDataset();
 *   ElementHeader pixelData = in.readHeader(); // null if the file has no pixel data
 * }
 * }</pre>
 */
public final class DicomInputStream implements Closeable {

  private record Codec(boolean explicitVR, boolean bigEndian) {}

  private static final Codec IMPLICIT_LE = new Codec(false, false);
  private static final Codec EXPLICIT_LE = new Codec(true, false);

  private final InputStream source;
  private final ReadOptions options;
  private final String bulkDataUri;
  private final ElementDictionary dictionary = ElementDictionary.standard();
  private ByteInput in;
  private Inflater inflater;
  private boolean started;
  private boolean datasetRead;
  private boolean stopped;
  private boolean offsetsInSource = true;
  private Attributes fileMetaInformation;
  private TransferSyntax transferSyntax;
  private Codec codec;

  public DicomInputStream(InputStream source) {
    this(source, ReadOptions.DEFAULTS);
  }

  public DicomInputStream(InputStream source, ReadOptions options) {
    this(source, options, -1, options.bulkDataUri());
  }

  private DicomInputStream(InputStream source, ReadOptions options, long length, String uri) {
    this.source = source;
    this.options = options;
    this.bulkDataUri = uri;
    this.in = new ByteInput(source, 0, length);
  }

  /**
   * Opens a file; its size bounds every length, and bulk data references point to it unless the
   * options name another URI.
   */
  public static DicomInputStream open(Path path, ReadOptions options) throws IOException {
    String uri = options.bulkDataUri() != null ? options.bulkDataUri() : path.toUri().toString();
    return new DicomInputStream(Files.newInputStream(path), options, Files.size(path), uri);
  }

  /** Reads from memory; the array length bounds every length. */
  public static DicomInputStream of(byte[] data, ReadOptions options) {
    return new DicomInputStream(
        new ByteArrayInputStream(data), options, data.length, options.bulkDataUri());
  }

  /** Reads the whole data set of a file (file meta information available from the stream). */
  public static Attributes readFile(Path path) throws IOException {
    try (DicomInputStream in = open(path, ReadOptions.DEFAULTS)) {
      return in.readDataset();
    }
  }

  /** Offset of the next unread byte (in the inflated data for deflated transfer syntaxes). */
  public long position() {
    return in.position();
  }

  /** The file meta information (group 0002), or null if the input has none. */
  public Attributes readFileMetaInformation() throws IOException {
    start();
    return fileMetaInformation;
  }

  /** The transfer syntax of the data set: from the file meta information, else guessed. */
  public TransferSyntax transferSyntax() throws IOException {
    start();
    return transferSyntax;
  }

  /** True if {@link #readDataset()} ended at the element given by the stop-before option. */
  public boolean stoppedBeforeTag() {
    return stopped;
  }

  /**
   * Reads the data set (after the file meta information) to the end of input, or up to the
   * stop-before tag of the options.
   */
  public Attributes readDataset() throws IOException {
    start();
    if (datasetRead) {
      throw new IllegalStateException("data set already read");
    }
    datasetRead = true;
    Attributes dataset = new Attributes(codec.bigEndian(), null);
    readItem(dataset, codec, -1, 0, false, true);
    return dataset;
  }

  /**
   * Reads the next top-level element header, leaving the stream at its value: the way to go on
   * after a stop before a tag (e.g. to stream pixel data). Null at end of input.
   */
  public ElementHeader readHeader() throws IOException {
    start();
    if (in.atEnd()) {
      return null;
    }
    return readHeader(codec, null);
  }

  /** Reads {@code length} bytes of value after {@link #readHeader()}, within the value limit. */
  public byte[] readValue(long length) throws IOException {
    checkLength(length, in.position());
    return in.readBytes((int) length);
  }

  /**
   * The next {@code length} value bytes after {@link #readHeader()} as a stream read in 64 KiB
   * chunks (each within the value limit), so that a large value is copied without being held;
   * parsing goes on after it once it is read to its end.
   */
  public InputStream valueStream(long length) {
    return new ValueStream(length);
  }

  /** A value of known length read in chunks. */
  private final class ValueStream extends InputStream {
    private static final int CHUNK = 64 * 1024;
    private long left;
    private byte[] chunk = new byte[0];
    private int pos;

    ValueStream(long length) {
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos == chunk.length) {
        if (left == 0) {
          return -1;
        }
        chunk = readValue(Math.min(CHUNK, left));
        left -= chunk.length;
        pos = 0;
      }
      int n = Math.min(len, chunk.length - pos);
      System.arraycopy(chunk, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /**
   * The unread input as a stream, for callers that copy the rest (e.g. pixel data) themselves. This
   * stream must not be used for parsing afterwards.
   */
  public InputStream remaining() {
    return in.rest();
  }

  @Override
  public void close() throws IOException {
    try {
      source.close();
    } finally {
      if (inflater != null) {
        inflater.end();
      }
    }
  }

  // ---------------------------------------------------------------- detection

  private void start() throws IOException {
    if (started) {
      return;
    }
    started = true;
    in.ensure(132);
    if (in.available() >= 132 && isDicm(128)) {
      in.skip(132);
      readMeta();
    } else if (in.available() >= 4 && isDicm(0)) {
      in.skip(4);
      readMeta();
    } else if (in.available() >= 2 && in.peek(0) == 0x02 && in.peek(1) == 0x00) {
      readMeta();
    }
    String tsuid =
        fileMetaInformation == null ? null : fileMetaInformation.getString(Tag.TransferSyntaxUID);
    transferSyntax = tsuid == null ? guessEncoding() : TransferSyntax.of(tsuid);
    codec = new Codec(transferSyntax.explicitVR(), transferSyntax.bigEndian());
    if (transferSyntax.deflated()) {
      // Raw deflate (no zlib header, PS3.5 A.5): positions now count in the inflated data.
      inflater = new Inflater(true);
      in = new ByteInput(new InflaterInputStream(in.rest(), inflater, 8192), 0, -1);
      offsetsInSource = false;
    }
  }

  private boolean isDicm(int at) {
    return in.peek(at) == 'D'
        && in.peek(at + 1) == 'I'
        && in.peek(at + 2) == 'C'
        && in.peek(at + 3) == 'M';
  }

  /** Group 0002 is explicit VR little endian; it ends at the first tag of another group. */
  private void readMeta() throws IOException {
    fileMetaInformation = new Attributes(false, null);
    while (in.ensure(2) && in.peek(0) == 0x02 && in.peek(1) == 0x00) {
      ElementHeader h = readHeader(metaCodec(), fileMetaInformation);
      readValue(fileMetaInformation, h, EXPLICIT_LE, 0, -1);
    }
  }

  /** Some writers put the meta group in implicit VR: look at the VR bytes before trusting them. */
  private Codec metaCodec() throws IOException {
    return in.ensure(6) && VR.ofCode((in.peek(4) << 8) | in.peek(5)) == null
        ? IMPLICIT_LE
        : EXPLICIT_LE;
  }

  /**
   * No transfer syntax given: data sets start with a low group number, so the byte order that makes
   * the first group smaller wins, and a valid VR code after the tag means explicit VR.
   */
  private TransferSyntax guessEncoding() throws IOException {
    if (!in.ensure(6)) {
      return TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
    }
    int groupLE = in.peek(0) | (in.peek(1) << 8);
    int groupBE = (in.peek(0) << 8) | in.peek(1);
    boolean explicit = VR.ofCode((in.peek(4) << 8) | in.peek(5)) != null;
    if (explicit && groupBE < groupLE) {
      return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
    }
    return explicit
        ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN
        : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
  }

  // ---------------------------------------------------------------- parsing

  private int readTag(Codec c) throws IOException {
    int group = in.u16(c.bigEndian());
    int element = in.u16(c.bigEndian());
    return (group << 16) | element;
  }

  private ElementHeader readHeader(Codec c, Attributes context) throws IOException {
    long headerOffset = in.position();
    int tag = readTag(c);
    if (Tags.group(tag) == 0xFFFE) {
      // Items and delimiters have no VR in any transfer syntax (PS3.5 7.5).
      long length = in.u32(c.bigEndian());
      return new ElementHeader(tag, null, length, headerOffset, in.position());
    }
    VR vr;
    long length;
    if (c.explicitVR()) {
      int code = (in.u8() << 8) | in.u8();
      vr = VR.ofCode(code);
      if (vr == null) {
        throw new DicomParseException(
            headerOffset + 4,
            String.format(
                "invalid VR %02X%02X for %s", code >> 8, code & 0xFF, Tags.toString(tag)));
      }
      if (vr.explicitHeaderLength() == 12) {
        in.u16(c.bigEndian()); // reserved
        length = in.u32(c.bigEndian());
      } else {
        length = in.u16(c.bigEndian());
      }
    } else {
      vr = implicitVR(tag, context);
      length = in.u32(c.bigEndian());
    }
    return new ElementHeader(tag, vr, length, headerOffset, in.position());
  }

  /** The dictionary VR, with the choices PS3.5 leaves to context made as dcmtk makes them. */
  private VR implicitVR(int tag, Attributes context) {
    if (Tags.isGroupLength(tag)) {
      return VR.UL; // private groups too (PS3.5 7.2), as DCMTK reads them
    }
    List<VR> vrs = dictionary.vrsOf(tag);
    if (vrs.size() == 1) {
      return vrs.get(0);
    }
    if (vrs.contains(VR.OW)) {
      return VR.OW; // pixel data, overlays and LUTs are OW in implicit VR (PS3.5 A.1)
    }
    if (vrs.contains(VR.US) && vrs.contains(VR.SS)) {
      return pixelRepresentation(context) == 1 ? VR.SS : VR.US;
    }
    return vrs.get(0);
  }

  private static int pixelRepresentation(Attributes context) {
    for (Attributes a = context; a != null; a = a.parent()) {
      int pr = a.getInt(Tag.PixelRepresentation, -1);
      if (pr >= 0) {
        return pr;
      }
    }
    return 0;
  }

  /**
   * Reads elements into {@code item} until {@code end} (defined length), an item delimiter ({@code
   * undefinedItem}), or the end of input ({@code top}).
   */
  private void readItem(
      Attributes item, Codec c, long end, int depth, boolean undefinedItem, boolean top)
      throws IOException {
    while (true) {
      if (end >= 0) {
        long p = in.position();
        if (p == end) {
          return;
        }
        if (p > end) {
          throw new DicomParseException(p, "element runs past the end of its item");
        }
      } else if (top && in.atEnd()) {
        return;
      }
      if (top && options.stopBeforeTag() >= 0 && in.ensure(4)) {
        int tag =
            c.bigEndian()
                ? (in.peek(0) << 24) | (in.peek(1) << 16) | (in.peek(2) << 8) | in.peek(3)
                : (in.peek(1) << 24) | (in.peek(0) << 16) | (in.peek(3) << 8) | in.peek(2);
        if (Integer.toUnsignedLong(tag) >= options.stopBeforeTag()) {
          stopped = true;
          return;
        }
      }
      ElementHeader h = readHeader(c, item);
      if (h.tag() == Tags.ITEM_DELIMITATION && undefinedItem) {
        return;
      }
      if (Tags.group(h.tag()) == 0xFFFE) {
        throw new DicomParseException(
            h.headerOffset(), "unexpected " + Tags.toString(h.tag()) + " in a data set");
      }
      readValue(item, h, c, depth, end);
    }
  }

  private void readValue(Attributes item, ElementHeader h, Codec c, int depth, long end)
      throws IOException {
    if (!h.undefinedLength() && end >= 0 && h.valueOffset() + h.length() > end) {
      throw new DicomParseException(
          h.headerOffset(), Tags.toString(h.tag()) + " value runs past the end of its item");
    }
    boolean sequence =
        h.vr() == VR.SQ
            || (h.undefinedLength()
                && (c.explicitVR() ? h.vr() == VR.UN : h.tag() != Tag.PixelData));
    if (sequence) {
      // An undefined length UN is a sequence in implicit VR little endian (CP-246).
      Codec inner = h.vr() == VR.UN && c.explicitVR() ? IMPLICIT_LE : c;
      readSequence(item, h, inner, depth + 1);
    } else if (h.undefinedLength()) {
      // Encapsulated pixel data is OB (PS3.5 A.4), whatever the dictionary or the writer says.
      readFragments(item, withVR(h, VR.OB), c);
    } else {
      item.set(h.tag(), h.vr(), readOrReference(h.length(), h.valueOffset()), h.valueOffset());
    }
  }

  private static ElementHeader withVR(ElementHeader h, VR vr) {
    return new ElementHeader(h.tag(), vr, h.length(), h.headerOffset(), h.valueOffset());
  }

  private Object readOrReference(long length, long valueOffset) throws IOException {
    if (length == 0) {
      return null;
    }
    if (options.bulkDataThreshold() >= 0
        && length > options.bulkDataThreshold()
        && offsetsInSource) {
      in.skip(length);
      return new BulkDataRef(bulkDataUri, valueOffset, length);
    }
    checkLength(length, valueOffset);
    return in.readBytes((int) length);
  }

  private void checkLength(long length, long offset) {
    if (length > options.maxValueLength()) {
      throw new DicomParseException(
          offset, "value length " + length + " exceeds the limit of " + options.maxValueLength());
    }
  }

  private void readSequence(Attributes parent, ElementHeader h, Codec c, int depth)
      throws IOException {
    if (depth > options.maxDepth()) {
      throw new DicomParseException(
          h.headerOffset(), "sequences nested deeper than " + options.maxDepth());
    }
    Sequence sequence = new Sequence(parent);
    parent.set(h.tag(), VR.SQ, sequence, h.valueOffset());
    long end = h.undefinedLength() ? -1 : h.valueOffset() + h.length();
    while (true) {
      if (end >= 0) {
        long p = in.position();
        if (p == end) {
          return;
        }
        if (p > end) {
          // The last item ran past the sequence's defined length: DCMTK keeps such an item and
          // ends the sequence there (DICOMDIR writers that forget to update the length). An
          // enclosing item with a defined length still checks its own end.
          return;
        }
      }
      long offset = in.position();
      int tag = readTag(c);
      long length = in.u32(c.bigEndian());
      if (tag == Tags.SEQUENCE_DELIMITATION && end < 0) {
        return;
      }
      if (tag != Tags.ITEM) {
        throw new DicomParseException(
            offset,
            "expected an item in " + Tags.toString(h.tag()) + ", found " + Tags.toString(tag));
      }
      boolean undefined = length == ElementHeader.UNDEFINED;
      long itemEnd = undefined ? -1 : in.position() + length;
      // (Not itemEnd > position + remainingKnown: that overflows when the input size is unknown.)
      if (!undefined && length > in.remainingKnown()) {
        throw new DicomParseException(offset, "item runs past the end of input");
      }
      Attributes item = sequence.addItem(c.bigEndian());
      readItem(item, c, itemEnd, depth, undefined, false);
    }
  }

  /** Encapsulated pixel data: items (the first is the Basic Offset Table) up to a delimiter. */
  private void readFragments(Attributes parent, ElementHeader h, Codec c) throws IOException {
    Fragments fragments = new Fragments(h.vr(), c.bigEndian());
    parent.set(h.tag(), h.vr(), fragments, h.valueOffset());
    while (true) {
      long offset = in.position();
      int tag = readTag(c);
      long length = in.u32(c.bigEndian());
      if (tag == Tags.SEQUENCE_DELIMITATION) {
        return;
      }
      if (tag != Tags.ITEM || length == ElementHeader.UNDEFINED) {
        throw new DicomParseException(
            offset, "bad fragment " + Tags.toString(tag) + " in " + Tags.toString(h.tag()));
      }
      long valueOffset = in.position();
      Object value = readOrReference(length, valueOffset);
      fragments.add(value == null ? new byte[0] : value, valueOffset);
    }
  }
}
