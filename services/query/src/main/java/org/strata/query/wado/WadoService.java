package org.strata.query.wado;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.jboss.logging.Logger;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Tag;
import org.strata.dicom.Tags;
import org.strata.dicom.VR;
import org.strata.dicom.codec.CodecException;
import org.strata.dicom.codec.PixelDescription;
import org.strata.dicom.codec.Transcoder;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.ElementHeader;
import org.strata.dicom.io.FrameIndex;
import org.strata.dicom.io.ReadOptions;
import org.strata.dicom.io.TransferSyntax;
import org.strata.dicom.json.DicomJsonWriter;
import org.strata.query.config.QueryConfig;
import org.strata.storage.RangeReadChannel;
import org.strata.storage.StorageException;

/**
 * WADO-RS Retrieve (PS3.18 10.4), phase 1: instances, metadata and frames of one tenant, streamed
 * from S3 as stored. Blocking: runs on worker threads, bytes go from the S3 response to the HTTP
 * response through a small buffer, so memory does not depend on object sizes.
 */
@ApplicationScoped
public class WadoService {
  private static final Logger LOG = Logger.getLogger(WadoService.class);

  /** A frame index is about 5 bytes per frame; anything larger is not one. */
  private static final int MAX_FRAME_INDEX_BYTES = 16 * 1024 * 1024;

  /** Values above this stay in the object when a frame index is computed from it. */
  private static final int BULK_THRESHOLD = 64 * 1024;

  private final InstanceLocator locator;
  private final Storage storage;
  private final ExecutorService executor;
  private final QueryConfig.Wado config;

  /**
   * Frame indexes by bucket, object key and stored event. An object key with its stored event names
   * one object (a new version of an instance gets a new key, ADR 0005; an instance deleted and
   * stored again gets a new event), so an entry never goes stale; a deleted instance is no longer
   * found by {@link #locate}, which every request runs first, so its entry is never reached and
   * ages out. Keys begin with the tenant, so tenants cannot meet in the cache.
   */
  private final ByteBoundedLru<String, FrameIndex> frameIndexes;

  /**
   * Sidecars by bucket, sidecar key, object key and stored event, on the same grounds (only
   * sidecars that exist are kept: the header fallback is not, so a sidecar written later is seen).
   */
  private final ByteBoundedLru<String, byte[]> sidecars;

  /** Reads frame indexes ahead after metadata answers (one thread, a short queue). */
  private final java.util.concurrent.Executor prefetcher;

  public WadoService(
      InstanceLocator locator, Storage storage, StorageExecutor executor, QueryConfig config) {
    this.locator = locator;
    this.storage = storage;
    this.executor = executor.executor();
    this.prefetcher = executor.prefetcher();
    this.config = config.wado();
    this.frameIndexes =
        new ByteBoundedLru<>(
            this.config.frameIndexCacheSize().asLongValue(), WadoService::frameIndexWeight);
    this.sidecars =
        new ByteBoundedLru<>(this.config.sidecarCacheSize().asLongValue(), b -> 200L + b.length);
  }

  /** The tenant's instances under the UIDs; 404 when there are none. */
  public List<StoredInstance> locate(String tenant, String study, String series, String sop) {
    List<StoredInstance> found = new ArrayList<>();
    for (StoredInstance i : locator.find(tenant, study, series, sop)) {
      // Defence in depth: an object outside the tenant's prefix is never served.
      if (Storage.underTenant(tenant, i.objectKey())) {
        found.add(i);
      } else {
        LOG.warnf("index row of tenant %s points outside the tenant's prefix; not served", tenant);
      }
    }
    if (found.isEmpty()) {
      throw WadoException.notFound(
          sop != null
              ? "no such instance"
              : series != null
                  ? "no such series, or no stored instances in it"
                  : "no such study," + " or no stored instances in it");
    }
    return found;
  }

  /**
   * Each object as one {@code application/dicom} part: byte for byte as stored (with its
   * Content-Length) when {@code target} is null or the stored syntax, else transcoded to {@code
   * target} as it streams (no Content-Length: the size is known only at the end).
   */
  public void writeInstances(
      String tenant,
      List<StoredInstance> instances,
      OutputStream out,
      String boundary,
      String target)
      throws IOException {
    Multipart multipart = new Multipart(out, boundary);
    int readAhead = Math.max(0, config.readAhead());
    int cap = (int) Math.min(Integer.MAX_VALUE - 16, config.readAheadSize().asLongValue());
    try (Ahead<Head> heads =
        new Ahead<>(
            executor,
            readAhead + 1,
            readAhead == 0 ? 0 : instances.size(),
            k -> () -> head(tenant, instances.get(k), cap),
            h -> {})) {
      for (StoredInstance i : instances) {
        boolean asStored = target == null || target.equals(i.transferSyntaxUid());
        multipart.startPart(
            Negotiation.DICOM + "; transfer-syntax=" + (asStored ? i.transferSyntaxUid() : target),
            asStored ? i.size() : -1);
        if (readAhead == 0) {
          writeObject(tenant, i, out, asStored ? null : target);
        } else {
          writeObject(tenant, i, heads.next(), out, asStored ? null : target);
        }
        multipart.endPart();
      }
    }
    multipart.finish();
  }

