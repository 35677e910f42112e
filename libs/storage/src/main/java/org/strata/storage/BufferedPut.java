package org.strata.storage;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.MinioAsyncClient;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * One PUT of an object already in memory, with its bytes as the request body (ADR 0067).
 *
 * <p>The SDK's {@code putObject(stream)} copies a stream into a part buffer that grows by doubling
 * (about 1.5 MB of copying and as much garbage for a 0.5 MB instance) and, for every PUT whose body
 * is not a byte array, builds a new OkHttp client (its certificate pinner compares the JDK's trust
 * roots each time): together about a tenth of ingest's CPU per instance in a profile of STOW-RS. A
 * byte array body takes neither; the SDK adds its Content-MD5 (which S3 checks) and, over plain
 * HTTP, the SHA-256 that Signature V4 signs (over HTTPS it sends UNSIGNED-PAYLOAD). The SDK's
 * stream API has no byte array variant, hence this subclass of its asynchronous client.
 */
final class BufferedPut extends MinioAsyncClient {
  BufferedPut(MinioAsyncClient client) {
    super(client);
  }

  /**
   * PUTs {@code data} to {@code key}.
   *
   * @param headers extra request headers (e.g. {@code If-None-Match})
   * @throws Exception what the SDK throws (an {@code ErrorResponseException} for an S3 error)
   */
  void put(
      String bucket,
      String key,
      byte[] data,
      String contentType,
      Map<String, String> userMetadata,
      Map<String, String> headers)
      throws Exception {
    Multimap<String, String> all = HashMultimap.create();
    all.put("Content-Type", contentType);
    // As the SDK's own user metadata: x-amz-meta-* headers.
    userMetadata.forEach((name, value) -> all.put("x-amz-meta-" + name, value));
    headers.forEach(all::put);
    try {
      putObjectAsync(bucket, null, key, data, data.length, all, null).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
