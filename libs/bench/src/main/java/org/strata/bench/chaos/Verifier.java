package org.strata.bench.chaos;

import io.minio.MinioClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the archive holds for each ledger entry, seen from every side: the object in S3, the rows in
 * the index (a read-only SQL count), the instance in QIDO-RS, and the object retrieved by WADO-RS
 * (its data set's SHA-256 against the one sent).
 */
final class Verifier {
  private static final String TENANT = "local";

  /** One instance as the archive shows it. */
  record Seen(boolean inS3, int indexRows, int qidoMatches, int wadoStatus, boolean sameBytes) {
    boolean fullyStored() {
      return inS3 && indexRows == 1 && qidoMatches == 1 && wadoStatus == 200 && sameBytes;
    }

    boolean absent() {
      return !inS3 && indexRows == 0 && qidoMatches == 0 && wadoStatus == 404;
    }

    boolean duplicated() {
      return indexRows > 1 || qidoMatches > 1;
    }
  }

  private final String queryUrl;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final MinioClient s3;
  private final String bucket;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  Verifier(
      String queryUrl,
      String jdbcUrl,
      String user,
      String password,
      MinioClient s3,
      String bucket) {
    this.queryUrl = queryUrl;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.s3 = s3;
    this.bucket = bucket;
  }

  /** Index rows per SOP Instance UID of the tenant (read-only). */
  Map<String, Integer> indexRows() throws Exception {
    Map<String, Integer> rows = new HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select sop_instance_uid, count(*) from instance where tenant = '"
                    + TENANT
                    + "' group by sop_instance_uid")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getInt(2));
      }
    }
    return rows;
  }

  /**
   * Looks at every entry's instance; one S3 listing and one QIDO search per study, four requests at
   * a time.
   */
  Map<Ledger.Entry, Seen> inspect(List<Ledger.Entry> entries) throws Exception {
    Map<String, Integer> rows = indexRows();
    Set<String> studies = new LinkedHashSet<>();
    entries.forEach(e -> studies.add(e.study()));
    Map<String, Set<String>> keys = new ConcurrentHashMap<>();
    Map<String, String> qido = new ConcurrentHashMap<>();
    Map<Ledger.Entry, Seen> seen = new ConcurrentHashMap<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> done = new ArrayList<>();
      for (String study : studies) {
        done.add(
            pool.submit(
                () -> {
                  keys.put(study, objectKeys(study));
                  qido.put(study, qidoInstances(study));
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      done.clear();
      for (Ledger.Entry e : entries) {
        done.add(
            pool.submit(
                () -> {
                  String key = TENANT + "/" + e.study() + "/" + e.series() + "/" + e.sop() + ".dcm";
                  byte[][] wado = new byte[1][];
                  int status = wado(e, wado);
                  boolean same =
                      status == 200
                          && ChaosInstances.datasetSha256(wado[0]).equals(e.datasetSha256());
                  seen.put(
                      e,
                      new Seen(
                          keys.get(e.study()).contains(key),
                          rows.getOrDefault(e.sop(), 0),
                          occurrences(qido.get(e.study()), "\"" + e.sop() + "\""),
                          status,
                          same));
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    }
    return seen;
  }

  private Set<String> objectKeys(String study) throws Exception {
    return org.strata.bench.tiering.TieringClient.keys(s3, bucket, TENANT + "/" + study + "/");
  }

  private String qidoInstances(String study) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(queryUrl + "/dicomweb/studies/" + study + "/instances?limit=1000"))
                .header("Accept", "application/dicom+json")
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() == 204 || r.statusCode() == 404) {
      return "";
    }
    if (r.statusCode() != 200) {
      throw new IOException("QIDO of study answered " + r.statusCode());
    }
    return r.body();
  }

  /** WADO-RS of one instance as stored; the Part 10 object goes to {@code out[0]}. */
  private int wado(Ledger.Entry e, byte[][] out) throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        queryUrl
                            + "/dicomweb/studies/"
                            + e.study()
                            + "/series/"
                            + e.series()
                            + "/instances/"
                            + e.sop()))
                .header(
                    "Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*")
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() == 200) {
      out[0] = firstPart(r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }
    return r.statusCode();
  }

  /** The body of the first part of a multipart/related answer (also the tiering kill suite's). */
  static byte[] firstPart(byte[] body, String contentType) {
    String boundary = null;
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
        boundary = p.substring(9).replace("\"", "");
      }
    }
    if (boundary == null) {
      throw new IllegalArgumentException("no boundary in " + contentType);
    }
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    int start = indexOf(body, delimiter, 0);
    int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
    int end =
        indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII), headersEnd + 4);
    if (start < 0 || headersEnd < 0 || end < 0) {
      throw new IllegalArgumentException("malformed multipart answer");
    }
    return java.util.Arrays.copyOfRange(body, headersEnd + 4, end);
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int occurrences(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
