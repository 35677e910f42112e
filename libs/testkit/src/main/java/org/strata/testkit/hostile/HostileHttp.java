package org.strata.testkit.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.strata.testkit.RawHttp;

/**
 * Hostile values in every parameter and path segment of every operation of a service's OpenAPI
 * document ({@code /q/openapi?format=json}), so an endpoint added later is covered without editing
 * the suite. For each operation, every parameter in turn gets every hostile value while the others
 * keep a sane value: a known one for reads (so the request reaches the code behind the parameter
 * checks), an absent one for writes and deletes unless the test gives one as {@code write:name}
 * (the known data must stay intact).
 *
 * <p>Query parameters a resource reads without declaring them (QIDO's attribute keys) are given as
 * {@code extraQueryParameters}, sent to every GET operation.
 */
public final class HostileHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> METHODS =
      Set.of("get", "head", "post", "put", "delete", "patch");
  private static final String ABSENT_UID = "1.2.826.0.1.3680043.10.1137.424242";
  private static final List<String> ACCEPTS =
      List.of(
          "multipart/related; type=\"application/dicom\"; transfer-syntax=\u00ff\u0001",
          "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.3.4",
          "multipart/related; type=application/octet-stream; boundary=\"",
          "application/dicom+json; q=NaN, */*; q=-1",
          "image/jpeg; quality=-5",
          "text/html, " + "a/b;".repeat(1000),
          "*/*; charset=\u00c3\u0028",
          ";;;;",
          "");
  private static final List<String> BODIES =
      List.of("", "{", "[[[[[[[[[[", "\u0000\u00ff\u00fe", "{\"a\":" + "[".repeat(100_000), "null");

  private final String host;
  private final int port;
  private final JsonNode openApi;
  private final Map<String, String> knownValues;
  private final List<String> extraQueryParameters;
  private final java.util.regex.Pattern extraPaths;
  private final Map<String, java.util.function.Supplier<String>> fixedHeaders =
      new LinkedHashMap<>();

  /**
   * @param knownValues values by parameter name that find the known data (for reads)
   * @param extraQueryParameters undeclared query parameters read by the GET operations whose path
   *     matches {@code extraPaths} (QIDO's attribute keys on its search paths)
   */
  public HostileHttp(
      String host,
      int port,
      JsonNode openApi,
      Map<String, String> knownValues,
      List<String> extraQueryParameters,
      String extraPaths) {
    this.host = host;
    this.port = port;
    this.openApi = openApi;
    this.knownValues = knownValues;
    this.extraQueryParameters = extraQueryParameters;
    this.extraPaths = java.util.regex.Pattern.compile(extraPaths);
  }

  /**
   * Sends this header with every request (e.g. {@code Authorization: Bearer ...} for a service in
   * required mode, whose endpoints would otherwise all answer 401 before any parameter is read),
   * unless the hostile header of the request has the same name. The value is asked for each
   * request, so a token can be renewed before it expires in a long run.
   */
  public HostileHttp withHeader(String name, java.util.function.Supplier<String> value) {
    fixedHeaders.put(name, value);
    return this;
  }

  /** Reads the service's own OpenAPI document. */
  public static JsonNode openApi(String host, int port) {
    try {
      RawHttp.Answer a = RawHttp.request(host, port, "GET", "/q/openapi?format=json", 30_000);
      if (a.status() != 200 || a.hung()) {
        throw new IllegalStateException("no OpenAPI document: " + a.status() + " " + a.head());
      }
      return JSON.readTree(a.bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One operation of the document. */
  record Operation(String method, String path, List<JsonNode> parameters, boolean hasBody) {
    boolean writes() {
      return !method.equals("GET") && !method.equals("HEAD");
    }
  }

  /** Every operation, in document order. */
  List<Operation> operations() {
    List<Operation> ops = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> p = paths.next();
      List<JsonNode> shared = resolveAll(p.getValue().path("parameters"));
      Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields();
      while (methods.hasNext()) {
        Map.Entry<String, JsonNode> m = methods.next();
        if (!METHODS.contains(m.getKey())) {
          continue;
        }
        List<JsonNode> parameters = new ArrayList<>(shared);
        parameters.addAll(resolveAll(m.getValue().path("parameters")));
        ops.add(
            new Operation(
                m.getKey().toUpperCase(Locale.ROOT),
                p.getKey(),
                parameters,
                m.getValue().has("requestBody")));
      }
    }
    return ops;
  }

  private List<JsonNode> resolveAll(JsonNode list) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : list) {
      if (n.has("$ref")) {
        String[] ref = n.get("$ref").asText().substring(2).split("/");
        JsonNode target = openApi;
        for (String part : ref) {
          target = target.path(part);
        }
        out.add(target);
      } else {
        out.add(n);
      }
    }
    return out;
  }

  /** Sends every hostile value to every parameter of every operation; counts the answers. */
  public void run(HostileRun run, HostileReport report) {
    List<Operation> ops = operations();
    if (ops.isEmpty()) {
      throw new IllegalStateException("the OpenAPI document lists no operation");
    }
    List<String> values = new ArrayList<>(HostileValues.fixed());
    int opIndex = 0;
    for (Operation op : ops) {
      int index = opIndex++ * 100_000;
      for (JsonNode parameter : op.parameters()) {
        String in = parameter.path("in").asText();
        String name = parameter.path("name").asText();
        if (!in.equals("path") && !in.equals("query") && !in.equals("header")) {
          continue;
        }
        for (String value : withRandom(values, run, "http-" + in + "-param", index)) {
          send(run, report, "http-" + in + "-param", index++, op, name, in, value, null);
        }
      }
      if (op.method().equals("GET")) {
        for (String name :
            extraPaths.matcher(op.path()).matches() ? extraQueryParameters : List.<String>of()) {
          for (String value : withRandom(values, run, "http-query-extra", index)) {
            send(run, report, "http-query-extra", index++, op, name, "query", value, null);
          }
        }
        for (String accept : ACCEPTS) {
          send(run, report, "http-accept", index++, op, "Accept", "header", raw(accept), null);
        }
      }
      for (String segment : List.of("..%2F..", "%00", "%C3%28", "x", "%2E%2E%2F%2E%2E")) {
        send(run, report, "http-path-extra", index++, op, null, "suffix", segment, null);
      }
      if (op.hasBody()) {
        for (String body : BODIES) {
          send(run, report, "http-body", index++, op, null, "body", null, body);
        }
      }
    }
  }

  /** The fixed values and, for longer runs, random ones. */
  private static List<String> withRandom(
      List<String> fixed, HostileRun run, String kind, int index) {
    List<String> out = new ArrayList<>(fixed);
    int extra = Math.max(0, run.iterations() / 100);
    SplittableRandom random = run.random(kind, index);
    for (int i = 0; i < extra; i++) {
      out.add(HostileValues.random(random));
    }
    return out;
  }

  private void send(
      HostileRun run,
      HostileReport report,
      String kind,
      int index,
      Operation op,
      String hostileName,
      String hostileIn,
      String hostileValue,
      String body) {
    if (!run.selected(kind, index)) {
      return;
    }
    String path = op.path();
    StringBuilder query = new StringBuilder();
    Map<String, String> headers = new LinkedHashMap<>();
    for (JsonNode parameter : op.parameters()) {
      String name = parameter.path("name").asText();
      String in = parameter.path("in").asText();
      boolean hostile = name.equals(hostileName) && in.equals(hostileIn);
      if (in.equals("path")) {
        String value = hostile ? hostileValue : saneValue(op, parameter);
        path = path.replace("{" + name + "}", value);
      } else if (in.equals("query") && (hostile || knownValue(op, name) != null)) {
        String value = hostile ? hostileValue : knownValue(op, name);
        query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(value);
      } else if (hostile && in.equals("header")) {
        headers.put(name, decoded(hostileValue));
      }
    }
    if (hostileIn.equals("query") && !declared(op, hostileName)) {
      query
          .append(query.isEmpty() ? "?" : "&")
          .append(hostileName)
          .append('=')
          .append(hostileValue);
    }
    if (hostileIn.equals("header") && !headers.containsKey(hostileName)) {
      headers.put(hostileName, decoded(hostileValue));
    }
    if (hostileIn.equals("suffix")) {
      path = path + "/" + hostileValue;
    }
    String target = path + query;
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.writeBytes(
        (op.method() + " " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    fixedHeaders.forEach((name, value) -> headers.putIfAbsent(name, value.get()));
    headers.putIfAbsent("Accept", "*/*");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      head.writeBytes(
          (h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    byte[] bodyBytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.ISO_8859_1);
    if (op.hasBody() || body != null) {
      head.writeBytes(
          ("Content-Type: application/json\r\nContent-Length: " + bodyBytes.length + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
    }
    head.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    String description =
        op.method()
            + " "
            + (target.length() > 300 ? target.substring(0, 300) + "..." : target)
            + (hostileIn.equals("header")
                ? " with " + hostileName + ": " + abbreviate(hostileValue)
                : "")
            + (body != null ? " body " + abbreviate(body) : "");
    HostileReport.Outcome outcome;
    try {
      RawHttp.Answer answer =
          RawHttp.exchange(
              host,
              port,
              head.toByteArray(),
              out -> out.write(bodyBytes),
              false,
              run.deadlineMillis());
      outcome = answer.outcome();
      if (outcome == HostileReport.Outcome.SERVER_ERROR) {
        description += " -> " + answer.head().lines().findFirst().orElse("");
      }
    } catch (IOException e) {
      outcome = HostileReport.Outcome.REFUSED; // connection refused or reset: a close
    }
    report.record(kind, index, outcome, description);
  }

  private static boolean declared(Operation op, String name) {
    return op.parameters().stream().anyMatch(p -> p.path("name").asText().equals(name));
  }

  /**
   * The known value of a parameter: for reads {@code knownValues.get(name)}, for writes {@code
   * knownValues.get("write:" + name)}, else null.
   */
  private String knownValue(Operation op, String name) {
    return knownValues.get(op.writes() ? "write:" + name : name);
  }

  private String saneValue(Operation op, JsonNode parameter) {
    String known = knownValue(op, parameter.path("name").asText());
    if (known != null) {
      return known;
    }
    String type = parameter.path("schema").path("type").asText();
    if (type.equals("integer") || type.equals("number")) {
      return "1";
    }
    return ABSENT_UID;
  }

  /** A percent-encoded value as raw bytes for a header, without the CR and LF that end it. */
  private static String decoded(String encoded) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length() && isHex(encoded, i + 1) && isHex(encoded, i + 2)) {
        int b = Integer.parseInt(encoded.substring(i + 1, i + 3), 16);
        i += 2;
        if (b != '\r' && b != '\n') {
          out.write(b);
        }
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean isHex(String s, int at) {
    return Character.digit(s.charAt(at), 16) >= 0;
  }

  /** A string as a percent-free "raw" value, for hostile header values given literally. */
  private static String raw(String literal) {
    StringBuilder s = new StringBuilder();
    for (char c : literal.toCharArray()) {
      s.append(c == '%' ? "%25" : String.valueOf(c));
    }
    return s.toString();
  }

  private static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "... (" + s.length() + " chars)" : s;
  }
}
