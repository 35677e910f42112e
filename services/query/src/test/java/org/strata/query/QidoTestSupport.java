package org.strata.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** Requests to the QIDO-RS endpoints and reading their DICOM JSON answers. */
abstract class QidoTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String STUDY_UID = "0020000D";
  static final String SERIES_UID = "0020000E";
  static final String SOP_UID = "00080018";

  @BeforeEach
  void knownDataSet() throws Exception {
    QidoTestData.ensureLoaded();
  }

  /** GET {@code /dicomweb + path} with query parameters given as key, value, key, value... */
  static ExtractableResponse<Response> get(String path, String... keyValues) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.put(keyValues[i], keyValues[i + 1]);
    }
    return given()
        .accept("application/dicom+json")
        .queryParams(params)
        .when()
        .get("/dicomweb" + path)
        .then()
        .extract();
  }

  /**
   * The first value of {@code tag} of every result, in order; empty for 204. Fails on other
   * statuses.
   */
  static List<String> search(String path, String tag, String... keyValues) throws Exception {
    ExtractableResponse<Response> r = get(path, keyValues);
    if (r.statusCode() == 204) {
      assertEquals("", r.asString(), "204 has no body");
      return List.of();
    }
    assertEquals(200, r.statusCode(), r.asString());
    return firstValues(json(r), tag);
  }

  static JsonNode json(ExtractableResponse<Response> r) throws Exception {
    return JSON.readTree(r.asByteArray());
  }

  static List<String> firstValues(JsonNode results, String tag) {
    List<String> values = new ArrayList<>();
    for (JsonNode result : results) {
      values.add(result.path(tag).path("Value").path(0).asText(null));
    }
    return values;
  }

  /** The attribute names (tags) of a result, in order. */
  static List<String> tags(JsonNode result) {
    List<String> tags = new ArrayList<>();
    result.fieldNames().forEachRemaining(tags::add);
    return tags;
  }
}