  /**
   * The first bytes of an object, read ahead of its turn: the whole object when it has at most
   * {@code cap} bytes (one GET), else its first {@code cap} bytes (one range GET; the rest is read
   * when the object is written, so no S3 response is held open while others are written).
   */
  private Head head(String tenant, StoredInstance i, int cap) throws IOException {
    try {
      if (i.size() <= cap) {
        try (InputStream in = storage.open(tenant, i.bucket(), i.objectKey())) {
          // One array of the indexed size (readNBytes(int) would collect chunks and copy them).
          byte[] bytes = new byte[(int) i.size()];
          int n = in.readNBytes(bytes, 0, bytes.length);
          if (n < bytes.length || in.read() >= 0) {
            throw new IOException(
                "stored object has "
                    + (n < bytes.length ? n : "more")
                    + " bytes, the index says "
                    + i.size());
          }
          return new Head(bytes, true);
        }
      }
      try (InputStream in = storage.range(tenant, i.bucket(), i.objectKey(), 0, cap)) {
        byte[] bytes = new byte[cap];
        return new Head(Arrays.copyOf(bytes, in.readNBytes(bytes, 0, cap)), false);
      }
    } catch (StorageException e) {
      LOG.warnf("object of tenant %s not readable: %s", tenant, StorageException.describe(e));
      throw new IOException("object storage failed", e);
    }
  }

  /** An object's first bytes; {@code whole}: all of it (or more than the index said). */
  private record Head(byte[] bytes, boolean whole) {}

  /** {@link #writeObject} from a head read ahead, the rest (if any) by a range read now. */
  private void writeObject(
      String tenant, StoredInstance i, Head head, OutputStream out, String target)
      throws IOException {
    InputStream in = new ByteArrayInputStream(head.bytes());
    if (!head.whole()) {
      try {
        long offset = head.bytes().length;
        in =
            new SequenceInputStream(
                in, storage.range(tenant, i.bucket(), i.objectKey(), offset, i.size() - offset));
      } catch (StorageException e) {
        LOG.warnf("object of tenant %s not readable: %s", tenant, StorageException.describe(e));
        throw new IOException("object storage failed", e);
      }
    }
    copyOrTranscode(tenant, i, in, out, target);
  }

  /**
   * One object: byte for byte as stored when {@code target} is null, else transcoded to it as it
   * streams. A failure once bytes are out can only cut the response short (IOException).
   */
  public void writeObject(String tenant, StoredInstance i, OutputStream out, String target)
      throws IOException {
    InputStream in;
    try {
      in = storage.open(tenant, i.bucket(), i.objectKey());
    } catch (StorageException e) {
      LOG.warnf("object of tenant %s not readable: %s", tenant, StorageException.describe(e));
      throw new IOException("object storage failed", e);
    }
    copyOrTranscode(tenant, i, in, out, target);
  }

  private void copyOrTranscode(
      String tenant, StoredInstance i, InputStream stream, OutputStream out, String target)
      throws IOException {
    try (InputStream in = stream) {
      if (target == null) {
        long copied = in.transferTo(out);
        if (copied != i.size()) {
          throw new IOException(
              "stored object has " + copied + " bytes, the index says " + i.size());
        }
      } else {
        Transcoder.transcode(in, out, target);
      }
    } catch (CodecException | DicomParseException e) {
      // The body has begun: the response can only be cut short. No UIDs in the log.
      LOG.warnf("object of tenant %s not transcodable: %s", tenant, e.getMessage());
      throw new IOException("transcoding failed", e);
    }
  }

