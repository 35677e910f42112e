package org.strata.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;

/**
 * Requests to the WADO-RS endpoints as tenant {@code wado}, and a multipart/related reader written
 * for the tests (RFC 2046 delimiters, parts cut by their Content-Length and checked to end at a
 * delimiter).
 */
abstract class WadoTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DICOM = "multipart/related; type=\"application/dicom\"";
  static final String OCTET = "multipart/related; type=\"application/octet-stream\"";

  /** The deployment of tenant {@code wado}. */
  public static class WadoProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "strata.query.default-tenant",
          WadoTestData.TENANT,
          // WADO-URI anonymize=yes (a test value; real keys come from the environment or a secret)
          "strata.query.deidentification-key",
          "wado-test-deidentification-key-0123456789",
          // The second tier (where the platform has one) is nearline: WadoSecondTierTest.
          "strata.s3.tiers.cold.retrieval",
          "nearline",
          "strata.s3.tiers.cold.retrieval-delay",
          "PT30S");
    }
  }

  record Part(String contentType, byte[] body, boolean lengthGiven) {
    Part(String contentType, byte[] body) {
      this(contentType, body, true);
    }
  }

  @BeforeEach
  void knownDataSet() throws Exception {
    WadoTestData.ensureLoaded();
  }

  static ExtractableResponse<Response> get(String path, String accept) {
    return given().header("Accept", accept).when().get("/dicomweb" + path).then().extract();
  }

  /** The parts of a 200 multipart/related answer whose root type is {@code type}. */
  static List<Part> parts(ExtractableResponse<Response> r, String type) {
    assertEquals(200, r.statusCode(), r.asString());
    String contentType = r.header("Content-Type");
    assertTrue(
        contentType.startsWith("multipart/related; type=\"" + type + "\""),
        "Content-Type " + contentType);
    Matcher m = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
    assertTrue(m.find(), "boundary in " + contentType);
    return parse(r.asByteArray(), m.group(1));
  }

  static List<Part> parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    List<Part> parts = new ArrayList<>();
    int pos = 0;
    while (true) {
      assertTrue(startsWith(body, pos, delimiter), "delimiter at " + pos);
      pos += delimiter.length;
      if (startsWith(body, pos, "--".getBytes(StandardCharsets.US_ASCII))) {
        return parts; // close delimiter
      }
      assertTrue(startsWith(body, pos, "\r\n".getBytes(StandardCharsets.US_ASCII)));
      pos += 2;
      String contentType = null;
      long length = -1;
      while (true) {
        int eol = indexOf(body, pos, "\r\n".getBytes(StandardCharsets.US_ASCII));
        String line = new String(body, pos, eol - pos, StandardCharsets.US_ASCII);
        pos = eol + 2;
        if (line.isEmpty()) {
          break;
        }
        int colon = line.indexOf(':');
        String name = line.substring(0, colon).strip();
        String value = line.substring(colon + 1).strip();
        if (name.equalsIgnoreCase("Content-Type")) {
          contentType = value;
        } else if (name.equalsIgnoreCase("Content-Length")) {
          length = Long.parseLong(value);
        }
      }
      boolean lengthGiven = length >= 0;
      if (length < 0) {
        // No Content-Length (a transcoded object): the part ends at the next delimiter.
        byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        length = indexOf(body, pos, next) - pos;
      }
      parts.add(
          new Part(contentType, Arrays.copyOfRange(body, pos, pos + (int) length), lengthGiven));
      pos += (int) length;
      assertTrue(startsWith(body, pos, "\r\n".getBytes(StandardCharsets.US_ASCII)), "CRLF");
      pos += 2;
    }
  }

  static JsonNode json(ExtractableResponse<Response> r) throws Exception {
    assertEquals(200, r.statusCode(), r.asString());
    assertTrue(r.header("Content-Type").startsWith("application/dicom+json"));
    return JSON.readTree(r.asByteArray());
  }

  /** Asserts an error answer: status and a reason containing {@code reasonPart}. */
  static void assertProblem(ExtractableResponse<Response> r, int status, String reasonPart)
      throws Exception {
    assertEquals(status, r.statusCode(), r.asString());
    JsonNode problem = JSON.readTree(r.asByteArray());
    assertEquals(status, problem.path("status").asInt());
    String reason = problem.path("reason").asText();
    assertTrue(reason.contains(reasonPart), reason);
  }

  static byte[] slice(byte[] bytes, int offset, int length) {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  private static boolean startsWith(byte[] b, int pos, byte[] prefix) {
    if (pos + prefix.length > b.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[pos + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] b, int from, byte[] what) {
    for (int i = from; i + what.length <= b.length; i++) {
      if (startsWith(b, i, what)) {
        return i;
      }
    }
    throw new AssertionError("not found after " + from);
  }
}
