package org.strata.routing.stow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.strata.routing.service.RulesDocument.Stow;

/**
 * The Authorization header of a STOW-RS destination: none, basic, or a bearer token from the OAuth2
 * client credentials grant (RFC 6749 4.4), kept until shortly before it expires. Secrets come from
 * environment variables named in the rules file, never from the file itself.
 */
final class StowAuthorization {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration EARLY = Duration.ofSeconds(30);

  private record Token(String value, Instant expires) {}

  /** No credentials to send: the token endpoint refused, or a secret is not set (never PHI). */
  static final class Failed extends IOException {
    Failed(String message) {
      super(message);
    }
  }

  private final HttpClient http;
  private final Function<String, String> env;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  StowAuthorization(HttpClient http, Function<String, String> env) {
    this.http = http;
    this.env = env;
  }

  /** The header value, or null for none. */
  String header(String destination, Stow stow) throws IOException, InterruptedException {
    if (stow.tokenUrl() != null) {
      Token t = tokens.get(destination);
      if (t == null || Instant.now().isAfter(t.expires())) {
        t = fetch(stow);
        tokens.put(destination, t);
      }
      return "Bearer " + t.value();
    }
    if (stow.username() != null) {
      String password = secret(stow.passwordEnv());
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((stow.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  /** Forgets a token the destination refused (401), so the next attempt fetches a new one. */
  void refused(String destination) {
    tokens.remove(destination);
  }

  private Token fetch(Stow stow) throws IOException, InterruptedException {
    StringBuilder form =
        new StringBuilder("grant_type=client_credentials&client_id=")
            .append(URLEncoder.encode(stow.clientId(), StandardCharsets.UTF_8))
            .append("&client_secret=")
            .append(URLEncoder.encode(secret(stow.clientSecretEnv()), StandardCharsets.UTF_8));
    if (stow.scope() != null) {
      form.append("&scope=").append(URLEncoder.encode(stow.scope(), StandardCharsets.UTF_8));
    }
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(stow.tokenUrl()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new Failed("OAuth2 token endpoint answered " + r.statusCode());
    }
    JsonNode body = JSON.readTree(r.body());
    String token = body.path("access_token").asText(null);
    if (token == null) {
      throw new Failed("OAuth2 token endpoint answered without access_token");
    }
    long expiresIn = body.path("expires_in").asLong(60);
    return new Token(token, Instant.now().plusSeconds(expiresIn).minus(EARLY));
  }

  private String secret(String variable) throws IOException {
    String value = variable == null ? null : env.apply(variable);
    if (value == null) {
      throw new Failed("secret variable " + variable + " is not set");
    }
    return value;
  }
}
