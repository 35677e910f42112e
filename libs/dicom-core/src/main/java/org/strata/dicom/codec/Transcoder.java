package org.strata.dicom.codec;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.DicomOutputStream;
import org.strata.dicom.io.ElementHeader;
import org.strata.dicom.io.ReadOptions;
import org.strata.dicom.io.TransferSyntax;
import org.strata.dicom.io.WriteOptions;

/**
 * Re-encodes a Part 10 object into a native (uncompressed) transfer syntax while it streams: the
 * attributes before Pixel Data are read and written (they are small), the pixel data goes through a
 * 64 KiB buffer (native source, byte-swapped if the byte order differs) or one frame at a time
 * (encapsulated source with a {@link FrameDecoder}), so memory does not grow with the object.
 *
 * <p>After Pixel Data, elements with a defined length are copied; Data Set Trailing Padding and
 * sequences there (Digital Signatures) are dropped: re-encoding invalidates signatures, and padding
 * means nothing. The file meta information is rebuilt with the target transfer syntax (other
 * elements of the source's are kept).
 */
public final class Transcoder {
  private static final int CHUNK = 64 * 1024;

  private Transcoder() {}

  /** True if an object stored in {@code from} can be written in {@code to}. */
  public static boolean canTranscode(String from, String to) {
    TransferSyntax target = TransferSyntax.of(to);
    if (target.encapsulated() || !isNative(to)) {
      return false; // no encoders
    }
    return isNative(from) || FrameDecoders.of(from) != null;
  }

  /** The four uncompressed transfer syntaxes (deflate compresses the data set, not pixels). */
  public static boolean isNative(String uid) {
    String u = uid == null ? "" : uid.strip();
    return u.equals(UID.ImplicitVRLittleEndian)
        || u.equals(UID.ExplicitVRLittleEndian)
        || u.equals(UID.ExplicitVRBigEndian)
        || u.equals(UID.DeflatedExplicitVRLittleEndian);
  }

  /**
   * Reads the Part 10 object from {@code in} and writes it in {@code targetTs} to {@code out}
   * (which stays open).
   *
   * @throws CodecException when the object's pixel data cannot be decoded (nothing was written if
   *     that is known from the header: an unsupported syntax or an image the decoder cannot take)
   */
  public static void transcode(InputStream in, OutputStream out, String targetTs)
      throws IOException {
    if (!isNative(targetTs)) {
      throw new CodecException("no encoder for transfer syntax " + targetTs);
    }
    DicomInputStream dis =
        new DicomInputStream(
            new BufferedInputStream(in, CHUNK),
            ReadOptions.DEFAULTS.withStopBeforeTag(Tag.PixelData));
    Attributes fmi = dis.readFileMetaInformation();
    TransferSyntax source = dis.transferSyntax();
    Attributes ds = dis.readDataset();
    FrameDecoder decoder = null;
    PixelDescription image = PixelDescription.of(ds);
    if (source.encapsulated()) {
      decoder = FrameDecoders.of(source.uid());
      if (decoder == null) {
        throw new CodecException("no decoder for transfer syntax " + source.uid());
      }
      if (!image.usable()) {
        throw new CodecException("the image attributes do not describe a decodable image");
      }
      // Native pixel data now: no offset tables, the decoded colour model, colour-by-pixel.
      ds.remove(Tag.ExtendedOffsetTable);
      ds.remove(Tag.ExtendedOffsetTableLengths);
      ds.setString(Tag.PhotometricInterpretation, VR.CS, decoder.decodedPhotometric(image));
      if (image.samplesPerPixel() > 1) {
        ds.set(Tag.PlanarConfiguration, VR.US, new byte[2]); // 0 in either byte order
      }
    }
    DicomOutputStream dos =
        new DicomOutputStream(out, targetTs, WriteOptions.DEFAULTS.withRemoveGroupLengths(true));
    dos.writeFileMetaInformation(DicomOutputStream.fileMetaInformation(ds, fmi, targetTs));
    dos.writeDataset(ds);
    ElementHeader pixel = dis.stoppedBeforeTag() ? dis.readHeader() : null;
    if (pixel != null && pixel.tag() == Tag.PixelData) {
      if (pixel.undefinedLength()) {
        if (decoder == null) {
          throw new CodecException("encapsulated pixel data in a native transfer syntax");
        }
        VR vr = image.bitsAllocated() <= 8 ? VR.OB : VR.OW;
        long total = image.frameLength() * image.frames();
        dos.writeHeader(Tag.PixelData, vr, total);
        dos.copyValue(new DecodedFrames(dis, decoder, image), total, vr, false);
      } else {
        // Implicit VR says OW for any pixel data; 8-bit samples are OB in explicit VR.
        VR vr = source.explicitVR() ? pixel.vr() : image.bitsAllocated() <= 8 ? VR.OB : VR.OW;
        dos.writeHeader(Tag.PixelData, vr, pixel.length());
        dos.copyValue(dis.valueStream(pixel.length()), pixel.length(), vr, source.bigEndian());
      }
      copyTrailing(dis, dos, source);
    } else if (pixel != null) {
      // Stopped before a tag above Pixel Data without any: copy from there.
      copyElement(dis, dos, source, pixel);
      copyTrailing(dis, dos, source);
    }
    dos.finish();
  }

