package org.strata.testkit.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Real tokens from the test realm's Keycloak (deploy/keycloak/strata-realm.json): its users by
 * password grant through the {@code strata-test} client, its test clients by client credentials.
 * The only token made by hand is {@link #withBadSignature}.
 */
public final class KeycloakTokens {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI tokenEndpoint;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, String> cache = new ConcurrentHashMap<>();

  /**
   * @param issuer the realm's URL, e.g. {@code http://127.0.0.1:18080/realms/strata}
   */
  public KeycloakTokens(String issuer) {
    this.tokenEndpoint = URI.create(issuer + "/protocol/openid-connect/token");
  }

  /** A realm user's access token (the shipped test users' password is their name). */
  public String user(String username) {
    return cache.computeIfAbsent(
        "user:" + username,
        u ->
            request(
                Map.of(
                    "grant_type", "password",
                    "client_id", "strata-test",
                    "client_secret", "strata-test-secret",
                    "username", username,
                    "password", username)));
  }

  /** A client's service-account token; the test clients' secret is {@code <clientId>-secret}. */
  public String client(String clientId) {
    return cache.computeIfAbsent(
        "client:" + clientId,
        c ->
            request(
                Map.of(
                    "grant_type",
                    "client_credentials",
                    "client_id",
                    clientId,
                    "client_secret",
                    clientId + "-secret")));
  }

  /** A fresh token of {@code strata-short-lived} (strata-reader, 5 s lifespan), never cached. */
  public String shortLived() {
    return request(
        Map.of(
            "grant_type", "client_credentials",
            "client_id", "strata-short-lived",
            "client_secret", "strata-short-lived-secret"));
  }

  /** A token of {@code strata-short-lived} (strata-reader, 5 s lifespan), after it expired. */
  public String expired() {
    return cache.computeIfAbsent(
        "expired",
        k -> {
          String token = shortLived();
          Instant after = expiry(token).plusSeconds(2);
          // Waiting out the real lifespan: the only way to get a real expired token.
          while (Instant.now().isBefore(after)) {
            try {
              Thread.sleep(200);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException(e);
            }
          }
          return token;
        });
  }

  /** The token with its signature's bytes changed: the one hand-made token. */
  public static String withBadSignature(String token) {
    int dot = token.lastIndexOf('.');
    byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    signature[0] ^= 0x5a;
    signature[signature.length - 1] ^= 0x5a;
    return token.substring(0, dot + 1)
        + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
  }

  /** The {@code exp} claim of a JWT. */
  public static Instant expiry(String token) {
    return Instant.ofEpochSecond(claims(token).path("exp").asLong());
  }

  /** The payload of a JWT (not verified: tests read what Keycloak put in). */
  public static JsonNode claims(String token) {
    String[] parts = token.split("\\.");
    try {
      return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String request(Map<String, String> form) {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(tokenEndpoint)
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "Keycloak refused a token (" + response.statusCode() + "): " + response.body());
      }
      return JSON.readTree(response.body()).path("access_token").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
