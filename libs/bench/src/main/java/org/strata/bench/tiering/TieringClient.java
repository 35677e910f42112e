package org.strata.bench.tiering;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tiering benchmark and the tiering kill suite ask of storage-tiering and of the second S3
 * server: a study's move to {@code cold}, whether a move request finished, the keys under a prefix.
 */
public final class TieringClient {
  private static final Pattern REQUEST = Pattern.compile("\"request\"\\s*:\\s*\"([0-9a-f-]{36})\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TieringClient() {}

  /** Asks storage-tiering at {@code url} to move the study to {@code cold}; returns the request. */
  public static String moveToCold(String url, String tenant, String study) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        url
                            + "/admin/tenants/"
                            + tenant
                            + "/studies/"
                            + study
                            + "/moves?tier=cold"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = REQUEST.matcher(r.body());
    if (r.statusCode() != 202 || !m.find()) {
      throw new IllegalStateException("the move answered " + r.statusCode() + ": " + r.body());
    }
    return m.group(1);
  }

  /** Whether every job of the move request is finished (false while storage-tiering is down). */
  public static boolean finished(String url, String request) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url + "/admin/moves/" + request))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"finished\":true");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A client of the second S3 server, from the platform's addresses. */
  public static MinioClient cold(Map<String, String> addresses) {
    return MinioClient.builder()
        .endpoint(addresses.get("strata.s3.tiers.cold.endpoint"))
        .credentials(
            addresses.get("strata.s3.tiers.cold.access-key"),
            addresses.get("strata.s3.tiers.cold.secret-key"))
        .build();
  }

  /** Every key of the bucket under the prefix. */
  public static Set<String> keys(MinioClient s3, String bucket, String prefix) throws Exception {
    Set<String> keys = new TreeSet<>();
    for (Result<Item> item :
        s3.listObjects(
            ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
      keys.add(item.get().objectName());
    }
    return keys;
  }
}
