package org.strata.testkit.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The auth matrix of a service in {@code strata.auth.mode=required}: every operation of its OpenAPI
 * document ({@code /q/openapi?format=json}) plus Quarkus' own endpoints, each called with no token
 * (401), a token with a bad signature (401), an expired token (401), a token for another audience
 * (401), the tokens of every user holding another Strata role and of a client holding none (403),
 * and a token holding the operation's role (neither 401 nor 403). An operation without a rule, and
 * a rule without an operation, are failures too, so a new endpoint cannot slip through unruled.
 *
 * <p>Operations are named {@code "METHOD /path/{template}"} as in the OpenAPI document; path
 * parameters are filled with {@code 1.2.3} (the calls need not find anything).
 *
 * <p>With {@link #outOfScope}, every operation of a role whose path names a study ({@code {study}}
 * or {@code {id}}) is also called on a real study: with a token that holds the study's tenant (and
 * department) it must be found (not 401, 403 nor 404), with a token of another tenant, or of
 * another department of the same tenant, it must be 404 (never 403, ADR 0025), or 204 for a search
 * under the study's path (an empty result, as for a study that does not exist).
 */
public final class AuthMatrix {
  /** The rule of an operation anyone may call (health). */
  public static final String OPEN = "open";

  /** The rule of an operation any Strata role may call (metrics, OpenAPI). */
  public static final String ANY_ROLE = "any Strata role";

