package org.strata.dicom.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Fragments;
import org.strata.dicom.Tag;

/**
 * Where each frame of a stored object's pixel data is: per frame, the byte ranges (file offset,
 * length) that hold it, so that a frame can be served by range reads (WADO-RS frames from S3).
 *
 * <p>Native pixel data: one range per frame, {@code rows * columns * samples * bitsAllocated} bits
 * from the start of the value. When a frame is not a whole number of bytes (1-bit data, e.g.
 * segmentations, whose frames are packed without padding, PS3.5 8.1.1), frame k starts at bit
 * {@code k * frameBits}: its range covers the bytes that hold any of its bits and {@link
 * #bitOffset(int)} gives the bit (0-7, least significant first) of the first byte where it starts.
 * Byte order is the transfer syntax's: ranges are served as stored.
 *
 * <p>Encapsulated pixel data (one range per fragment of the frame, value bytes only, no item
 * headers): frames from the Extended Offset Table (7FE0,0001)/(7FE0,0002) when present, else from
 * the Basic Offset Table, else one fragment per frame when there are as many fragments as frames
 * (or all fragments for a single frame), else by codec markers at the start of fragments: JPEG
 * family SOI (FFD8, also JPEG-LS), JPEG 2000 codestream SOC+SIZ (FF4F FF51) or JP2 signature box.
 * When neither works (e.g. a codec without a start marker split into several fragments per frame
 * without offset table), {@link #of} fails: such objects need a decode pass to be indexed.
 *
 * <p>Offsets are in the stored file: a deflated object (offsets in the inflated stream) cannot be
 * indexed.
 *
 * <p>Serialized form ({@link #toBytes()}): "SFIX", version byte 1, flags byte (bit 0 encapsulated,
 * bit 1 bit offsets follow), then unsigned LEB128 varints: frame count; per frame the range count,
 * then per range the offset as a zigzag delta from the end of the previous range (of any frame; 0
 * at the start) and the length; then, if flagged, one byte per frame with its bit offset. About 5
 * bytes per frame: 10 KB for 2048 native frames of 512 KiB, less for small JPEG frames.
 */
public final class FrameIndex {

  private static final byte[] MAGIC = {'S', 'F', 'I', 'X'};

  private final boolean encapsulated;
  private final int[] firstRange; // frame k: ranges firstRange[k] .. firstRange[k+1]-1
  private final long[] offsets;
  private final long[] lengths;
  private final byte[] bitOffsets; // null unless some frame does not start on a byte

  private FrameIndex(
      boolean encapsulated, int[] firstRange, long[] offsets, long[] lengths, byte[] bitOffsets) {
    this.encapsulated = encapsulated;
    this.firstRange = firstRange;
    this.offsets = offsets;
    this.lengths = lengths;
    this.bitOffsets = bitOffsets;
  }

  /** One byte range of the stored object. */
  public record Range(long offset, long length) {}

  public boolean encapsulated() {
    return encapsulated;
  }

  public int frameCount() {
    return firstRange.length - 1;
  }

  /** The byte ranges of frame {@code frame} (0-based), in order. */
  public List<Range> ranges(int frame) {
    List<Range> out = new ArrayList<>();
    for (int r = firstRange[frame]; r < firstRange[frame + 1]; r++) {
      out.add(new Range(offsets[r], lengths[r]));
    }
    return out;
  }

  /** Bit of the first byte where frame {@code frame} starts (non-zero only for packed 1-bit). */
  public int bitOffset(int frame) {
    return bitOffsets == null ? 0 : bitOffsets[frame];
  }

  /** Indexes a file (read up to and including its pixel data headers; values are not loaded). */
  public static FrameIndex build(Path file) throws IOException {
    ReadOptions options = ReadOptions.DEFAULTS.withBulkData(4096, file.toUri().toString());
    try (DicomInputStream in = DicomInputStream.open(file, options);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      in.readFileMetaInformation();
      TransferSyntax ts = in.transferSyntax();
      Attributes ds = in.readDataset();
      return of(ds, ts, ch);
    }
  }

