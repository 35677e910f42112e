package org.strata.query.wado;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Tag;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.FrameIndex;
import org.strata.dicom.io.ReadOptions;
import org.strata.dicom.io.TransferSyntax;
import org.strata.query.config.QueryConfig;
import org.strata.storage.RangeReadChannel;
import org.strata.storage.StorageException;

/**
 * The frame indexes of stored instances, the one cache of them; kept in memory by weight, read
 * ahead after metadata answers (ADR 0013). Native pixel data: derived from the instance's metadata
 * (ADR 0073: the index's copy, or the metadata answer's), since ingest writes no frame index object
 * for it; encapsulated pixel data (and native data without metadata in the index, e.g. an instance
 * stored before it kept any): the stored frame index when ingest has written one, else computed
 * from the object.
 */
@ApplicationScoped
public class FrameIndexCache {
  private static final Logger LOG = Logger.getLogger(FrameIndexCache.class);

  /** A frame index is about 5 bytes per frame; anything larger is not one. */
  private static final int MAX_FRAME_INDEX_BYTES = 16 * 1024 * 1024;

  /** Values above this stay in the object when a frame index is computed from it. */
  private static final int BULK_THRESHOLD = 64 * 1024;

  private final Storage storage;
  private final IndexedMetadata indexed;
  private final boolean metadataFromIndex;
  private final boolean enabled;

  /**
   * Frame indexes by bucket, object key and stored event. An object key with its stored event names
   * one object (a new version of an instance gets a new key, ADR 0005; an instance deleted and
   * stored again gets a new event), so an entry never goes stale; a deleted instance is no longer
   * found by {@link InstanceLocator#locate}, which every request runs first, so its entry is never
   * reached and ages out. Keys begin with the tenant, so tenants cannot meet in the cache.
   */
  private final ByteBoundedLru<String, FrameIndex> cache;

  /** Reads frame indexes ahead after metadata answers (one thread, a short queue). */
  private final Executor prefetcher;

  public FrameIndexCache(
      Storage storage, IndexedMetadata indexed, StorageExecutor executor, QueryConfig config) {
    this.storage = storage;
    this.indexed = indexed;
    this.metadataFromIndex = config.wado().metadataFromIndex();
    this.prefetcher = executor.prefetcher();
    long size = config.wado().frameIndexCacheSize().asLongValue();
    this.enabled = size > 0;
    this.cache = new ByteBoundedLru<>(size, FrameIndexCache::weight);
  }

  /**
   * The frame index of an instance. Native pixel data: from its metadata row in the index (one
   * database read, no S3 request). Otherwise, or without a row: the stored one when ingest has
   * written it, else computed from the object (read once from S3, values above 64 KiB skipped;
   * offset tables and fragment starts left in the object are read by range).
   */
  public FrameIndex frameIndex(String tenant, StoredInstance i) {
    String cacheKey = frameIndexCacheKey(i);
    FrameIndex cached = cache.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    FrameIndex index = loadFrameIndex(tenant, i);
    if (i.cacheableDerivatives()) {
      cache.put(cacheKey, index);
    }
    return index;
  }

  /** Estimated heap bytes of a cached frame index and its key. */
  static long weight(FrameIndex index) {
    long ranges = 0;
    for (int k = 0; k < index.frameCount(); k++) {
      ranges += index.ranges(k).size();
    }
    // object headers and arrays: frame starts (int), range offsets and lengths (long), bit
    // offsets (byte); the key string and the map entry
    return 400 + 5L * (index.frameCount() + 1) + 16 * ranges;
  }

  /**
   * Bucket, object key and stored event: an instance deleted and stored again gets the same
   * version-1 key, possibly with other bytes, but a new event.
   */
  private static String frameIndexCacheKey(StoredInstance i) {
    return i.bucket() + "/" + i.objectKey() + "|" + i.storedEventId();
  }

  /**
   * Fills the cache in the background after a metadata answer, one instance after the other on one
   * thread, after the answer rather than beside it (best effort: a few jobs queued at most, others
   * dropped; never computed from the object; a frame asked for meanwhile reads its own): native
   * pixel data derived from the metadata the answer held ({@code metadata}: the instance's JSON, or
   * null), no S3 request; the stored frame indexes of the others (whose derivatives are written).
   */
  void prefetch(
      String tenant, List<StoredInstance> instances, Function<StoredInstance, byte[]> metadata) {
    if (!enabled) {
      return;
    }
    List<StoredInstance> todo = new ArrayList<>();
    List<byte[]> json = new ArrayList<>();
    for (StoredInstance i : instances) {
      if (i.cacheableDerivatives() && !cache.peek(frameIndexCacheKey(i))) {
        boolean nativePixels = NativeFrameIndex.nativePixelData(i.transferSyntaxUid());
        byte[] m = nativePixels ? metadata.apply(i) : null;
        if (!nativePixels || m != null) {
          todo.add(i);
          json.add(m);
        }
      }
    }
    if (todo.isEmpty()) {
      return;
    }
    prefetcher.execute(
        () -> {
          for (int k = 0; k < todo.size(); k++) {
            StoredInstance i = todo.get(k);
            if (cache.peek(frameIndexCacheKey(i))) {
              continue;
            }
            if (json.get(k) != null) {
              try {
                NativeFrameIndex.fromMetadata(new ByteArrayInputStream(json.get(k)))
                    .ifPresent(index -> cache.put(frameIndexCacheKey(i), index));
              } catch (IOException | RuntimeException e) {
                LOG.debugf("frame index of tenant %s not derived: %s", tenant, e.getClass());
              }
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
                  cache.put(frameIndexCacheKey(i), FrameIndex.fromBytes(bytes));
                }
              }
            } catch (StorageException | IOException | RuntimeException e) {
              LOG.debugf("frame index read-ahead of tenant %s failed: %s", tenant, e.getClass());
            }
          }
        });
  }

  private FrameIndex loadFrameIndex(String tenant, StoredInstance i) {
    if (NativeFrameIndex.nativePixelData(i.transferSyntaxUid())) {
      Optional<FrameIndex> derived = fromIndexedMetadata(tenant, i);
      if (derived.isPresent()) {
        return derived.get();
      }
    }
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
      throw WadoException.storageFailed(e);
    }
  }

  /**
   * Native pixel data's frame index from the instance's metadata row (ADR 0045, 0073); empty
   * without a row (or one that does not describe the frames: then the stored frame index or the
   * object, as for an instance stored before).
   */
  private Optional<FrameIndex> fromIndexedMetadata(String tenant, StoredInstance i) {
    if (!metadataFromIndex) {
      return Optional.empty();
    }
    try {
      byte[] compressed = indexed.compressed(tenant, List.of(i)).get(IndexedMetadata.key(i));
      if (compressed == null) {
        return Optional.empty();
      }
      try (InputStream json = IndexedMetadata.inflate(compressed)) {
        return NativeFrameIndex.fromMetadata(json);
      }
    } catch (IOException | RuntimeException e) {
      // The index's copy is a shortcut: the object (or an older stored index) still answers.
      LOG.warnf("metadata row of tenant %s not readable: %s", tenant, e.getClass().getName());
      return Optional.empty();
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
}