  /**
   * The metadata of each instance, as a DICOM JSON array: the sidecar when it exists (copied as
   * is), else the object's attributes before Pixel Data read from S3, with Pixel Data as a
   * BulkDataURI ({@code {instanceUrl}/bulkdata/7FE00010}).
   *
   * @param base the RetrieveURL base ({@code .../dicomweb}) for BulkDataURIs
   */
  public void writeMetadata(
      String tenant, List<StoredInstance> instances, OutputStream out, String base)
      throws IOException {
    int cap = (int) Math.min(Integer.MAX_VALUE - 16, config.metadataBufferSize().asLongValue());
    out.write('[');
    try (Ahead<byte[]> json =
        new Ahead<>(
            executor,
            Math.max(1, config.metadataConcurrency()),
            instances.size(),
            k -> () -> metadataJson(tenant, instances.get(k), base, cap),
            j -> {})) {
      boolean first = true;
      for (StoredInstance i : instances) {
        if (!first) {
          out.write(',');
        }
        first = false;
        byte[] bytes = json.next();
        if (bytes != null) {
          out.write(bytes);
        } else {
          writeMetadata(tenant, i, out, base); // too large to hold: streamed in its turn
        }
      }
    }
    out.write(']');
    out.flush();
    prefetchFrameIndexes(tenant, instances);
  }

  /** One instance's metadata JSON in memory, or null when it has more than {@code cap} bytes. */
  private byte[] metadataJson(String tenant, StoredInstance i, String base, int cap)
      throws IOException {
    String cacheKey = cacheable(i) ? sidecarCacheKey(i) : null;
    byte[] cached = cacheKey == null ? null : sidecars.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    Optional<InputStream> sidecar = sidecar(tenant, i);
    if (sidecar.isPresent()) {
      byte[] bytes;
      try (InputStream in = sidecar.get()) {
        bytes = in.readNBytes(cap + 1);
      }
      if (bytes.length > cap) {
        return null;
      }
      if (cacheKey != null) {
        sidecars.put(cacheKey, bytes);
      }
      return bytes;
    }
    CappedOutput buffer = new CappedOutput(cap);
    try {
      headerJson(tenant, i, buffer, base);
    } catch (CappedOutput.Full e) {
      return null;
    }
    return buffer.toByteArray();
  }

  /** One instance's metadata JSON streamed onto {@code out}: its sidecar, else its header. */
  private void writeMetadata(String tenant, StoredInstance i, OutputStream out, String base)
      throws IOException {
    Optional<InputStream> sidecar = sidecar(tenant, i);
    if (sidecar.isPresent()) {
      try (InputStream in = sidecar.get()) {
        in.transferTo(out);
      }
    } else {
      headerJson(tenant, i, out, base);
    }
  }

  private Optional<InputStream> sidecar(String tenant, StoredInstance i) {
    try {
      return storage.openIfExists(tenant, i.bucket(), i.sidecarKey());
    } catch (StorageException e) {
      LOG.warnf("sidecar of tenant %s not readable: %s", tenant, StorageException.describe(e));
      return Optional.empty(); // the object itself is the source of truth
    }
  }

  /** A byte buffer that refuses to grow beyond a cap ({@link Full}). */
  private static final class CappedOutput extends OutputStream {
    private final ByteArrayOutputStream bytes;
    private final int cap;

    CappedOutput(int cap) {
      this.bytes = new ByteArrayOutputStream(Math.min(cap, 8192));
      this.cap = cap;
    }

    static final class Full extends IOException {
      Full() {
        super("more than the metadata buffer holds");
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (bytes.size() + len > cap) {
        throw new Full();
      }
      bytes.write(b, off, len);
    }

    byte[] toByteArray() {
      return bytes.toByteArray();
    }
  }

  /**
   * The attributes before Pixel Data, read from the object in S3 (the download stops there).
   *
   * @param pixelRange also record where Pixel Data's value lies, as a {@link BulkDataRef} (offset,
   *     length) in the stored object: native data from its header; encapsulated data from the Basic
   *     Offset Table's item tag to the end of the last fragment (the items are walked, so the
   *     object is read to there), the range ingest's sidecars name
   */
  public Attributes header(String tenant, StoredInstance i, boolean pixelRange) throws IOException {
    Attributes ds;
    try (InputStream in = storage.open(tenant, i.bucket(), i.objectKey());
        DicomInputStream dis =
            new DicomInputStream(
                new BufferedInputStream(in, 64 * 1024),
                ReadOptions.DEFAULTS.withStopBeforeTag(Tag.PixelData))) {
      dis.readFileMetaInformation();
      ds = dis.readDataset();
      if (pixelRange && dis.stoppedBeforeTag()) {
        ElementHeader pixel = dis.readHeader();
        if (pixel != null && pixel.tag() == Tag.PixelData) {
          long length = pixel.undefinedLength() ? itemsLength(dis) : pixel.length();
          // Encapsulated pixel data is OB (PS3.5 A.4), whatever VR a writer put on the wire.
          ds.set(
              Tag.PixelData,
              pixel.undefinedLength() ? VR.OB : pixel.vr(),
              new BulkDataRef(null, pixel.valueOffset(), length),
              pixel.valueOffset());
        }
      }
      // Closing here stops the download: the rest is not read.
    } catch (StorageException e) {
      LOG.warnf("object of tenant %s not readable: %s", tenant, StorageException.describe(e));
      throw new IOException("object storage failed", e);
    } catch (DicomParseException e) {
      LOG.warnf("stored object of tenant %s not parseable at offset %d", tenant, e.offset());
      throw new IOException("stored object not parseable", e);
    }
    return ds;
  }

