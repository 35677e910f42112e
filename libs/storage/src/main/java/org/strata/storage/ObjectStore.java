package org.strata.storage;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Strata's access to S3-compatible object storage (MinIO in production, s3proxy locally), through
 * the MinIO SDK. Uploads stream: an object that fits in {@code singlePutLimit} bytes is sent as one
 * PUT of known length, a larger one as a multipart upload in parts of {@code partSize}, so memory
 * per upload is bounded whatever the object's size.
 */
public final class ObjectStore {
  private final MinioClient client;
  private final BufferedPut bufferedPut;
  private final String bucket;
  private final int singlePutLimit;
  private final long partSize;
  private final RequestCounts requestCounts;
  // The nearline tier this store reads, or null (online): its failed reads are TierUnavailable.
  private final Tier nearline;

  ObjectStore(
      MinioClient client,
      BufferedPut bufferedPut,
      String bucket,
      int singlePutLimit,
      long partSize,
      RequestCounts requestCounts,
      Tier nearline) {
    if (partSize < 5L * 1024 * 1024) {
      throw new IllegalArgumentException("S3 parts are at least 5 MiB");
    }
    this.client = client;
    this.bufferedPut = bufferedPut;
    this.bucket = bucket;
    this.singlePutLimit = singlePutLimit;
    this.partSize = partSize;
    this.requestCounts = requestCounts;
    this.nearline = nearline;
  }

  /** This bucket's store as the nearline {@code tier}'s: a read that fails is unavailable. */
  ObjectStore onNearline(Tier tier) {
    return new ObjectStore(
        client, bufferedPut, bucket, singlePutLimit, partSize, requestCounts, tier);
  }

  /**
   * A failed read: on a nearline tier "not available now" ({@link TierUnavailableException}),
   * unless S3 answered that there is no such object.
   */
  private StorageException readFailed(String what, Exception e) {
    if (nearline != null
        && !(e instanceof ErrorResponseException r
            && StorageException.isMissingCode(r.errorResponse().code()))) {
      return new TierUnavailableException(nearline, what + " (nearline tier not available)", e);
    }
    return new StorageException(what, e);
  }

  /**
   * Reads the first byte of an object: whether the tier serves it now. Nothing for a missing object
   * (the read itself tells); {@link TierUnavailableException} for a nearline tier that does not.
   */
  public void probe(String key) throws StorageException {
    try (InputStream in = getRange(key, 0, 1)) {
      in.read();
    } catch (StorageException e) {
      if (!e.isMissing()) {
        throw e;
      }
    } catch (IOException e) {
      throw readFailed("probe failed: " + e.getClass().getSimpleName(), e);
    }
  }

  /** Shorthand for {@code ObjectStorage.open(new StorageConfig(...)).store()}. */
  public static ObjectStore connect(
      String endpoint, String accessKey, String secretKey, String bucket) {
    return ObjectStorage.open(new StorageConfig(endpoint, accessKey, secretKey, bucket)).store();
  }

  /**
   * HTTP requests sent to object storage so far by method (PUT, GET, HEAD, POST, DELETE), every
   * part of a multipart upload counted, by every store of the same {@link ObjectStorage}.
   */
  public Map<String, Long> requestCounts() {
    return requestCounts.snapshot();
  }

  /**
   * Body bytes {@code sent} to and {@code received} from object storage so far (by declared
   * Content-Length), by every store of the same {@link ObjectStorage}.
   */
  public Map<String, Long> bodyBytes() {
    return requestCounts.bytesSnapshot();
  }

  public String bucket() {
    return bucket;
  }

  /** Metadata of an object, or empty when there is none under that key. */
  public Optional<StoredObject> stat(String key) throws StorageException {
    try {
      StatObjectResponse r =
          client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
      return Optional.of(new StoredObject(key, r.size(), r.userMetadata()));
    } catch (ErrorResponseException e) {
      if (StorageException.isMissingCode(e.errorResponse().code())) {
        return Optional.empty();
      }
      throw readFailed("stat failed: " + e.errorResponse().code(), e);
    } catch (Exception e) {
      throw readFailed("stat failed: " + e.getMessage(), e);
    }
  }

  /**
   * Streams {@code in} to {@code key} and returns the number of bytes stored. The stream is read
   * once; {@code userMetadata} becomes x-amz-meta-* headers.
   */
  public long put(String key, InputStream in, String contentType, Map<String, String> userMetadata)
      throws StorageException, IOException {
    byte[] head = in.readNBytes(singlePutLimit);
    try {
      if (head.length < singlePutLimit) {
        bufferedPut.put(bucket, key, head, contentType, userMetadata, Map.of(), null);
        return head.length;
      }
      CountingInputStream counted =
          new CountingInputStream(new SequenceInputStream(new ByteArrayInputStream(head), in));
      client.putObject(
          PutObjectArgs.builder().bucket(bucket).object(key).stream(counted, -1, partSize)
              .contentType(contentType)
              .userMetadata(userMetadata)
              .build());
      return counted.count();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new StorageException("upload failed: " + e.getMessage(), e);
    }
  }

  /**
   * What {@link #putIfAbsent} did: stored the object, or found one under the key and stored
   * nothing, handing back the unsent bytes so the caller can put them elsewhere.
   */
  public record PutOutcome(boolean stored, long size, InputStream unsent) {}

