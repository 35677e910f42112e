package org.strata.query.wado;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.jboss.logging.Logger;
import org.strata.dicom.codec.CodecException;
import org.strata.dicom.codec.PixelDescription;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.FrameIndex;
import org.strata.dicom.io.TransferSyntax;
import org.strata.query.config.QueryConfig;
import org.strata.storage.StorageException;

/**
 * WADO-RS frames (PS3.18 10.4.1.1.3) and bulk data (10.4.1.1.4): S3 range reads located by the
 * frame index, as stored or transcoded one frame at a time.
 */
@ApplicationScoped
public class FrameRetrieval {
  private static final Logger LOG = Logger.getLogger(FrameRetrieval.class);

  private final Storage storage;
  private final ObjectCache cache;
  private final ObjectReadAhead objects;
  private final long wholeObjectLimit;

  public FrameRetrieval(
      Storage storage, ObjectCache cache, ObjectReadAhead objects, QueryConfig config) {
    this.storage = storage;
    this.cache = cache;
    this.objects = objects;
    this.wholeObjectLimit = config.wado().readAheadSize().asLongValue();
  }

  /**
   * The frames (1-based numbers) as {@code application/octet-stream} parts: bytes as stored when
   * {@code target} is null, else each frame read whole (one at a time) and transcoded.
   *
   * @param image the instance's pixel description, needed when transcoding
   */
  public void writeFrames(
      String tenant,
      StoredInstance i,
      FrameIndex index,
      int[] frames,
      OutputStream out,
      String boundary,
      String target,
      PixelDescription image)
      throws IOException {
    Multipart multipart = new Multipart(out, boundary);
    String type =
        Negotiation.OCTET_STREAM
            + "; transfer-syntax="
            + (target == null ? i.transferSyntaxUid() : target);
    for (int frame : frames) {
      List<FrameIndex.Range> ranges = index.ranges(frame - 1);
      long length = 0;
      for (FrameIndex.Range r : ranges) {
        length += r.length();
      }
      if (target == null) {
        multipart.startPart(type, length);
        copyRanges(tenant, i, ranges, out);
      } else {
        ByteArrayOutputStream stored = new ByteArrayOutputStream((int) Math.min(length, 1 << 24));
        copyRanges(tenant, i, ranges, stored);
        byte[] bytes;
        try {
          bytes = FrameTranscoding.transcode(stored.toByteArray(), i.transferSyntaxUid(), image);
        } catch (CodecException e) {
          LOG.warnf("frame of tenant %s not transcodable: %s", tenant, e.getMessage());
          throw new IOException("transcoding failed", e);
        }
        multipart.startPart(type, bytes.length);
        out.write(bytes);
      }
      multipart.endPart();
    }
    multipart.finish();
  }

  /**
   * One frame (1-based) in native little endian: read by range (one frame in memory) and transcoded
   * from the stored syntax ({@link FrameTranscoding}).
   */
  public byte[] nativeFrame(
      String tenant, StoredInstance i, FrameIndex index, int frame, PixelDescription image)
      throws IOException {
    List<FrameIndex.Range> ranges = index.ranges(frame - 1);
    long length = 0;
    for (FrameIndex.Range r : ranges) {
      length += r.length();
    }
    if (length > Integer.MAX_VALUE - 16) {
      throw new IOException("frame too large");
    }
    ByteArrayOutputStream stored = new ByteArrayOutputStream((int) length);
    copyRanges(tenant, i, ranges, stored);
    return FrameTranscoding.transcode(stored.toByteArray(), i.transferSyntaxUid(), image);
  }

  /**
   * The ranges from the object cache, or from S3. When they are most of a small object (a
   * single-frame image: the frame is nearly all of it), the whole object is read in one GET and
   * kept in the cache, for the same S3 cost, so the next read of the instance is local; when the
   * object read-ahead is reading it already, that read is waited for instead (ADR 0075).
   */
  private void copyRanges(
      String tenant, StoredInstance i, List<FrameIndex.Range> ranges, OutputStream out)
      throws IOException {
    Storage.checkTenant(tenant, i.objectKey());
    long wanted = 0;
    for (FrameIndex.Range r : ranges) {
      wanted += r.length();
    }
    if (cache.accepts(i) && i.size() <= wholeObjectLimit && wanted * 2 >= i.size()) {
      try {
        objects.read(tenant, i);
      } catch (StorageException e) {
        LOG.warnf("frame of tenant %s not readable: %s", tenant, StorageException.describe(e));
        throw new IOException("object storage failed", e);
      }
    }
    for (FrameIndex.Range r : ranges) {
      java.util.Optional<InputStream> cached = cache.openRange(i, r.offset(), r.length());
      try (InputStream in =
          cached.isPresent()
              ? cached.get()
              : storage.range(tenant, i.bucket(), i.objectKey(), r.offset(), r.length())) {
        long copied = in.transferTo(out);
        if (copied != r.length()) {
          throw new IOException("range read gave " + copied + " of " + r.length() + " bytes");
        }
      } catch (StorageException e) {
        LOG.warnf("frame of tenant %s not readable: %s", tenant, StorageException.describe(e));
        throw new IOException("object storage failed", e);
      }
    }
  }

  /**
   * Bytes {@code offset} to {@code offset + length - 1} of the object's data set as encoded (after
   * inflation for a deflated object: its BulkDataURIs count there), one {@code
   * application/octet-stream} part, or the bare bytes when {@code boundary} is null.
   */
  public void writeBulkData(
      String tenant, StoredInstance i, long offset, long length, OutputStream out, String boundary)
      throws IOException {
    Multipart multipart = boundary == null ? null : new Multipart(out, boundary);
    if (multipart != null) {
      multipart.startPart(Negotiation.OCTET_STREAM, length);
    }
    try {
      if (TransferSyntax.of(i.transferSyntaxUid()).deflated()) {
        try (InputStream in = storage.open(tenant, i.bucket(), i.objectKey());
            DicomInputStream dis = new DicomInputStream(new BufferedInputStream(in, 64 * 1024))) {
          dis.readFileMetaInformation();
          InputStream inflated = dis.remaining();
          inflated.skipNBytes(offset);
          long copied = new BoundedInput(inflated, length).transferTo(out);
          if (copied != length) {
            throw new IOException("bulk data range runs past the end of the data set");
          }
        }
      } else {
        copyRanges(tenant, i, List.of(new FrameIndex.Range(offset, length)), out);
      }
    } catch (StorageException e) {
      LOG.warnf("bulk data of tenant %s not readable: %s", tenant, StorageException.describe(e));
      throw new IOException("object storage failed", e);
    }
    if (multipart != null) {
      multipart.endPart();
      multipart.finish();
    }
    out.flush();
  }
}
