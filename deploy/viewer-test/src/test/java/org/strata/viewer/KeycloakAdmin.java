package org.strata.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Keycloak's admin REST API as the platform's bootstrap admin (admin / admin, master realm): what a
 * test changes in the realm it was started with, e.g. one client's token lifespan.
 */
final class KeycloakAdmin {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String url;
  private final HttpClient http = HttpClient.newHttpClient();

  KeycloakAdmin(String keycloakUrl) {
    this.url = keycloakUrl;
  }

  /** Changes a realm's client: {@code change} edits its JSON representation, which is saved. */
  void updateClient(String realm, String clientId, Consumer<ObjectNode> change)
      throws IOException, InterruptedException {
    String token = adminToken();
    JsonNode found =
        JSON.readTree(
            send(
                get(
                    url
                        + "/admin/realms/"
                        + realm
                        + "/clients?clientId="
                        + URLEncoder.encode(clientId, StandardCharsets.UTF_8),
                    token),
                200));
    if (found.size() != 1) {
      throw new IllegalStateException("client " + clientId + " not found in realm " + realm);
    }
    ObjectNode client = (ObjectNode) found.get(0);
    change.accept(client);
    String id = client.path("id").asText();
    send(
        HttpRequest.newBuilder(URI.create(url + "/admin/realms/" + realm + "/clients/" + id))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(client)))
            .build(),
        204);
  }

  private String adminToken() throws IOException, InterruptedException {
    String form = "grant_type=password&client_id=admin-cli&username=admin&password=admin";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url + "/realms/master/protocol/openid-connect/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return JSON.readTree(send(request, 200)).path("access_token").asText();
  }

  private static HttpRequest get(String uri, String token) {
    return HttpRequest.newBuilder(URI.create(uri))
        .header("Authorization", "Bearer " + token)
        .build();
  }

  private String send(HttpRequest request, int expected) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          request.method()
              + " "
              + request.uri()
              + ": "
              + response.statusCode()
              + " "
              + response.body());
    }
    return response.body();
  }
}
