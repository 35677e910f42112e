package org.strata.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A STOW-RS destination (a JDK HTTP server) that stores nothing but checks who sends: a bearer
 * token must be active by Keycloak's token introspection (RFC 7662, the peer authenticating as the
 * realm's confidential client strata-test), a basic credential must be {@code router} and the
 * expected password; anything else is 401. Counts the requests it accepted.
 */
final class TokenCheckingStowPeer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI introspection;
  private final String basic;
  final AtomicInteger accepted = new AtomicInteger();

  TokenCheckingStowPeer(String issuer, String basicPassword) throws IOException {
    this.introspection = URI.create(issuer + "/protocol/openid-connect/token/introspect");
    this.basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("router:" + basicPassword).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/dicom-web";
  }

  private void handle(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    boolean allowed;
    try {
      allowed =
          auth != null
              && (auth.startsWith("Bearer ") ? active(auth.substring(7)) : auth.equals(basic));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      allowed = false;
    }
    if (allowed) {
      accepted.incrementAndGet();
    }
    byte[] answer = "{}".getBytes(StandardCharsets.US_ASCII);
    exchange.getResponseHeaders().add("Content-Type", "application/dicom+json");
    exchange.sendResponseHeaders(allowed ? 200 : 401, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  private boolean active(String token) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(introspection)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                "strata-test:strata-test-secret".getBytes(StandardCharsets.UTF_8)))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 && JSON.readTree(r.body()).path("active").asBoolean(false);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