  private static void copyTrailing(DicomInputStream dis, DicomOutputStream dos, TransferSyntax ts)
      throws IOException {
    ElementHeader h;
    while ((h = dis.readHeader()) != null) {
      if (!copyElement(dis, dos, ts, h)) {
        return;
      }
    }
  }

  /** Copies one top-level element; false when the rest of the input must be dropped. */
  private static boolean copyElement(
      DicomInputStream dis, DicomOutputStream dos, TransferSyntax ts, ElementHeader h)
      throws IOException {
    if (h.undefinedLength()) {
      return false; // a sequence after Pixel Data (signatures): dropped with what follows
    }
    if (h.vr() == VR.SQ || h.tag() == Tag.DataSetTrailingPadding || Tags.group(h.tag()) == 0xFFFE) {
      dis.valueStream(h.length()).transferTo(OutputStream.nullOutputStream());
      return true;
    }
    dos.writeHeader(h.tag(), h.vr(), h.length());
    dos.copyValue(dis.valueStream(h.length()), h.length(), h.vr(), ts.bigEndian());
    return true;
  }

  /**
   * The native pixels of encapsulated pixel data, decoded one frame at a time as the reader asks.
   * Frames are found by the Basic Offset Table, else one fragment per frame when the counts agree,
   * else all fragments make the one frame of a single-frame image.
   */
  private static final class DecodedFrames extends InputStream {
    private final DicomInputStream dis;
    private final FrameDecoder decoder;
    private final PixelDescription image;
    private final List<Long> frameStarts = new ArrayList<>();
    private ElementHeader pending;
    private boolean ended;
    private boolean started;
    private long firstItem = -1;
    private int frame;
    private byte[] current = new byte[0];
    private int pos;

    DecodedFrames(DicomInputStream dis, FrameDecoder decoder, PixelDescription image) {
      this.dis = dis;
      this.decoder = decoder;
      this.image = image;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos == current.length) {
        if (frame == image.frames()) {
          return -1;
        }
        current = decoder.decode(nextFrame(), image);
        if (current.length != image.frameLength()) {
          throw new CodecException("decoded frame has the wrong size");
        }
        frame++;
        pos = 0;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }

    private byte[] nextFrame() throws IOException {
      if (!started) {
        started = true;
        ElementHeader bot = item();
        if (bot == null) {
          throw new CodecException("encapsulated pixel data without a Basic Offset Table item");
        }
        byte[] table = bot.length() == 0 ? new byte[0] : dis.readValue(bot.length());
        for (int i = 0; i + 4 <= table.length; i += 4) {
          frameStarts.add(
              Integer.toUnsignedLong(
                  (table[i] & 0xFF)
                      | (table[i + 1] & 0xFF) << 8
                      | (table[i + 2] & 0xFF) << 16
                      | (table[i + 3] & 0xFF) << 24));
        }
        if (!frameStarts.isEmpty() && frameStarts.size() != image.frames()) {
          frameStarts.clear(); // an offset table that does not fit is ignored
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      boolean byTable = !frameStarts.isEmpty();
      long end = byTable && frame + 1 < frameStarts.size() ? frameStarts.get(frame + 1) : -1;
      int fragments = 0;
      while (true) {
        ElementHeader h = pending != null ? pending : item();
        pending = null;
        if (h == null) {
          break;
        }
        if (firstItem < 0) {
          firstItem = h.headerOffset();
        }
        if (byTable && end >= 0 && h.headerOffset() - firstItem >= end) {
          pending = h; // the next frame's first fragment
          break;
        }
        // A compressed frame larger than the decoded one (plus slack) is not a frame of this image.
        if (bytes.size() + h.length() > image.frameLength() + (1 << 20)) {
          throw new CodecException("compressed frame larger than the image it decodes to");
        }
        bytes.write(dis.readValue(h.length()));
        fragments++;
        if (!byTable && image.frames() > 1) {
          break; // one fragment per frame
        }
      }
      if (fragments == 0) {
        throw new CodecException("encapsulated pixel data has fewer frames than Number of Frames");
      }
      return bytes.toByteArray();
    }

    /** The next fragment item header, or null at the sequence delimiter. */
    private ElementHeader item() throws IOException {
      if (ended) {
        return null;
      }
      ElementHeader h = dis.readHeader();
      if (h == null || h.tag() == Tags.SEQUENCE_DELIMITATION) {
        ended = true;
        return null;
      }
      if (h.tag() != Tags.ITEM || h.undefinedLength()) {
        throw new CodecException("bad item in encapsulated pixel data");
      }
      return h;
    }
  }
}
