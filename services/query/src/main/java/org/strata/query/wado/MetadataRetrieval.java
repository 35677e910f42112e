package org.strata.query.wado;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.zip.ZipException;
import org.jboss.logging.Logger;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.Tag;
import org.strata.dicom.json.DicomJsonWriter;
import org.strata.query.config.QueryConfig;
import org.strata.storage.StorageException;

/**
 * WADO-RS metadata (PS3.18 10.4.1.1.2): per instance the bytes of its metadata sidecar as ingest
 * made them, from the index's copy when it has one (ADR 0045: read a page of instances per query,
 * no S3 request), else from the sidecar in S3, else the object's header made into DICOM JSON;
 * sidecars read ahead (bounded, ADR 0013) and kept in a small cache; after each answer, the frame
 * indexes of its instances are made ready in the {@link FrameIndexCache} (native pixel data's
 * derived from this metadata, ADR 0073; the others' read ahead).
 */
@ApplicationScoped
public class MetadataRetrieval {
  private static final Logger LOG = Logger.getLogger(MetadataRetrieval.class);

  private final Storage storage;
  private final IndexedMetadata indexed;
  private final ObjectHeaders headers;
  private final FrameIndexCache frameIndexes;
  private final ObjectReadAhead objects;
  private final ExecutorService executor;
  private final QueryConfig.Wado config;

  /**
   * Sidecars by bucket, sidecar key, object key and stored event: such a key names one object (see
   * {@link FrameIndexCache}); only sidecars that exist are kept (the header fallback is not, so a
   * sidecar written later is seen). Metadata read from the index is kept here too, by tenant, SOP
   * Instance UID and stored event ({@link #indexCacheKey}).
   */
  private final ByteBoundedLru<String, byte[]> sidecars;

  public MetadataRetrieval(
      Storage storage,
      IndexedMetadata indexed,
      ObjectHeaders headers,
      FrameIndexCache frameIndexes,
      ObjectReadAhead objects,
      StorageExecutor executor,
      QueryConfig config) {
    this.storage = storage;
    this.indexed = indexed;
    this.headers = headers;
    this.frameIndexes = frameIndexes;
    this.objects = objects;
    this.executor = executor.executor();
    this.config = config.wado();
    this.sidecars =
        new ByteBoundedLru<>(this.config.sidecarCacheSize().asLongValue(), b -> 200L + b.length);
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
    int page = Math.max(1, config.metadataIndexPage());
    out.write('[');
    boolean first = true;
    List<StoredInstance> inIndex = new ArrayList<>();
    for (int from = 0; from < instances.size(); from += page) {
      List<StoredInstance> slice = instances.subList(from, Math.min(instances.size(), from + page));
      Map<String, byte[]> rows = Map.of();
      if (config.metadataFromIndex()) {
        // Only the rows not in the cache are read (none when the series was served before).
        List<StoredInstance> notCached = new ArrayList<>();
        for (StoredInstance i : slice) {
          if (sidecars.peek(indexCacheKey(tenant, i))) {
            inIndex.add(i);
          } else {
            notCached.add(i);
          }
        }
        rows = notCached.isEmpty() ? Map.of() : indexed.compressed(tenant, notCached);
        for (StoredInstance i : notCached) {
          if (rows.containsKey(IndexedMetadata.key(i))) {
            inIndex.add(i);
          }
        }
      }
      Map<String, byte[]> fromIndex = rows;
      try (Ahead<byte[]> json =
          new Ahead<>(
              executor,
              Math.max(1, config.metadataConcurrency()),
              slice.size(),
              k -> () -> metadataJson(tenant, slice.get(k), fromIndex, base, cap),
              j -> {})) {
        for (StoredInstance i : slice) {
          if (!first) {
            out.write(',');
          }
          first = false;
          byte[] bytes = json.next();
          if (bytes != null) {
            out.write(bytes);
          } else {
            // too large to hold: streamed in its turn
            writeMetadata(tenant, i, fromIndex.get(IndexedMetadata.key(i)), out, base);
          }
        }
      }
    }
    out.write(']');
    out.flush();
    prefetchFrameIndexes(tenant, instances, inIndex);
    objects.prefetch(tenant, instances);
  }

