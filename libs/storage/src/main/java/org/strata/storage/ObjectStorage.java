package org.strata.storage;

import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.http.HttpUtils;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;

/**
 * The one way into object storage: one MinIO client per configuration (its HTTP connection pool
 * shared by every bucket), one {@link ObjectStore} per bucket, the upload buffer sizes decided
 * here. Services, benchmarks and tests open storage through this class; none builds a MinIO client
 * of its own.
 */
public final class ObjectStorage {
  /** Objects up to this size go up in one PUT (buffered), larger ones in parts. */
  static final int SINGLE_PUT_LIMIT = 8 * 1024 * 1024;

  /** The part size of multipart uploads: the memory one upload of a large object holds. */
  static final long PART_SIZE = 16L * 1024 * 1024;

  private static final long TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(5);

  /** The longest a request waits to connect, send or read (a nearline tier's may be shorter). */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(TIMEOUT_MILLIS);

  private final StorageConfig config;
  private final MinioClient client;
  private final BufferedPut bufferedPut;
  private final RequestCounts counts = new RequestCounts();
  private final Map<String, ObjectStore> stores = new ConcurrentHashMap<>();

  private ObjectStorage(StorageConfig config, Duration timeout) {
    this.config = config;
    long millis = Math.max(1, timeout.toMillis());
    OkHttpClient http =
        HttpUtils.newDefaultHttpClient(millis, millis, millis)
            .newBuilder()
            .addInterceptor(
                chain -> {
                  counts.count(chain.request().method());
                  okhttp3.Response response = chain.proceed(chain.request());
                  okhttp3.RequestBody body = chain.request().body();
                  counts.bytes(
                      body == null ? 0 : body.contentLength(),
                      response.body() == null ? 0 : response.body().contentLength());
                  return response;
                })
            .build();
    this.client =
        MinioClient.builder()
            .endpoint(config.endpoint())
            .credentials(config.accessKey(), config.secretKey())
            .region("us-east-1")
            .httpClient(http)
            .build();
    // The same endpoint and HTTP client (one connection pool, the same request counts).
    this.bufferedPut =
        new BufferedPut(
            MinioAsyncClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region("us-east-1")
                .httpClient(http)
                .build());
  }

  /** A client for {@code config}; nothing is sent before the first request. */
  public static ObjectStorage open(StorageConfig config) {
    return new ObjectStorage(config, DEFAULT_TIMEOUT);
  }

  /** As {@link #open(StorageConfig)}, each request waiting at most {@code timeout} for a byte. */
  static ObjectStorage open(StorageConfig config, Duration timeout) {
    return new ObjectStorage(config, timeout);
  }

  public StorageConfig config() {
    return config;
  }

  /** The configured bucket's store. */
  public ObjectStore store() {
    return store(config.bucket());
  }

  /** The store of {@code bucket} (objects tiered to another bucket stay readable). */
  public ObjectStore store(String bucket) {
    return stores.computeIfAbsent(
        bucket,
        b -> new ObjectStore(client, bufferedPut, b, SINGLE_PUT_LIMIT, PART_SIZE, counts, null));
  }

  /**
   * A store of {@code bucket} with other upload sizes, not shared (tests of the multipart path).
   */
  ObjectStore store(String bucket, int singlePutLimit, long partSize) {
    return new ObjectStore(client, bufferedPut, bucket, singlePutLimit, partSize, counts, null);
  }

  /**
   * HTTP requests sent so far by method (PUT, GET, HEAD, POST, DELETE), every part of a multipart
   * upload counted: what the S3 server's CPU pays for.
   */
  public Map<String, Long> requestCounts() {
    return counts.snapshot();
  }

  /** Body bytes {@code sent} to and {@code received} from object storage so far. */
  public Map<String, Long> bodyBytes() {
    return counts.bytesSnapshot();
  }
}
