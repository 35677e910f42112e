package org.strata.query.wado;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.jboss.logging.Logger;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.codec.CodecException;
import org.strata.dicom.codec.Transcoder;
import org.strata.query.config.QueryConfig;
import org.strata.storage.StorageException;

/**
 * WADO-RS instances (PS3.18 10.4.1.1.1) and WADO-URI objects: each stored object streamed from S3
 * as stored or transcoded as it streams. Blocking: runs on worker threads; bytes go from the S3
 * response to the HTTP response through a small buffer, so memory does not depend on object sizes
 * (beyond the bounded read-ahead, ADR 0013).
 */
@ApplicationScoped
public class InstanceRetrieval {
  private static final Logger LOG = Logger.getLogger(InstanceRetrieval.class);

  private final Storage storage;
  private final ExecutorService executor;
  private final QueryConfig.Wado config;
  private final ObjectCache cache;

  public InstanceRetrieval(
      Storage storage, StorageExecutor executor, QueryConfig config, ObjectCache cache) {
    this.storage = storage;
    this.executor = executor.executor();
    this.config = config.wado();
    this.cache = cache;
  }

  /**
   * Before the answer's first byte: 503 with Retry-After when instances not in the object cache are
   * on a nearline tier that does not serve now (a streamed answer could only be cut short).
   */
  public void requireReadable(String tenant, List<StoredInstance> instances) {
    storage.requireNearlineReadable(
        tenant, instances.stream().filter(i -> !cache.contains(i)).toList());
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
   * The first bytes of an object, read ahead of its turn: nothing when it is in the object cache
   * (it is read from there when written), else the whole object when it has at most {@code cap}
   * bytes (one GET, then kept in the cache), else its first {@code cap} bytes (one range GET; the
   * rest is read when the object is written, so no S3 response is held open while others are
   * written).
   */
  private Head head(String tenant, StoredInstance i, int cap) throws IOException {
    if (cache.contains(i)) {
      return new Head(null, true);
    }
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
          cache.keep(i, bytes);
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

  /**
   * An object's first bytes; {@code whole}: all of it (or more than the index said). No bytes: the
   * object was in the cache when its turn was read ahead.
   */
  private record Head(byte[] bytes, boolean whole) {}

  /** {@link #writeObject} from a head read ahead, the rest (if any) by a range read now. */
  private void writeObject(
      String tenant, StoredInstance i, Head head, OutputStream out, String target)
      throws IOException {
    if (head.bytes() == null) {
      writeObject(tenant, i, out, target); // from the cache, or S3 if evicted meanwhile
      return;
    }
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
   * One object, from the object cache or else S3: byte for byte as stored when {@code target} is
   * null, else transcoded to it as it streams. A failure once bytes are out can only cut the
   * response short (IOException).
   */
  public void writeObject(String tenant, StoredInstance i, OutputStream out, String target)
      throws IOException {
    Storage.checkTenant(tenant, i.objectKey());
    java.util.Optional<InputStream> cached = cache.open(i);
    if (cached.isPresent()) {
      copyOrTranscode(tenant, i, cached.get(), out, target);
      return;
    }
    InputStream in;
    try {
      in = storage.open(tenant, i.bucket(), i.objectKey());
    } catch (StorageException e) {
      LOG.warnf("object of tenant %s not readable: %s", tenant, StorageException.describe(e));
      throw new IOException("object storage failed", e);
    }
    copyOrTranscode(tenant, i, in, out, target);
  }

  /** {@link InputStream#transferTo} with a 64 KiB buffer rather than 16: fewer writes. */
  private static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long n = 0;
    for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
      out.write(buffer, 0, read);
      n += read;
    }
    return n;
  }

  private void copyOrTranscode(
      String tenant, StoredInstance i, InputStream stream, OutputStream out, String target)
      throws IOException {
    try (InputStream in = stream) {
      if (target == null) {
        long copied = copy(in, out);
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
}
