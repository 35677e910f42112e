package org.strata.ingest.service;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.Fragments;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.dict.UIDs;
import org.strata.dicom.io.DicomOutputStream;
import org.strata.dicom.io.TransferSyntax;
import org.strata.dicom.io.WriteOptions;

/**
 * Turns one instance of a DICOM JSON STOW-RS request (its metadata, with {@code BulkDataURI}s that
 * name bulk data parts spooled to files) into a Part 10 object, streamed: file meta information
 * made by dicom-core's writer, the transfer syntax taken from the bulk data parts' media types (ADR
 * 0014), compressed pixel data written encapsulated (empty Basic Offset Table, one fragment), bulk
 * values copied from their spool files as the object is read. Everything that could make the object
 * invalid is checked in {@link #prepare} before a byte is written, so a failure is a Failure
 * Reason, never a half-written object.
 */
public final class JsonInstanceBuilder {

  /**
   * A bulk data part of the request, spooled to {@code file}.
   *
   * @param mediaType lower case, without parameters
   * @param parameters the Content-Type's parameters, names lower case
   */
  public record BulkPart(Path file, long size, String mediaType, Map<String, String> parameters) {}

  /** A checked instance ready to be written, or why it cannot be. */
  public record Prepared(
      Attributes dataset, String transferSyntax, FailureReason failure, String detail) {

    static Prepared failed(FailureReason reason, String detail) {
      return new Prepared(null, null, reason, detail);
    }

    /** The Part 10 object, written by a virtual thread as it is read. */
    public Part10Stream open() throws IOException {
      return new Part10Stream(dataset, transferSyntax);
    }
  }

  /** Media types of compressed pixel data and their default transfer syntax (PS3.18 8.7.3). */
  private static final Map<String, String> DEFAULT_TRANSFER_SYNTAX =
      Map.of(
          "application/octet-stream", UID.ExplicitVRLittleEndian,
          "image/jpeg", UID.JPEGBaseline8Bit,
          "image/jls", UID.JPEGLSLossless,
          "image/jp2", "1.2.840.10008.1.2.4.90",
          "image/jpx", "1.2.840.10008.1.2.4.92",
          "image/dicom-rle", UID.RLELossless,
          "video/mpeg", UID.MPEG2MPML,
          "video/mp4", UID.MPEG4HP41,
          "video/h265", UID.HEVCMP51);

  /** Largest value or fragment DICOM can carry (a 32-bit length, even, not undefined). */
  private static final long MAX_VALUE = 0xFFFFFFFEL;

  private JsonInstanceBuilder() {}