  /**
   * Indexes a data set read from {@code file} with its value offsets (bulk data references or
   * loaded values).
   *
   * @param file the stored object, to read offset tables and fragment starts left in it; may be
   *     null if they were loaded
   */
  public static FrameIndex of(Attributes ds, TransferSyntax ts, FileChannel file)
      throws IOException {
    if (ts.deflated()) {
      throw new IllegalArgumentException("a deflated object has no frame offsets in the file");
    }
    int frames = Math.max(1, ds.getInt(Tag.NumberOfFrames, 1));
    Fragments fragments = ds.getFragments(Tag.PixelData);
    if (fragments != null) {
      return encapsulated(ds, fragments, frames, file);
    }
    int tag = Tag.PixelData;
    for (int t : new int[] {Tag.PixelData, Tag.FloatPixelData, Tag.DoubleFloatPixelData}) {
      if (ds.contains(t)) {
        tag = t;
        break;
      }
    }
    if (!ds.contains(tag)) {
      throw new IllegalArgumentException("no pixel data");
    }
    return nativeFrames(ds, tag, frames);
  }

  private static FrameIndex nativeFrames(Attributes ds, int tag, int frames) {
    long start = ds.valueOffset(tag);
    Object v = ds.value(tag);
    long valueLength =
        v instanceof byte[] b ? b.length : v instanceof BulkDataRef r ? r.length() : 0;
    if (start < 0) {
      throw new IllegalArgumentException("pixel data offset unknown (not read from a file)");
    }
    int bits = ds.getInt(Tag.BitsAllocated, 0);
    if (tag == Tag.FloatPixelData) {
      bits = 32;
    } else if (tag == Tag.DoubleFloatPixelData) {
      bits = 64;
    }
    int rows = ds.getInt(Tag.Rows, 0);
    int columns = ds.getInt(Tag.Columns, 0);
    int samples = Math.max(1, ds.getInt(Tag.SamplesPerPixel, 1));
    long frameBits = nativeFrameBits(rows, columns, samples, bits);
    if (frameBits > 0 && (frames * frameBits + 7) / 8 > valueLength) {
      throw new DicomParseException(
          start,
          frames + " frames of " + frameBits + " bits do not fit in " + valueLength + " bytes");
    }
    return ofNative(start, valueLength, rows, columns, samples, bits, frames);
  }

  /**
   * The frame index of native pixel data from the attributes that describe it alone (ADR 0073: the
   * query service derives it from an instance's metadata instead of reading a stored one): frame
   * {@code k} starts {@code k * rows * columns * samplesPerPixel * bitsAllocated} bits after the
   * value's first byte. A frame is contiguous whatever the Planar Configuration (PS3.5 8.2: colour
   * planes are by frame, one after the other within it); frames of 1-bit data are packed without
   * padding (PS3.5 8.1.1), so one that does not start on a byte gets a {@link #bitOffset}.
   *
   * @param valueOffset where the Pixel Data value starts in the stored object
   * @param valueLength the value's length in bytes (with its padding to an even length)
   * @throws IllegalArgumentException when an attribute is missing or out of range, or the frames do
   *     not fit in the value
   */
  public static FrameIndex ofNative(
      long valueOffset,
      long valueLength,
      int rows,
      int columns,
      int samplesPerPixel,
      int bitsAllocated,
      int frames) {
    long frameBits = nativeFrameBits(rows, columns, samplesPerPixel, bitsAllocated);
    if (frameBits <= 0) {
      throw new IllegalArgumentException("rows, columns or bits allocated missing");
    }
    if (valueOffset < 0 || frames < 1) {
      throw new IllegalArgumentException("no pixel data value offset or no frame");
    }
    if ((frames * frameBits + 7) / 8 > valueLength) {
      throw new IllegalArgumentException(
          frames + " frames of " + frameBits + " bits do not fit in " + valueLength + " bytes");
    }
    int[] first = new int[frames + 1];
    long[] offsets = new long[frames];
    long[] lengths = new long[frames];
    byte[] bitOffsets = frameBits % 8 == 0 ? null : new byte[frames];
    for (int k = 0; k < frames; k++) {
      long bit = k * frameBits;
      first[k + 1] = k + 1;
      offsets[k] = valueOffset + bit / 8;
      lengths[k] = (bit % 8 + frameBits + 7) / 8;
      if (bitOffsets != null) {
        bitOffsets[k] = (byte) (bit % 8);
      }
    }
    return new FrameIndex(false, first, offsets, lengths, bitOffsets);
  }

  /** Bits of one native frame; 0 when an attribute is missing or not positive. */
  private static long nativeFrameBits(int rows, int columns, int samples, int bitsAllocated) {
    if (rows <= 0 || columns <= 0 || samples <= 0 || bitsAllocated <= 0) {
      return 0;
    }
    return (long) rows * columns * samples * bitsAllocated;
  }

