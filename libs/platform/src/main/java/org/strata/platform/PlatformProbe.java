package org.strata.platform;

import io.minio.messages.Bucket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * Asks each running component a question in its own client's terms, the way Strata's services will:
 * the broker's topic list, a SQL query, the bucket list through the MinIO SDK, a token from
 * Keycloak. Used by {@code make run} to prove its printed addresses and by the platform tests.
 */
public final class PlatformProbe {
  /** The confidential client of {@code deploy/keycloak/strata-realm.json} for tests. */
  public static final String TEST_CLIENT_ID = "strata-test";

  public static final String TEST_CLIENT_SECRET = "strata-test-secret";

  private final Platform platform;

  public PlatformProbe(Platform platform) {
    this.platform = platform;
  }

  public Set<String> kafkaTopics() {
    try (Admin admin = platform.kafkaAdmin()) {
      return new TreeSet<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new PlatformException("Kafka did not list its topics: " + e.getMessage(), e);
    }
  }

  /** Runs {@code sql} on the {@code strata} database and returns the first column of row one. */
  public String postgresQuery(String sql) {
    try (Connection c =
            DriverManager.getConnection(
                platform.jdbcUrl("strata"), platform.postgresUser(), platform.postgresPassword());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    } catch (Exception e) {
      throw new PlatformException("PostgreSQL did not answer: " + e.getMessage(), e);
    }
  }

  /** Runs statements that return no rows on the {@code strata} database. */
  public void postgresExecute(String sql) {
    try (Connection c =
            DriverManager.getConnection(
                platform.jdbcUrl("strata"), platform.postgresUser(), platform.postgresPassword());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (Exception e) {
      throw new PlatformException("PostgreSQL did not run the statement: " + e.getMessage(), e);
    }
  }

  public List<String> s3Buckets() {
    try {
      return platform.s3Client().listBuckets().stream().map(Bucket::name).sorted().toList();
    } catch (Exception e) {
      throw new PlatformException("S3 did not list its buckets: " + e.getMessage(), e);
    }
  }

  /** An access token for the test client (client-credentials grant): the raw response body. */
  public String keycloakClientToken() {
    String form =
        "grant_type=client_credentials&client_id="
            + URLEncoder.encode(TEST_CLIENT_ID, StandardCharsets.UTF_8)
            + "&client_secret="
            + URLEncoder.encode(TEST_CLIENT_SECRET, StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(platform.oidcIssuer() + "/protocol/openid-connect/token"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.body().contains("\"access_token\"")) {
        throw new PlatformException(
            "Keycloak refused a token: HTTP " + response.statusCode() + " " + response.body());
      }
      return response.body();
    } catch (PlatformException e) {
      throw e;
    } catch (Exception e) {
      throw new PlatformException("Keycloak did not answer: " + e.getMessage(), e);
    }
  }
}
