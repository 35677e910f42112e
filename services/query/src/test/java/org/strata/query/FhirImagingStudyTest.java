package org.strata.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.QidoTestData.CT;
import static org.strata.query.QidoTestData.S1;
import static org.strata.query.QidoTestData.S2;
import static org.strata.query.QidoTestData.S3;
import static org.strata.query.QidoTestData.S4;
import static org.strata.query.QidoTestData.S5;
import static org.strata.query.QidoTestData.S6;
import static org.strata.query.QidoTestData.S7;
import static org.strata.query.QidoTestData.instance;
import static org.strata.query.QidoTestData.series;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;

/**
 * FHIR R4 ImagingStudy read and search on the QIDO-RS data set ({@link QidoTestData}, tenant local;
 * zone UTC). Every answer is parsed back with HAPI's parser in strict mode (unknown or malformed
 * elements fail) and checked field by field against values written here.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class FhirImagingStudyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  private static final String PAT_SYSTEM = "urn:strata:issuer:HOSP-A";

  @BeforeEach
  void knownDataSet() throws Exception {
    QidoTestData.ensureLoaded();
  }

  private static IParser strictParser() {
    IParser p = FhirContext.forR4Cached().newJsonParser();
    p.setParserErrorHandler(new StrictErrorHandler());
    return p;
  }

  private static ExtractableResponse<Response> get(String path, String... keyValues) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      params.put(keyValues[i], keyValues[i + 1]);
    }
    return given()
        .accept("application/fhir+json")
        .queryParams(params)
        .when()
        .get("/fhir" + path)
        .then()
        .extract();
  }

  /** The ids of a search's entries, in order, after checking the Bundle parses strictly. */
  private static List<String> search(String... keyValues) throws Exception {
    ExtractableResponse<Response> r = get("/ImagingStudy", keyValues);
    assertEquals(200, r.statusCode(), r.asString());
    Bundle b = strictParser().parseResource(Bundle.class, r.asString());
    assertEquals(Bundle.BundleType.SEARCHSET, b.getType());
    List<String> ids = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : b.getEntry()) {
      assertEquals(Bundle.SearchEntryMode.MATCH, e.getSearch().getMode());
      ids.add(((ImagingStudy) e.getResource()).getIdElement().getIdPart());
    }
    // Hand-read of the raw JSON too: the same ids, in the same order.
    List<String> raw = new ArrayList<>();
    for (JsonNode e : JSON.readTree(r.asString()).path("entry")) {
      raw.add(e.path("resource").path("id").asText());
      assertTrue(e.path("fullUrl").asText().endsWith("/fhir/ImagingStudy/" + raw.getLast()));
    }
    assertEquals(ids, raw);
    return ids;
  }

  private static OperationOutcome.OperationOutcomeIssueComponent error(
      int status, String path, String... keyValues) {
    ExtractableResponse<Response> r = get(path, keyValues);
    assertEquals(status, r.statusCode(), r.asString());
    assertTrue(r.contentType().startsWith("application/fhir+json"), r.contentType());
    OperationOutcome o = strictParser().parseResource(OperationOutcome.class, r.asString());
    assertEquals(1, o.getIssue().size());
    assertEquals(OperationOutcome.IssueSeverity.ERROR, o.getIssueFirstRep().getSeverity());
    return o.getIssueFirstRep();
  }

  @Test
  void readAStudyWithSeriesInstancesAndEndpoint() throws Exception {
    ExtractableResponse<Response> r = get("/ImagingStudy/" + S2);
    assertEquals(200, r.statusCode(), r.asString());
    assertTrue(r.contentType().startsWith("application/fhir+json"), r.contentType());

    JsonNode j = JSON.readTree(r.asString());
    assertEquals("ImagingStudy", j.path("resourceType").asText());
    assertEquals(S2, j.path("id").asText());
    assertEquals("available", j.path("status").asText());
    assertEquals("urn:dicom:uid", j.at("/identifier/0/system").asText());
    assertEquals("urn:oid:" + S2, j.at("/identifier/0/value").asText());
    assertEquals("ACSN", j.at("/identifier/1/type/coding/0/code").asText());
    assertEquals(
        "http://terminology.hl7.org/CodeSystem/v2-0203",
        j.at("/identifier/1/type/coding/0/system").asText());
    assertEquals("ACC-1002", j.at("/identifier/1/value").asText());
    assertEquals("Patient", j.at("/subject/type").asText());
    assertEquals(PAT_SYSTEM, j.at("/subject/identifier/system").asText());
    assertEquals("PAT-001", j.at("/subject/identifier/value").asText());
    assertEquals("2025-02-20T14:00:00+00:00", j.path("started").asText());
    assertEquals(2, j.path("numberOfSeries").asInt());
    assertEquals(4, j.path("numberOfInstances").asInt());
    assertEquals("MR BRAIN", j.path("description").asText());
    assertEquals(DCM, j.at("/modality/0/system").asText());
    assertEquals("MR", j.at("/modality/0/code").asText());
    assertEquals("SR", j.at("/modality/1/code").asText());
    assertEquals(2, j.path("series").size());
    JsonNode se1 = j.at("/series/0");
    assertEquals(series(S2, 1), se1.path("uid").asText());
    assertEquals(1, se1.path("number").asInt());
    assertEquals("MR", se1.at("/modality/code").asText());
    assertEquals("T1 SAG", se1.path("description").asText());
    assertEquals(3, se1.path("numberOfInstances").asInt());
    assertEquals("2025-02-20T14:05:00+00:00", se1.path("started").asText());
    assertEquals(3, se1.path("instance").size());
    assertEquals(instance(S2, 1, 1), se1.at("/instance/0/uid").asText());
    assertEquals(instance(S2, 1, 3), se1.at("/instance/2/uid").asText());
    assertEquals("urn:ietf:rfc:3986", se1.at("/instance/0/sopClass/system").asText());
    assertEquals("urn:oid:" + QidoTestData.MR, se1.at("/instance/0/sopClass/code").asText());
    assertEquals(1, se1.at("/instance/0/number").asInt());
    JsonNode se2 = j.at("/series/1");
    assertEquals(series(S2, 2), se2.path("uid").asText());
    assertEquals("SR", se2.at("/modality/code").asText());
    assertTrue(se2.path("started").isMissingNode());

    // The DICOMweb base as a contained Endpoint.
    assertEquals("#dicomweb", j.at("/endpoint/0/reference").asText());
    assertEquals(1, j.path("contained").size());
    JsonNode ep = j.at("/contained/0");
    assertEquals("Endpoint", ep.path("resourceType").asText());
    assertEquals("dicomweb", ep.path("id").asText());
    assertEquals("active", ep.path("status").asText());
    assertEquals("dicom-wado-rs", ep.at("/connectionType/code").asText());
    assertEquals(
        "http://terminology.hl7.org/CodeSystem/endpoint-connection-type",
        ep.at("/connectionType/system").asText());
    assertEquals("application/dicom", ep.at("/payloadMimeType/0").asText());
    URI address = URI.create(ep.path("address").asText());
    assertEquals("/dicomweb", address.getPath());

    // HAPI reads it back strictly, with the same values.
    ImagingStudy s = strictParser().parseResource(ImagingStudy.class, r.asString());
    assertEquals(S2, s.getIdElement().getIdPart());
    assertEquals(4, s.getNumberOfInstances());
    assertEquals(2, s.getSeries().size());
    assertEquals(3, s.getSeriesFirstRep().getInstance().size());
    Endpoint e = (Endpoint) s.getContained().getFirst();
    assertEquals("dicom-wado-rs", e.getConnectionType().getCode());
    assertEquals(address.toString(), e.getAddress());
    assertEquals(
        e, s.getEndpointFirstRep().getResource(), "the study's endpoint resolves to the contained");
  }

  @Test
  void undatedStudyAndMinimalFields() throws Exception {
    ExtractableResponse<Response> r = get("/ImagingStudy/" + S7);
    assertEquals(200, r.statusCode(), r.asString());
    JsonNode j = JSON.readTree(r.asString());
    assertTrue(j.path("started").isMissingNode());
    assertEquals(1, j.path("identifier").size(), "no accession number");
    assertTrue(j.path("description").isMissingNode());
    assertTrue(j.at("/series/0/number").isMissingNode());
    ImagingStudy s = strictParser().parseResource(ImagingStudy.class, r.asString());
    assertEquals("OT", s.getSeriesFirstRep().getModality().getCode());
  }

  @Test
  void readErrors() {
    OperationOutcome.OperationOutcomeIssueComponent i =
        error(404, "/ImagingStudy/" + QidoTestData.ROOT + ".999");
    assertEquals(OperationOutcome.IssueType.NOTFOUND, i.getCode());
    // Another tenant's study does not exist for this one.
    error(404, "/ImagingStudy/" + S6);
    i = error(400, "/ImagingStudy/not-a-uid");
    assertEquals(OperationOutcome.IssueType.INVALID, i.getCode());
  }

  @Test
  void searchByPatientIdentifier() throws Exception {
    assertEquals(List.of(S2, S1), search("patient:identifier", PAT_SYSTEM + "|PAT-001"));
    assertEquals(List.of(S2, S1), search("patient.identifier", "PAT-001"));
    assertEquals(List.of(S2, S1), search("subject:Patient.identifier", "PAT-001"));
    assertEquals(List.of(S4, S3), search("subject:identifier", PAT_SYSTEM + "|PAT-002"));
    assertEquals(List.of(S2, S4, S1, S3), search("patient:identifier", "PAT-001,PAT-002"));
    // Another issuer's PAT-001 (and the other tenant's) is not this patient.
    assertEquals(List.of(), search("patient:identifier", "urn:strata:issuer:HOSP-B|PAT-001"));
    assertEquals(List.of(), search("patient:identifier", "urn:oid:1.2.3|PAT-001"));
    assertEquals(List.of(), search("patient:identifier", "http://example.org|PAT-001"));
    assertEquals(List.of(), search("patient:identifier", "PAT-00"));
  }

  @Test
  void searchByIdentifier() throws Exception {
    assertEquals(List.of(S3), search("identifier", "urn:dicom:uid|urn:oid:" + S3));
    assertEquals(List.of(S3), search("identifier", "urn:oid:" + S3));
    assertEquals(List.of(S3), search("identifier", "ACC_1003"));
    assertEquals(List.of(S4), search("identifier", "|ACC%1004"));
    assertEquals(List.of(S5, S1), search("identifier", "urn:oid:" + S1 + ",ACC-1005"));
    assertEquals(List.of(S1), search("_id", S1));
    assertEquals(List.of(), search("identifier", "urn:oid:" + S6));
    assertEquals(List.of(), search("identifier", "http://example.org|ACC-1001"));
    assertEquals(List.of(), search("identifier", "ACC-*"));
  }

  @Test
  void searchByStarted() throws Exception {
    assertEquals(List.of(S4, S1), search("started", "2025-01-10"));
    assertEquals(List.of(S4, S1), search("started", "eq2025-01"));
    assertEquals(List.of(S1), search("started", "2025-01-10T08:30"));
    assertEquals(List.of(S1), search("started", "2025-01-10T08:30:00Z"));
    assertEquals(List.of(S5, S2, S4), search("started", "ge2025-01-10T09:00"));
    // 09:00+01:00 is 08:00 in UTC, the studies' zone here.
    assertEquals(List.of(S5, S2, S4, S1), search("started", "ge2025-01-10T09:00:00+01:00"));
    assertEquals(List.of(S3), search("started", "lt2025"));
    assertEquals(List.of(S3), search("started", "le2024-12-31T23:59:59"));
    assertEquals(List.of(), search("started", "lt2024-12-31T23:59:59"));
    assertEquals(List.of(S5, S2), search("started", "gt2025-01-10"));
    assertEquals(List.of(S5, S2, S4, S1), search("started", "ne2024"));
    // Two occurrences are both required; a study at 14:00:00 is not after the minute 14:00.
    assertEquals(List.of(S5), search2("started", "gt2025-02-20T14:00", "started", "le2025-03"));
    assertEquals(List.of(S2), search2("started", "ge2025-02-20T14:00", "started", "lt2025-03"));
  }

  /** A search with the same parameter twice (AND). */
  private static List<String> search2(String k1, String v1, String k2, String v2) {
    ExtractableResponse<Response> r =
        given()
            .accept("application/fhir+json")
            .queryParam(k1, v1)
            .queryParam(k2, v2)
            .when()
            .get("/fhir/ImagingStudy")
            .then()
            .extract();
    assertEquals(200, r.statusCode(), r.asString());
    Bundle b = strictParser().parseResource(Bundle.class, r.asString());
    return b.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
  }

  @Test
  void searchByModality() throws Exception {
    assertEquals(List.of(S3), search("modality", DCM + "|PR"));
    assertEquals(List.of(S4, S7), search("modality", "US,OT"));
    assertEquals(List.of(S5, S1, S3), search("modality", "CT"));
    assertEquals(List.of(), search("modality", "http://example.org|CT"));
    assertEquals(List.of(S1), search("modality", "CT", "patient:identifier", "PAT-001"));
    assertEquals(
        List.of(S5),
        search("modality", DCM + "|CT", "started", "ge2025-02", "identifier", "ACC-1005"));
  }

  @Test
  void pagesWithNextLinks() throws Exception {
    ExtractableResponse<Response> r = get("/ImagingStudy", "_count", "4");
    assertEquals(200, r.statusCode(), r.asString());
    Bundle b = strictParser().parseResource(Bundle.class, r.asString());
    assertEquals(
        List.of(S5, S2, S4, S1),
        b.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList());
    assertNull(b.getLink("previous"));
    String next = b.getLink("next").getUrl();
    URI u = URI.create(next);
    assertEquals("/fhir/ImagingStudy", u.getPath());
    assertEquals("_count=4&_offset=4", u.getQuery());
    Bundle page2 =
        strictParser()
            .parseResource(
                Bundle.class,
                given()
                    .accept("application/fhir+json")
                    .get(u.getPath() + "?" + u.getQuery())
                    .asString());
    assertEquals(
        List.of(S3, S7),
        page2.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList());
    assertNull(page2.getLink("next"));
    assertFalse(page2.getLink("previous").getUrl().contains("_offset"));
    // Parameters are carried into the links, encoded.
    Bundle mod =
        strictParser()
            .parseResource(
                Bundle.class,
                get("/ImagingStudy", "modality", DCM + "|CT", "_count", "1").asString());
    assertTrue(
        mod.getLink("next")
            .getUrl()
            .endsWith(
                "/fhir/ImagingStudy?modality=http%3A%2F%2Fdicom.nema.org%2Fresources%2Fontology%2FDCM%7CCT&_count=1&_offset=1"),
        mod.getLink("next").getUrl());
  }

  /** FHIR R4 3.1.1.5.7: the server may return fewer than {@code _count}; more is no error. */
  @Test
  void aCountAboveTheMaximumIsLowered() throws Exception {
    for (String count : List.of("1000", "99999999999999")) {
      ExtractableResponse<Response> r = get("/ImagingStudy", "_count", count);
      assertEquals(200, r.statusCode(), count + ": " + r.asString());
      Bundle b = strictParser().parseResource(Bundle.class, r.asString());
      assertEquals(
          List.of(S5, S2, S4, S1, S3, S7),
          b.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList());
      assertNull(b.getLink("next"));
    }
  }

  @Test
  void badParametersAreRefusedWithAnOperationOutcome() {
    String[][] bad = {
      {"foo", "bar"},
      {"patient", "Patient/1"},
      {"started", "2025-13-01"},
      {"started", "10.01.2025"},
      {"started", "sa2025"},
      {"started", "2025-02-30"},
      {"_count", "0"},
      {"_count", "ten"},
      {"_offset", "-1"},
      {"identifier", "urn:dicom:uid|1.2.3"},
      {"identifier", "urn:dicom:uid|urn:oid:1..2"},
      {"_id", "abc"},
      {"modality", ""},
      {"_sort", "started"},
    };
    for (String[] kv : bad) {
      OperationOutcome.OperationOutcomeIssueComponent i = error(400, "/ImagingStudy", kv);
      assertFalse(i.getDiagnostics().isBlank(), kv[0]);
      assertFalse(
          i.getDiagnostics().contains(kv[1]) && !kv[1].isEmpty() && kv[1].length() > 4,
          "the reason does not repeat the value: " + i.getDiagnostics());
    }
  }

  @Test
  void capabilityStatementAndOpenApi() throws Exception {
    ExtractableResponse<Response> r = get("/metadata");
    assertEquals(200, r.statusCode(), r.asString());
    CapabilityStatement c = strictParser().parseResource(CapabilityStatement.class, r.asString());
    assertEquals("4.0.1", c.getFhirVersion().toCode());
    CapabilityStatement.CapabilityStatementRestResourceComponent res =
        c.getRestFirstRep().getResourceFirstRep();
    assertEquals("ImagingStudy", res.getType());
    assertEquals(
        List.of("read", "search-type"),
        res.getInteraction().stream().map(i -> i.getCode().toCode()).toList());
    assertEquals(
        List.of("patient", "identifier", "_id", "started", "modality"),
        res.getSearchParam().stream().map(p -> p.getName()).toList());

    JsonNode openapi =
        JSON.readTree(given().accept("application/json").get("/q/openapi").asString());
    JsonNode search = openapi.at("/paths/~1fhir~1ImagingStudy/get");
    List<String> params = new ArrayList<>();
    search.path("parameters").forEach(p -> params.add(p.path("name").asText()));
    assertTrue(
        params.containsAll(
            List.of("patient:identifier", "identifier", "started", "modality", "_count")),
        params.toString());
    assertFalse(openapi.at("/paths/~1fhir~1ImagingStudy~1{id}/get").isMissingNode());
  }

  @Test
  void ctSopClassCodingOfAnInstance() throws Exception {
    ImagingStudy s =
        strictParser().parseResource(ImagingStudy.class, get("/ImagingStudy/" + S1).asString());
    assertEquals(
        "urn:oid:" + CT, s.getSeriesFirstRep().getInstanceFirstRep().getSopClass().getCode());
    assertEquals("2025-01-10T08:30:00+00:00", s.getStartedElement().getValueAsString());
  }
}