  /** A realm test user holding exactly each Strata role (their password is their name). */
  private static final Map<String, String> USER_OF_ROLE =
      Map.of(
          "strata-reader", "reader",
          "strata-writer", "writer",
          "strata-admin", "admin",
          "strata-auditor", "auditor");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "head", "options", "patch");

  /** A real study, a user that may see it and one that may not. */
  private record ScopeProbe(
      String role, String owner, String outsider, Map<String, String> params) {}

  private final Map<String, String> rules = new LinkedHashMap<>();
  private final List<ScopeProbe> probes = new ArrayList<>();
  private final Map<String, String> queries = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  public AuthMatrix() {
    open("GET /q/health", "GET /q/health/live", "GET /q/health/ready");
    require(ANY_ROLE, "GET /q/metrics", "GET /q/openapi");
  }

  /** These operations need {@code role} ({@link #ANY_ROLE} for any Strata role). */
  public AuthMatrix require(String role, String... operations) {
    for (String operation : operations) {
      if (rules.putIfAbsent(operation, role) != null) {
        throw new IllegalArgumentException("two rules for " + operation);
      }
    }
    return this;
  }

  /**
   * Calls {@code operation} with this query string, e.g. an invalid parameter so that the allowed
   * call is refused with 400 by the endpoint itself instead of doing something (a rebuild, a
   * reconcile) that would disturb the other tests of the JVM: 400 still proves it got past
   * authorization.
   */
  public AuthMatrix withQuery(String operation, String query) {
    queries.put(operation, query);
    return this;
  }

  /**
   * Calls every operation of {@code role} whose path names a study with these path parameters
   * ({@code study}, {@code series}, {@code instance}, {@code frames}, {@code range}, {@code id}...
   * of a real study): {@code owner}'s token must find it, {@code outsider}'s must get 404.
   */
  public AuthMatrix outOfScope(
      String role, String owner, String outsider, Map<String, String> pathParams) {
    probes.add(new ScopeProbe(role, owner, outsider, Map.copyOf(pathParams)));
    return this;
  }

  /** These operations need no token. */
  public AuthMatrix open(String... operations) {
    return require(OPEN, operations);
  }

  /** Runs the matrix against the service at {@code base}; one line per failure, empty if none. */
  public List<String> run(URI base, KeycloakTokens tokens) {
    Set<String> operations = operations(base, tokens.user("reader"));
    operations.addAll(List.of("GET /q/health", "GET /q/health/live", "GET /q/health/ready"));
    operations.addAll(List.of("GET /q/metrics", "GET /q/openapi"));
    List<String> failures = new ArrayList<>();
    for (String rule : rules.keySet()) {
      if (!operations.contains(rule)) {
        failures.add(rule + ": a rule for an operation the OpenAPI document does not have");
      }
    }
    for (String operation : operations) {
      String role = rules.get(operation);
      if (role == null) {
        failures.add(operation + ": no rule (add it to the service's auth matrix)");
        continue;
      }
      check(base, operation, role, tokens, failures);
      for (ScopeProbe probe : probes) {
        if (probe.role().equals(role)
            && (operation.contains("{study}") || operation.contains("{id}"))) {
          checkScope(base, operation, probe, tokens, failures);
        }
      }
    }
    return failures;
  }

  private void checkScope(
      URI base, String operation, ScopeProbe probe, KeycloakTokens tokens, List<String> failures) {
    String filled = operation;
    for (Map.Entry<String, String> p : probe.params().entrySet()) {
      filled = filled.replace("{" + p.getKey() + "}", p.getValue());
    }
    int owner = call(base, filled, tokens.user(probe.owner()), operation);
    if (owner == 401 || owner == 403 || owner == 404) {
      failures.add(operation + " on its study with " + probe.owner() + ": " + owner);
    }
    int outsider = call(base, filled, tokens.user(probe.outsider()), operation);
    // A search under the study's path (QIDO-RS) answers an empty result, 204, as for an unknown
    // study; a 200 would be the leak.
    if (outsider != 404 && outsider != 204) {
      failures.add(
          operation
              + " on a study outside the scope of "
              + probe.outsider()
              + ": "
              + outsider
              + ", expected 404 (204 for an empty search)");
    }
  }

  private void check(
      URI base, String operation, String role, KeycloakTokens tokens, List<String> failures) {
    if (role.equals(OPEN)) {
      expectAllowed(base, operation, null, "no token", failures);
      return;
    }
    String right = tokens.user(USER_OF_ROLE.getOrDefault(role, "reader"));
    expect(base, operation, null, "no token", 401, failures);
    expect(base, operation, KeycloakTokens.withBadSignature(right), "bad signature", 401, failures);
    expect(base, operation, tokens.expired(), "expired token", 401, failures);
    expect(
        base,
        operation,
        tokens.client("strata-other-audience"),
        "token for another audience",
        401,
        failures);
    expect(
        base,
        operation,
        tokens.client("strata-norole"),
        "token without a Strata role",
        403,
        failures);
    if (!role.equals(ANY_ROLE)) {
      USER_OF_ROLE.forEach(
          (otherRole, user) -> {
            if (!otherRole.equals(role)) {
              expect(base, operation, tokens.user(user), otherRole + " only", 403, failures);
            }
          });
    }
    expectAllowed(base, operation, right, role, failures);
  }

  private void expect(
      URI base, String operation, String token, String what, int status, List<String> failures) {
    int actual = call(base, operation, token);
    if (actual != status) {
      failures.add(operation + " with " + what + ": " + actual + ", expected " + status);
    }
  }

  private void expectAllowed(
      URI base, String operation, String token, String what, List<String> failures) {
    int actual = call(base, operation, token);
    if (actual == 401 || actual == 403) {
      failures.add(operation + " with " + what + ": " + actual + ", expected neither 401 nor 403");
    }
  }

  private int call(URI base, String operation, String token) {
    return call(base, operation, token, operation);
  }

  /** Calls {@code filled} (an operation, path parameters maybe filled) as {@code rule} says. */
  private int call(URI base, String filled, String token, String rule) {
    int space = filled.indexOf(' ');
    String method = filled.substring(0, space);
    String path = filled.substring(space + 1).replaceAll("\\{[^}]+}", "1.2.3");
    if (queries.containsKey(rule)) {
      path += "?" + queries.get(rule);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(60))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(filled + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every operation of the service's OpenAPI document as {@code "METHOD /path"}. */
  private Set<String> operations(URI base, String token) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(base.resolve("/q/openapi?format=json"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("OpenAPI document: " + response.statusCode());
      }
      Set<String> operations = new LinkedHashSet<>();
      JsonNode paths = JSON.readTree(response.body()).path("paths");
      paths
          .properties()
          .forEach(
              path ->
                  path.getValue()
                      .fieldNames()
                      .forEachRemaining(
                          method -> {
                            if (METHODS.contains(method)) {
                              operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                            }
                          }));
      return operations;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
