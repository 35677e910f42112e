package org.strata.storage;

import com.google.common.collect.HashMultimap;
import com.google.common.collect.Multimap;
import io.minio.MinioAsyncClient;
import io.minio.credentials.Credentials;
import io.minio.http.Method;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * One PUT of an object already in memory, with its bytes as the request body (ADR 0067).
 *
 * <p>The SDK's {@code putObject(stream)} copies a stream into a part buffer that grows by doubling
 * (about 1.5 MB of copying and as much garbage for a 0.5 MB instance) and, for every PUT whose body
 * is not a byte array, builds a new OkHttp client (its certificate pinner compares the JDK's trust
 * roots each time): together about a tenth of ingest's CPU per instance in a profile of STOW-RS. A
 * byte array body takes neither. The SDK's stream API has no byte array variant, hence this
 * subclass of its asynchronous client.
 *
 * <p>The body's integrity check is its SHA-256, signed (Signature V4's {@code
 * x-amz-content-sha256}, which S3 and MinIO compare with what they received), not a Content-MD5
 * besides: for a byte array the SDK computes both, an MD5 and a SHA-256 pass over every object,
 * which were a quarter to a third of ingest's Java CPU samples per 0.5 MB instance in session 9's
 * profile (ADR 0074). The SHA-256 is the caller's when it has one (ingest hashes the object while
 * receiving it), else computed here once.
 */
final class BufferedPut extends MinioAsyncClient {
  // The payload hash of each body being sent, by the body's identity: createRequest takes it from
  // here. An entry lives from the call to put until its answer.
  private final Map<byte[], String> payloadHashes =
      Collections.synchronizedMap(new IdentityHashMap<>());

  BufferedPut(MinioAsyncClient client) {
    super(client);
  }

  /**
   * PUTs {@code data} to {@code key}.
   *
   * @param headers extra request headers (e.g. {@code If-None-Match})
   * @param sha256Hex the SHA-256 of {@code data} in lower-case hex, or null to compute it here
   * @throws Exception what the SDK throws (an {@code ErrorResponseException} for an S3 error)
   */
  void put(
      String bucket,
      String key,
      byte[] data,
      String contentType,
      Map<String, String> userMetadata,
      Map<String, String> headers,
      String sha256Hex)
      throws Exception {
    Multimap<String, String> all = HashMultimap.create();
    all.put("Content-Type", contentType);
    // As the SDK's own user metadata: x-amz-meta-* headers.
    userMetadata.forEach((name, value) -> all.put("x-amz-meta-" + name, value));
    headers.forEach(all::put);
    payloadHashes.put(data, sha256Hex != null ? sha256Hex : sha256Hex(data));
    try {
      putObjectAsync(bucket, null, key, data, data.length, all, null).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      payloadHashes.remove(data);
    }
  }

  /**
   * The SDK's request for a body of ours: its headers (host, date, user agent, session token) as
   * for an empty body, then the body with its known hash instead of the Content-MD5 and SHA-256 the
   * SDK would compute over it. The SDK signs the request afterwards with that hash.
   */
  @Override
  protected Request createRequest(
      HttpUrl url, Method method, Headers headers, Object body, int length, Credentials creds)
      throws io.minio.errors.InsufficientDataException,
          io.minio.errors.InternalException,
          java.io.IOException,
          NoSuchAlgorithmException {
    String hash = body instanceof byte[] bytes ? payloadHashes.get(bytes) : null;
    if (hash == null) {
      return super.createRequest(url, method, headers, body, length, creds);
    }
    Request request = super.createRequest(url, method, headers, new byte[0], 0, creds);
    String type = headers == null ? null : headers.get("Content-Type");
    return request
        .newBuilder()
        .removeHeader("Content-MD5")
        .header("x-amz-content-sha256", hash)
        .method(
            method.toString(),
            RequestBody.create(
                (byte[]) body, type == null ? null : MediaType.parse(type), 0, length))
        .build();
  }

  static String sha256Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
