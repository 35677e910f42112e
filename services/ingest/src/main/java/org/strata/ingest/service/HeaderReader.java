package org.strata.ingest.service;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.ElementHeader;
import org.strata.dicom.io.ReadOptions;
import org.strata.ids.Uid;

/**
 * Reads and checks the header of an incoming Part 10 object, recording the bytes it consumed so
 * they can be sent on unchanged. Stops before Pixel Data: pixel data is never parsed on ingest.
 */
final class HeaderReader {
  /** PS3.5 9.1: digits and dots, no empty or leading-zero components, at most 64 characters. */
  private HeaderReader() {}

  /** Thrown for anything that makes the instance unacceptable, with the reason to report. */
  static final class RejectedException extends Exception {
    private static final long serialVersionUID = 1L;
    final FailureReason reason;
    final transient ParsedHeader header;

    RejectedException(FailureReason reason, String message, ParsedHeader header) {
      super(message);
      this.reason = reason;
      this.header = header;
    }
  }

  static ParsedHeader read(InputStream source, int maxHeaderSize, boolean requireFileMeta)
      throws RejectedException, IOException {
    Recording recording = new Recording(source, maxHeaderSize);
    Attributes meta;
    Attributes dataset;
    String tsuid;
    long pixelDataStart = ParsedHeader.UNKNOWN;
    long pixelDataEnd = ParsedHeader.UNKNOWN;
    long fragmentsStart = ParsedHeader.UNKNOWN;
    try {
      DicomInputStream in =
          new DicomInputStream(
              recording,
              ReadOptions.DEFAULTS
                  .withStopBeforeTag(Tag.PixelData)
                  .withMaxValueLength(maxHeaderSize));
      meta = in.readFileMetaInformation();
      if (meta == null && requireFileMeta) {
        throw new RejectedException(
            FailureReason.CANNOT_UNDERSTAND, "not a DICOM Part 10 object (no file meta)", null);
      }
      tsuid = meta != null ? meta.getString(Tag.TransferSyntaxUID) : in.transferSyntax().uid();
      dataset = in.readDataset();
      if (in.stoppedBeforeTag() && !in.transferSyntax().deflated()) {
        ElementHeader pixelData = in.readHeader();
        if (pixelData != null && pixelData.undefinedLength()) {
          fragmentsStart = pixelData.valueOffset();
        } else if (pixelData != null) {
          pixelDataStart = pixelData.valueOffset();
          pixelDataEnd = pixelData.valueOffset() + pixelData.length();
        }
      }
    } catch (DicomParseException e) {
      throw new RejectedException(
          FailureReason.CANNOT_UNDERSTAND, "not a parsable DICOM object: " + e.getMessage(), null);
    } catch (HeaderTooLargeException e) {
      throw new RejectedException(
          FailureReason.OBJECT_TOO_LARGE,
          "the attributes before Pixel Data exceed " + maxHeaderSize + " bytes",
          null);
    }
    ParsedHeader header =
        new ParsedHeader(
            meta,
            dataset,
            tsuid,
            uid(dataset, Tag.SOPClassUID),
            uid(dataset, Tag.SOPInstanceUID),
            uid(dataset, Tag.StudyInstanceUID),
            uid(dataset, Tag.SeriesInstanceUID),
            recording.recorded(),
            pixelDataStart,
            pixelDataEnd,
            fragmentsStart);
    requireUid(header, header.sopClassUid(), "SOP Class UID");
    requireUid(header, header.sopInstanceUid(), "SOP Instance UID");
    requireUid(header, header.studyInstanceUid(), "Study Instance UID");
    requireUid(header, header.seriesInstanceUid(), "Series Instance UID");
    requireUid(header, header.transferSyntaxUid(), "Transfer Syntax UID");
    return header;
  }

  private static void requireUid(ParsedHeader header, String uid, String name)
      throws RejectedException {
    if (uid == null || uid.isEmpty()) {
      throw new RejectedException(FailureReason.CANNOT_UNDERSTAND, name + " is missing", header);
    }
    if (!Uid.isValid(uid)) {
      throw new RejectedException(FailureReason.CANNOT_UNDERSTAND, name + " is malformed", header);
    }
  }

  /**
   * A UID attribute, also when a sender wrote it with VR UN (seen in real files): its value is then
   * the UI bytes themselves (PS3.5 6.2.2).
   */
  private static String uid(Attributes ds, int tag) {
    if (ds.vr(tag) == VR.UN) {
      byte[] bytes = ds.getBytes(tag);
      return bytes == null ? null : trim(new String(bytes, StandardCharsets.US_ASCII));
    }
    return trim(ds.getString(tag));
  }

  private static String trim(String uid) {
    // UI values are padded with NUL to even length; some senders pad with spaces.
    return uid == null ? null : uid.replace("\0", "").trim();
  }

  private static final class HeaderTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /** Records what is read, up to a limit. */
  private static final class Recording extends FilterInputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
    private final int limit;

    Recording(InputStream in, int limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        check(1);
        bytes.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        check(n);
        bytes.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // Skipped bytes must be recorded too: read them instead.
      byte[] scratch = new byte[(int) Math.min(n, 8192)];
      int read = read(scratch, 0, scratch.length);
      return Math.max(read, 0);
    }

    private void check(int more) throws HeaderTooLargeException {
      if (bytes.size() + more > limit) {
        throw new HeaderTooLargeException();
      }
    }

    byte[] recorded() {
      return bytes.toByteArray();
    }
  }
}