  /**
   * One instance's metadata JSON in memory, or null when it has more than {@code cap} bytes: the
   * index's copy when there is one, else as below.
   */
  private byte[] metadataJson(
      String tenant, StoredInstance i, Map<String, byte[]> fromIndex, String base, int cap)
      throws IOException {
    if (config.metadataFromIndex()) {
      byte[] cached = sidecars.get(indexCacheKey(tenant, i));
      if (cached != null) {
        return cached;
      }
    }
    byte[] compressed = fromIndex.get(IndexedMetadata.key(i));
    if (compressed != null) {
      try {
        byte[] bytes = IndexedMetadata.inflate(compressed, cap);
        if (bytes.length > cap) {
          return null;
        }
        sidecars.put(indexCacheKey(tenant, i), bytes);
        return bytes;
      } catch (ZipException e) {
        LOG.warnf("metadata row of tenant %s not readable; using the sidecar", tenant);
      }
    }
    return metadataJson(tenant, i, base, cap);
  }

  /** One instance's metadata JSON in memory, or null when it has more than {@code cap} bytes. */
  private byte[] metadataJson(String tenant, StoredInstance i, String base, int cap)
      throws IOException {
    String cacheKey = i.cacheableDerivatives() ? sidecarCacheKey(i) : null;
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

  /**
   * One instance's metadata JSON streamed onto {@code out}: the index's copy ({@code compressed},
   * null without one), else its sidecar, else its header.
   */
  private void writeMetadata(
      String tenant, StoredInstance i, byte[] compressed, OutputStream out, String base)
      throws IOException {
    if (compressed != null) {
      // Its head was inflated once already (larger than the buffer), so it inflates.
      try (InputStream in = IndexedMetadata.inflate(compressed)) {
        in.transferTo(out);
      }
      return;
    }
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

  private void headerJson(String tenant, StoredInstance i, OutputStream out, String base)
      throws IOException {
    Attributes ds = headers.header(tenant, i, true);
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
   * Viewers ask for frames right after a series' metadata: the frame indexes of the instances whose
   * sidecar exists (so their derivatives are likely written) or whose metadata the index had (ADR
   * 0045) are made ready once the answer is out: native pixel data's derived from the metadata just
   * served (ADR 0073: no S3 request), the others' stored ones read ahead (only those that exist).
   */
  private void prefetchFrameIndexes(
      String tenant, List<StoredInstance> instances, List<StoredInstance> inIndex) {
    List<StoredInstance> written = new ArrayList<>();
    for (StoredInstance i : inIndex) {
      if (i.cacheableDerivatives()) {
        written.add(i);
      }
    }
    for (StoredInstance i : instances) {
      if (i.cacheableDerivatives() && sidecars.peek(sidecarCacheKey(i))) {
        written.add(i);
      }
    }
    frameIndexes.prefetch(tenant, written, i -> servedMetadata(tenant, i));
  }

  /** The metadata JSON of an instance as served and kept in the cache, or null. */
  private byte[] servedMetadata(String tenant, StoredInstance i) {
    byte[] json = config.metadataFromIndex() ? sidecars.get(indexCacheKey(tenant, i)) : null;
    return json != null ? json : sidecars.get(sidecarCacheKey(i));
  }

  /**
   * The cache key of an instance's metadata read from the index: a row belongs to one stored event
   * (ADR 0045), so unlike a sidecar key it is right for every version of an instance.
   */
  private static String indexCacheKey(String tenant, StoredInstance i) {
    return "index|" + tenant + "|" + IndexedMetadata.key(i);
  }

  private static String sidecarCacheKey(StoredInstance i) {
    return i.bucket() + "/" + i.sidecarKey() + "|" + i.objectKey() + "|" + i.storedEventId();
  }
}