  /**
   * The key under which a part's Content-Location and a BulkDataURI meet: without a query, since
   * dicom-core's JSON reader keeps a BulkDataURI's query as (offset, length) of its own form.
   */
  public static String locationKey(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /**
   * Resolves every BulkDataURI of {@code metadata} to its spooled part and decides the transfer
   * syntax. The returned data set is a resolved copy; {@code metadata} is not changed.
   */
  public static Prepared prepare(Attributes metadata, Map<String, BulkPart> parts) {
    Attributes ds = new Attributes(false, null);
    Set<String> compressed = new TreeSet<>();
    String[] nativeSyntax = {null};
    String problem = copy(metadata, ds, parts, true, compressed, nativeSyntax);
    if (problem != null) {
      return Prepared.failed(FailureReason.CANNOT_UNDERSTAND, problem);
    }
    // (At most one: only top-level Pixel Data may be compressed.)
    String ts;
    if (compressed.isEmpty()) {
      ts = nativeSyntax[0] != null ? nativeSyntax[0] : UID.ExplicitVRLittleEndian;
    } else {
      ts = compressed.iterator().next();
      boolean video = ts.startsWith("1.2.840.10008.1.2.4.10");
      if (!video && ds.getInt(Tag.NumberOfFrames, 1) > 1) {
        // One part is one fragment; the frames of a multi-frame image cannot be told apart
        // without decoding, and PS3.5 A.4 wants each frame in its own fragments.
        return Prepared.failed(
            FailureReason.CANNOT_UNDERSTAND,
            "compressed multi-frame pixel data in one bulk data part is not supported");
      }
    }
    return new Prepared(ds, ts, null, null);
  }

  /** Copies {@code from} into {@code to}, resolving bulk data; a problem's text, else null. */
  private static String copy(
      Attributes from,
      Attributes to,
      Map<String, BulkPart> parts,
      boolean top,
      Set<String> compressed,
      String[] nativeSyntax) {
    for (int i = 0; i < from.size(); i++) {
      int tag = from.tagAt(i);
      VR vr = from.vrAt(i);
      Object value = from.valueAt(i);
      if (top && Tags.group(tag) == 0x0002) {
        continue; // file meta information is ours to write (the transfer syntax is decided here)
      }
      if (value instanceof Sequence seq) {
        Sequence copy = new Sequence(to);
        to.set(tag, VR.SQ, copy);
        for (int k = 0; k < seq.size(); k++) {
          String p = copy(seq.get(k), copy.addItem(), parts, false, compressed, nativeSyntax);
          if (p != null) {
            return p;
          }
        }
      } else if (value instanceof BulkDataRef ref) {
        BulkPart part = parts.get(locationKey(ref.uri()));
        if (part == null) {
          return "no bulk data part for the BulkDataURI of " + Tags.toString(tag);
        }
        if (part.size() > MAX_VALUE) {
          return "bulk data of " + Tags.toString(tag) + " longer than a DICOM value can be";
        }
        String ts = transferSyntax(part);
        if (ts == null) {
          return "bulk data part of media type "
              + part.mediaType()
              + " without a known transfer-syntax";
        }
        BulkDataRef spooled = new BulkDataRef(part.file().toUri().toString(), 0, part.size());
        if (TransferSyntax.of(ts).encapsulated()) {
          if (!top || tag != Tag.PixelData) {
            return "compressed bulk data for " + Tags.toString(tag) + " (only Pixel Data can be)";
          }
          Fragments fragments = new Fragments(VR.OB, false);
          fragments.add(new byte[0], 0); // empty Basic Offset Table
          fragments.add(spooled, 0);
          to.set(tag, VR.OB, fragments);
          compressed.add(ts);
        } else {
          if (top && tag == Tag.PixelData) {
            nativeSyntax[0] = ts;
          }
          to.set(tag, vr, spooled);
        }
      } else {
        to.set(tag, vr, value);
      }
    }
    return null;
  }

  /** The part's transfer syntax: its {@code transfer-syntax} parameter, else the media type's. */
  static String transferSyntax(BulkPart part) {
    String ts = part.parameters().get("transfer-syntax");
    if (ts == null) {
      return DEFAULT_TRANSFER_SYNTAX.get(part.mediaType());
    }
    ts = ts.strip();
    if (!UIDs.isTransferSyntax(ts)
        || ts.equals(UID.JPIPReferenced)
        || ts.equals(UID.JPIPReferencedDeflate)) {
      return null;
    }
    return ts;
  }

  /**
   * The Part 10 object of a prepared instance, produced by a virtual thread through a 64 KiB pipe
   * while it is read: memory does not grow with the object. A failure of the writer ends the stream
   * with an IOException (never a silently short object). Closing stops the writer.
   */
  public static final class Part10Stream extends FilterInputStream {
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread writer;

    Part10Stream(Attributes dataset, String ts) throws IOException {
      super(new PipedInputStream(64 * 1024));
      PipedOutputStream pipe = new PipedOutputStream((PipedInputStream) in);
      WriteOptions options = WriteOptions.DEFAULTS.withBulkDataSource(Part10Stream::openSpooled);
      this.writer =
          Thread.ofVirtual()
              .name("stow-json-part10")
              .start(
                  () -> {
                    try {
                      DicomOutputStream out =
                          new DicomOutputStream(new Notifying(pipe), ts, options);
                      out.writeFileMetaInformation(
                          DicomOutputStream.fileMetaInformation(dataset, null, ts));
                      out.writeDataset(dataset);
                      out.finish();
                    } catch (Throwable t) {
                      failure.set(t);
                    } finally {
                      try {
                        pipe.close();
                      } catch (IOException ignored) {
                        // the reader is gone
                      }
                    }
                  });
    }

    private static InputStream openSpooled(BulkDataRef ref) throws IOException {
      FileChannel ch =
          FileChannel.open(Path.of(java.net.URI.create(ref.uri())), StandardOpenOption.READ);
      ch.position(ref.offset());
      return Channels.newInputStream(ch);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      return b < 0 ? end() : b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      return n < 0 ? end() : n;
    }

    private int end() throws IOException {
      Throwable t = failure.get();
      if (t != null) {
        throw new IOException("writing the Part 10 object failed: " + t, t);
      }
      return -1;
    }

    @Override
    public void close() throws IOException {
      super.close(); // the writer's next write fails ("Pipe closed") and it ends
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Wakes the pipe's reader after each write (PipedInputStream otherwise polls once a second). */
  private static final class Notifying extends OutputStream {
    private final PipedOutputStream pipe;

    Notifying(PipedOutputStream pipe) {
      this.pipe = pipe;
    }

    @Override
    public void write(int b) throws IOException {
      pipe.write(b);
      pipe.flush();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      pipe.write(b, off, len);
      pipe.flush();
    }

    @Override
    public void close() throws IOException {
      pipe.close();
    }
  }
}