  /**
   * Streams {@code in} to {@code key} unless an object is already there. An object that fits one
   * PUT is sent with {@code If-None-Match: *} (one request; S3, MinIO and s3proxy answer 412 when
   * the key exists); a larger one is checked with a HEAD first, then uploaded in parts.
   */
  public PutOutcome putIfAbsent(
      String key, InputStream in, String contentType, Map<String, String> userMetadata)
      throws StorageException, IOException {
    return putIfAbsent(key, in, contentType, userMetadata, null);
  }

  /**
   * As {@link #putIfAbsent(String, InputStream, String, Map)}, for a caller that reads {@code in}
   * through {@code sha256OfIn} (a SHA-256 digest that has seen nothing else): an object sent in one
   * PUT takes its hash from there as the request's payload hash, so its bytes are not hashed again
   * (ADR 0074). The digest is left as it is (read through a copy) for the caller's own use.
   */
  public PutOutcome putIfAbsent(
      String key,
      InputStream in,
      String contentType,
      Map<String, String> userMetadata,
      MessageDigest sha256OfIn)
      throws StorageException, IOException {
    byte[] head = in.readNBytes(singlePutLimit);
    if (head.length < singlePutLimit) {
      try {
        bufferedPut.put(
            bucket,
            key,
            head,
            contentType,
            userMetadata,
            Map.of("If-None-Match", "*"),
            hashSoFar(sha256OfIn));
        return new PutOutcome(true, head.length, null);
      } catch (ErrorResponseException e) {
        if (e.response().code() == 412) {
          return new PutOutcome(false, head.length, new ByteArrayInputStream(head));
        }
        throw new StorageException("upload failed: " + e.errorResponse().code(), e);
      } catch (Exception e) {
        throw new StorageException("upload failed: " + e.getMessage(), e);
      }
    }
    InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), in);
    if (stat(key).isPresent()) {
      return new PutOutcome(false, -1, whole);
    }
    return new PutOutcome(true, put(key, whole, contentType, userMetadata), null);
  }

  /** The hex value of what {@code digest} has seen, leaving it as it is; null without one. */
  private static String hashSoFar(MessageDigest digest) {
    if (digest == null || !"SHA-256".equals(digest.getAlgorithm())) {
      return null;
    }
    try {
      return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      return null; // hashed by the PUT itself
    }
  }

  public InputStream get(String key) throws StorageException {
    try {
      return client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
    } catch (Exception e) {
      throw readFailed("download failed: " + e.getMessage(), e);
    }
  }

  /** Bytes {@code offset} to {@code offset + length - 1} of the object (an HTTP range read). */
  public InputStream getRange(String key, long offset, long length) throws StorageException {
    try {
      return client.getObject(
          GetObjectArgs.builder().bucket(bucket).object(key).offset(offset).length(length).build());
    } catch (Exception e) {
      throw readFailed("range read failed: " + e.getMessage(), e);
    }
  }

  /** A server-side copy (no bytes through this process). */
  public void copy(String from, String to) throws StorageException {
    try {
      client.copyObject(
          io.minio.CopyObjectArgs.builder()
              .bucket(bucket)
              .object(to)
              .source(io.minio.CopySource.builder().bucket(bucket).object(from).build())
              .build());
    } catch (Exception e) {
      throw new StorageException("copy failed: " + e.getMessage(), e);
    }
  }

  public void delete(String key) throws StorageException {
    try {
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
    } catch (Exception e) {
      throw new StorageException("delete failed: " + e.getMessage(), e);
    }
  }

  /** A cheap reachability check for readiness probes. */
  public boolean isReachable() {
    try {
      return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
    } catch (Exception e) {
      return false;
    }
  }

  /** An object's size and user metadata (keys without the x-amz-meta- prefix, lower case). */
  public record StoredObject(String key, long size, Map<String, String> userMetadata) {}

  /** An entry of a listing: key, size and when it was last written. */
  public record ListedObject(String key, long size, java.time.Instant lastModified) {}

  /**
   * Every object under {@code prefix} (all levels), fetched page by page as the caller iterates:
   * memory stays flat whatever the bucket holds. Listing errors surface as {@link
   * java.io.UncheckedIOException} from the iterator.
   */
  public Iterable<ListedObject> list(String prefix) {
    return list(prefix, null);
  }

  /**
   * As {@link #list(String)}, starting after {@code startAfter} (null: from the first key): S3
   * lists keys in order, so a long scan resumes from its last key.
   */
  public Iterable<ListedObject> list(String prefix, String startAfter) {
    io.minio.ListObjectsArgs.Builder args =
        io.minio.ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true);
    if (startAfter != null) {
      args.startAfter(startAfter);
    }
    Iterable<io.minio.Result<io.minio.messages.Item>> results = client.listObjects(args.build());
    return () -> {
      java.util.Iterator<io.minio.Result<io.minio.messages.Item>> it = results.iterator();
      return new java.util.Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public ListedObject next() {
          try {
            io.minio.messages.Item item = it.next().get();
            return new ListedObject(
                item.objectName(),
                item.size(),
                item.lastModified() == null ? null : item.lastModified().toInstant());
          } catch (Exception e) {
            throw new java.io.UncheckedIOException(
                new IOException("listing failed: " + e.getMessage(), e));
          }
        }
      };
    };
  }

  private static final class CountingInputStream extends java.io.FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    long count() {
      return count;
    }
  }
}