  private static FrameIndex encapsulated(Attributes ds, Fragments f, int frames, FileChannel file)
      throws IOException {
    int n = f.size() - 1; // fragment 0 is the Basic Offset Table
    if (n < 1) {
      throw new IllegalArgumentException("encapsulated pixel data without fragments");
    }
    long base = f.offset(1) - 8; // offset of the first fragment's item tag
    long[] itemOffsets = new long[n];
    for (int k = 0; k < n; k++) {
      itemOffsets[k] = f.offset(k + 1) - 8 - base;
    }
    int[] startFragment = new int[frames + 1];
    startFragment[frames] = n;
    byte[] eot = bytes(ds.value(Tag.ExtendedOffsetTable), file);
    byte[] eotLengths = bytes(ds.value(Tag.ExtendedOffsetTableLengths), file);
    byte[] bot = bytes(f.get(0), file);
    if (eot != null && eot.length >= 8L * frames && eotLengths != null) {
      // Each frame is one fragment (PS3.5 A.4): offset of its item, length of its data.
      ByteBuffer o = ByteBuffer.wrap(eot).order(ByteOrder.LITTLE_ENDIAN);
      ByteBuffer l = ByteBuffer.wrap(eotLengths).order(ByteOrder.LITTLE_ENDIAN);
      int[] first = new int[frames + 1];
      long[] offsets = new long[frames];
      long[] lengths = new long[frames];
      for (int k = 0; k < frames; k++) {
        long itemOffset = o.getLong(8 * k);
        int fragment = Arrays.binarySearch(itemOffsets, itemOffset);
        if (fragment < 0) {
          throw new DicomParseException(
              f.offset(0), "extended offset " + itemOffset + " is no item");
        }
        first[k + 1] = k + 1;
        offsets[k] = f.offset(fragment + 1);
        lengths[k] = Math.min(l.getLong(8 * k), f.length(fragment + 1));
      }
      return new FrameIndex(true, first, offsets, lengths, null);
    }
    if (bot != null && bot.length >= 4L * frames) {
      ByteBuffer b = ByteBuffer.wrap(bot).order(ByteOrder.LITTLE_ENDIAN);
      for (int k = 0; k < frames; k++) {
        long offset = b.getInt(4 * k) & 0xFFFFFFFFL;
        int fragment = Arrays.binarySearch(itemOffsets, offset);
        if (fragment < 0 || (k > 0 && fragment <= startFragment[k - 1])) {
          throw new DicomParseException(f.offset(0), "basic offset " + offset + " is no item");
        }
        startFragment[k] = fragment;
      }
      if (startFragment[0] != 0) {
        throw new DicomParseException(f.offset(0), "first basic offset is not 0");
      }
    } else if (frames == 1) {
      startFragment[0] = 0;
    } else if (n == frames) {
      for (int k = 0; k < frames; k++) {
        startFragment[k] = k;
      }
    } else {
      int found = 0;
      for (int k = 0; k < n && found <= frames; k++) {
        if (startsFrame(head(f, k + 1, file))) {
          if (found < frames) {
            startFragment[found] = k;
          }
          found++;
        }
      }
      if (found != frames || startFragment[0] != 0) {
        throw new IllegalArgumentException(
            frames
                + " frames in "
                + n
                + " fragments without offset table, and codec markers start "
                + found
                + " of them: cannot index without decoding");
      }
    }
    int[] first = new int[frames + 1];
    long[] offsets = new long[n];
    long[] lengths = new long[n];
    for (int k = 0; k < n; k++) {
      offsets[k] = f.offset(k + 1);
      lengths[k] = f.length(k + 1);
    }
    System.arraycopy(startFragment, 0, first, 0, frames + 1);
    return new FrameIndex(true, first, offsets, lengths, null);
  }

  private static boolean startsFrame(byte[] h) {
    if (h.length >= 2 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8) {
      return true; // JPEG SOI: baseline, extended, lossless, JPEG-LS
    }
    if (h.length >= 4
        && (h[0] & 0xFF) == 0xFF
        && (h[1] & 0xFF) == 0x4F
        && (h[2] & 0xFF) == 0xFF
        && (h[3] & 0xFF) == 0x51) {
      return true; // JPEG 2000 codestream SOC + SIZ
    }
    return h.length >= 8
        && h[0] == 0
        && h[1] == 0
        && h[2] == 0
        && h[3] == 0x0C
        && h[4] == 'j'
        && h[5] == 'P'; // JP2 signature box
  }