  /** Bytes from the first item tag of encapsulated pixel data to the end of its last item. */
  private static long itemsLength(DicomInputStream dis) throws IOException {
    long start = dis.position();
    long end = start;
    ElementHeader h;
    while ((h = dis.readHeader()) != null && h.tag() == Tags.ITEM && !h.undefinedLength()) {
      for (long left = h.length(); left > 0; ) {
        int n = (int) Math.min(64 * 1024, left);
        dis.readValue(n);
        left -= n;
      }
      end = h.valueOffset() + h.length();
    }
    return end - start;
  }

  private void headerJson(String tenant, StoredInstance i, OutputStream out, String base)
      throws IOException {
    Attributes ds = header(tenant, i, true);
    String instanceUrl =
        base
            + "/studies/"
            + i.studyUid()
            + "/series/"
            + i.seriesUid()
            + "/instances/"
            + i.sopInstanceUid();
    // Not closed: that would close the response stream, which goes on with the next instance.
    DicomJsonWriter json =
        new DicomJsonWriter(
            out,
            -1,
            (path, vr, value) ->
                path.length == 1 && path[0] == Tag.PixelData && value instanceof BulkDataRef r
                    ? BulkData.uri(instanceUrl, r.offset(), r.length())
                    : null);
    json.write(ds);
    json.flush();
  }

  /**
   * The frame index of an instance: the stored one when ingest has written it, else computed from
   * the object (read once from S3, values above 64 KiB skipped; offset tables and fragment starts
   * left in the object are read by range).
   */
  public FrameIndex frameIndex(String tenant, StoredInstance i) {
    String cacheKey = frameIndexCacheKey(i);
    FrameIndex cached = frameIndexes.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    FrameIndex index = loadFrameIndex(tenant, i);
    if (cacheable(i)) {
      frameIndexes.put(cacheKey, index);
    }
    return index;
  }

  /**
   * Whether derivatives of {@code i} may be cached: only for version 1 of an instance. The sidecar
   * and frame index keys carry no version ({@code ObjectKeys}), so for a later version they may
   * still hold the previous version's until ingest's derivatives rewrite them; that moment must not
   * be kept.
   */
  static boolean cacheable(StoredInstance i) {
    return i.objectKey() != null && !VERSIONED.matcher(i.objectKey()).find();
  }

  private static final java.util.regex.Pattern VERSIONED =
      java.util.regex.Pattern.compile("\\.v[0-9]+\\.dcm$");

  /** Estimated heap bytes of a cached frame index and its key. */
  static long frameIndexWeight(FrameIndex index) {
    long ranges = 0;
    for (int k = 0; k < index.frameCount(); k++) {
      ranges += index.ranges(k).size();
    }
    // object headers and arrays: frame starts (int), range offsets and lengths (long), bit
    // offsets (byte); the key string and the map entry
    return 400 + 5L * (index.frameCount() + 1) + 16 * ranges;
  }

  private static String sidecarCacheKey(StoredInstance i) {
    return i.bucket() + "/" + i.sidecarKey() + "|" + i.objectKey() + "|" + i.storedEventId();
  }

  /**
   * Bucket, object key and stored event: an instance deleted and stored again gets the same
   * version-1 key, possibly with other bytes, but a new event.
   */
  private static String frameIndexCacheKey(StoredInstance i) {
    return i.bucket() + "/" + i.objectKey() + "|" + i.storedEventId();
  }

  /**
   * Viewers ask for frames right after a series' metadata: once a metadata answer is written, the
   * stored frame indexes of its instances whose sidecar exists (so their derivatives are written)
   * are read into the cache in the background, one after the other on one thread, after the answer
   * rather than beside it (best effort: a few jobs queued at most, others dropped; never computed
   * from the object; a frame asked for meanwhile reads its own).
   */
  private void prefetchFrameIndexes(String tenant, List<StoredInstance> instances) {
    if (config.frameIndexCacheSize().asLongValue() == 0) {
      return;
    }
    List<StoredInstance> todo = new ArrayList<>();
    for (StoredInstance i : instances) {
      if (cacheable(i)
          && !frameIndexes.peek(frameIndexCacheKey(i))
          && sidecars.peek(sidecarCacheKey(i))) {
        todo.add(i);
      }
    }
    if (todo.isEmpty()) {
      return;
    }
    prefetcher.execute(
        () -> {
          for (StoredInstance i : todo) {
            if (frameIndexes.peek(frameIndexCacheKey(i))) {
              continue;
            }
            try {
              Optional<InputStream> stored =
                  storage.openIfExists(tenant, i.bucket(), i.frameIndexKey());
              if (stored.isPresent()) {
                byte[] bytes;
                try (InputStream in = stored.get()) {
                  bytes = in.readNBytes(MAX_FRAME_INDEX_BYTES + 1);
                }
                if (bytes.length <= MAX_FRAME_INDEX_BYTES) {
                  frameIndexes.put(frameIndexCacheKey(i), FrameIndex.fromBytes(bytes));
                }
              }
            } catch (StorageException | IOException | RuntimeException e) {
              LOG.debugf("frame index read-ahead of tenant %s failed: %s", tenant, e.getClass());
            }
          }
        });
  }

  private FrameIndex loadFrameIndex(String tenant, StoredInstance i) {
    try {
      Optional<InputStream> stored = storage.openIfExists(tenant, i.bucket(), i.frameIndexKey());
      if (stored.isPresent()) {
        byte[] bytes;
        try (InputStream in = stored.get()) {
          bytes = in.readNBytes(MAX_FRAME_INDEX_BYTES + 1);
        }
        try {
          if (bytes.length <= MAX_FRAME_INDEX_BYTES) {
            return FrameIndex.fromBytes(bytes);
          }
        } catch (RuntimeException e) {
          // fall through: computed from the object
        }
        LOG.warnf("frame index of tenant %s unreadable; computing it from the object", tenant);
      }
      return computeFrameIndex(tenant, i);
    } catch (StorageException | IOException e) {
      LOG.warnf("frame index of tenant %s not available: %s", tenant, StorageException.describe(e));
      throw new WadoException(503, "object storage did not answer; retry later");
    }
  }

  private FrameIndex computeFrameIndex(String tenant, StoredInstance i)
      throws StorageException, IOException {
    if (TransferSyntax.of(i.transferSyntaxUid()).deflated()) {
      throw WadoException.notAcceptable(
          "frames of a deflated object cannot be served as stored (no transcoding yet)");
    }
    try (InputStream in = storage.open(tenant, i.bucket(), i.objectKey());
        DicomInputStream dis =
            new DicomInputStream(
                new BufferedInputStream(in, 64 * 1024),
                ReadOptions.DEFAULTS.withBulkData(BULK_THRESHOLD, "s3:object"));
        RangeReadChannel channel =
            new RangeReadChannel(storage.store(i.bucket()), i.objectKey(), i.size())) {
      dis.readFileMetaInformation();
      TransferSyntax ts = dis.transferSyntax();
      Attributes ds = dis.readDataset();
      if (!ds.contains(Tag.PixelData)
          && !ds.contains(Tag.FloatPixelData)
          && !ds.contains(Tag.DoubleFloatPixelData)) {
        throw WadoException.badRequest("the instance has no pixel data, so no frames");
      }
      return FrameIndex.of(ds, ts, channel);
    } catch (DicomParseException e) {
      LOG.warnf("stored object of tenant %s not parseable at offset %d", tenant, e.offset());
      throw new WadoException(500, "the stored object cannot be parsed");
    } catch (IllegalArgumentException e) {
      throw WadoException.notAcceptable(
          "the frames of this object cannot be located without decoding (not supported yet)");
    }
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

  private void copyRanges(
      String tenant, StoredInstance i, List<FrameIndex.Range> ranges, OutputStream out)
      throws IOException {
    for (FrameIndex.Range r : ranges) {
      try (InputStream in =
          storage.range(tenant, i.bucket(), i.objectKey(), r.offset(), r.length())) {
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

  /** At most {@code left} bytes of a stream. */
  private static final class BoundedInput extends InputStream {
    private final InputStream in;
    private long left;

    BoundedInput(InputStream in, long left) {
      this.in = in;
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