  private static byte[] head(Fragments f, int index, FileChannel file) throws IOException {
    Object v = f.get(index);
    if (v instanceof byte[] b) {
      return Arrays.copyOf(b, Math.min(8, b.length));
    }
    BulkDataRef r = (BulkDataRef) v;
    return read(file, r.offset(), (int) Math.min(8, r.length()));
  }

  private static byte[] bytes(Object v, FileChannel file) throws IOException {
    if (v instanceof byte[] b) {
      return b;
    }
    if (v instanceof BulkDataRef r) {
      if (file == null || r.length() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("offset table not loaded and no file to read it");
      }
      return read(file, r.offset(), (int) r.length());
    }
    return null;
  }

  private static byte[] read(FileChannel file, long offset, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (file.read(buf, offset + buf.position()) < 0) {
        throw new java.io.EOFException("file ends at " + (offset + buf.position()));
      }
    }
    return buf.array();
  }

  // ---------------------------------------------------------------- serialized form

  /** The compact binary form described in the class comment. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(MAGIC);
    out.write(1);
    out.write((encapsulated ? 1 : 0) | (bitOffsets != null ? 2 : 0));
    varint(out, frameCount());
    long end = 0;
    for (int k = 0; k < frameCount(); k++) {
      varint(out, firstRange[k + 1] - firstRange[k]);
      for (int r = firstRange[k]; r < firstRange[k + 1]; r++) {
        long delta = offsets[r] - end;
        varint(out, (delta << 1) ^ (delta >> 63));
        varint(out, lengths[r]);
        end = offsets[r] + lengths[r];
      }
    }
    if (bitOffsets != null) {
      out.writeBytes(bitOffsets);
    }
    return out.toByteArray();
  }

  /** Reads {@link #toBytes()}; malformed input gives {@link DicomParseException}. */
  public static FrameIndex fromBytes(byte[] data) {
    ByteBuffer in = ByteBuffer.wrap(data);
    try {
      byte[] magic = new byte[4];
      in.get(magic);
      if (!Arrays.equals(magic, MAGIC) || in.get() != 1) {
        throw new DicomParseException(0, "not a frame index (version 1)");
      }
      int flags = in.get();
      int frames = (int) readVarint(in, data.length); // each frame takes a byte at least
      int[] first = new int[frames + 1];
      List<long[]> ranges = new ArrayList<>();
      long end = 0;
      for (int k = 0; k < frames; k++) {
        int count = (int) readVarint(in, data.length);
        first[k + 1] = first[k] + count;
        for (int r = 0; r < count; r++) {
          long z = readVarint(in, Long.MAX_VALUE);
          long offset = end + ((z >>> 1) ^ -(z & 1));
          long length = readVarint(in, Long.MAX_VALUE);
          ranges.add(new long[] {offset, length});
          end = offset + length;
        }
      }
      byte[] bits = null;
      if ((flags & 2) != 0) {
        bits = new byte[frames];
        in.get(bits);
      }
      long[] offsets = ranges.stream().mapToLong(r -> r[0]).toArray();
      long[] lengths = ranges.stream().mapToLong(r -> r[1]).toArray();
      return new FrameIndex((flags & 1) != 0, first, offsets, lengths, bits);
    } catch (java.nio.BufferUnderflowException | NegativeArraySizeException e) {
      throw new DicomParseException(in.position(), "truncated frame index");
    }
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static long readVarint(ByteBuffer in, long max) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.get() & 0xFF;
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (v < 0 || v > max) {
          throw new DicomParseException(in.position(), "value out of range in frame index");
        }
        return v;
      }
    }
    throw new DicomParseException(in.position(), "varint too long in frame index");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FrameIndex x
        && x.encapsulated == encapsulated
        && Arrays.equals(x.firstRange, firstRange)
        && Arrays.equals(x.offsets, offsets)
        && Arrays.equals(x.lengths, lengths)
        && Arrays.equals(x.bitOffsets, bitOffsets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(offsets) * 31 + Arrays.hashCode(firstRange);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(encapsulated ? "encapsulated" : "native");
    for (int k = 0; k < frameCount(); k++) {
      sb.append(" #").append(k).append(ranges(k));
    }
    return sb.toString();
  }
}
