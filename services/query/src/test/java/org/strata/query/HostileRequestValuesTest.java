package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.QidoTestData.S1;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.RawHttp;

/**
 * Values PostgreSQL cannot hold (NUL, invalid or overlong UTF-8, encoded surrogates), raw bytes
 * outside ASCII and unreasonable lengths, in the query values and path segments of QIDO-RS,
 * WADO-RS, WADO-URI, rendered and FHIR: each is 400 (414 for the whole target) with a reason, never
 * a 5xx. {@code /dicomweb/studies?PatientID=%00} was an HTTP 500 (PostgreSQL refused the NUL).
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class HostileRequestValuesTest extends QidoTestSupport {
  private static final List<String> HOSTILE =
      List.of(
          "%00",
          "A%00B",
          "%C3%28",
          "%FF",
          "%C0%AF",
          "%C0%80",
          "%E0%80%AF",
          "%ED%A0%80",
          "%ED%B0%80",
          "%F4%90%80%80",
          "%G1", // malformed escapes: Vert.x answers 400 itself, with no body
          "%",
          "\u00ff", // a raw byte 0xFF on the request line
          "M\u00c3\u00bcller"); // raw UTF-8 bytes, not percent-encoded

  /** Where each hostile value goes: {@code {}} is replaced by it. */
  private static final List<String> TARGETS =
      List.of(
          "/dicomweb/studies?PatientID={}",
          "/dicomweb/studies?PatientName={}&fuzzymatching=true",
          "/dicomweb/series?Modality={}",
          "/dicomweb/instances?limit=1&{}=1",
          "/dicomweb/studies/{}/series",
          "/dicomweb/studies/" + S1 + "/series/{}/instances",
          "/dicomweb/studies/{}",
          "/dicomweb/studies/" + S1 + "/metadata?x={}",
          "/dicomweb/studies/1.2.3/series/4.5/instances/{}/frames/1",
          "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/frames/{}",
          "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/rendered?window={}",
          "/dicomweb/studies/{}/thumbnail",
          "/dicomweb/wado?requestType=WADO&studyUID={}&seriesUID=1.2&objectUID=1.3",
          "/dicomweb/wado?requestType=WADO&studyUID=1.1&seriesUID=1.2&objectUID=1.3&frameNumber={}",
          "/fhir/ImagingStudy?patient={}",
          "/fhir/ImagingStudy?identifier={}",
          "/fhir/ImagingStudy/{}");

  @Test
  void hostileValuesAreRefusedWith400AndAReasonEverywhere() throws Exception {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (String target : TARGETS) {
      for (String value : HOSTILE) {
        String t = target.replace("{}", value);
        RawHttp.Answer a = RawHttp.send("GET", RestAssured.port, t);
        checked++;
        boolean fhir = t.startsWith("/fhir");
        boolean malformedEscape = value.startsWith("%G") || value.equals("%");
        boolean reasoned =
            malformedEscape
                || (fhir
                    ? a.body().contains("\"resourceType\":\"OperationOutcome\"")
                        && a.body().contains("\"diagnostics\"")
                    : a.body().contains("\"reason\":\""));
        if (a.status() != 400 || !reasoned) {
          wrong.add(t + " -> " + a.status() + " " + a.body());
        }
      }
    }
    assertEquals(List.of(), wrong, "of " + checked);
  }

  @Test
  void theReasonSaysWhichParameterAndWhatButNotTheValue() throws Exception {
    RawHttp.Answer a = RawHttp.send("GET", RestAssured.port, "/dicomweb/studies?PatientID=%00");
    assertEquals(400, a.status(), a.body());
    assertTrue(
        a.body().contains("query parameter 1 (PatientID): contains a NUL character"), a.body());
    RawHttp.Answer f =
        RawHttp.send("GET", RestAssured.port, "/fhir/ImagingStudy?patient=Doe%C3%28");
    assertEquals(400, f.status(), f.body());
    assertTrue(f.body().contains("not well-formed UTF-8"), f.body());
    assertTrue(!f.body().contains("Doe"), f.body());
  }

  @Test
  void unreasonableLengthsAreRefused() throws Exception {
    String longValue = "A".repeat(1025);
    for (String t :
        List.of(
            "/dicomweb/studies?PatientID=" + longValue,
            "/dicomweb/studies/" + longValue + "/series",
            "/fhir/ImagingStudy?identifier=" + longValue,
            "/dicomweb/studies?" + "PatientID=1&".repeat(101))) {
      RawHttp.Answer a = RawHttp.send("GET", RestAssured.port, t);
      assertEquals(400, a.status(), t.substring(0, 40) + ": " + a.body());
    }
    // Above the HTTP server's request-line limit (4096 bytes): 414 from the server itself.
    RawHttp.Answer a =
        RawHttp.send("GET", RestAssured.port, "/dicomweb/studies?PatientID=" + "A".repeat(5000));
    assertEquals(414, a.status(), a.head());
  }

  @Test
  void wellFormedValuesStillWork() throws Exception {
    // U+00FC percent-encoded as UTF-8, a CJK name, and a supplementary character.
    assertEquals(
        List.of(QidoTestData.S4, QidoTestData.S3),
        search("/studies", STUDY_UID, "PatientName", "MÜLLER^Hans"));
    assertEquals(
        200,
        RawHttp.send("GET", RestAssured.port, "/dicomweb/studies?PatientName=%E5%B1%B1%E7%94%B0*")
            .status());
    assertEquals(
        204,
        RawHttp.send("GET", RestAssured.port, "/dicomweb/studies?PatientName=%F0%9F%98%80")
            .status());
    // Control characters other than NUL are text PostgreSQL holds: matched (nothing), not refused.
    assertEquals(
        204,
        RawHttp.send("GET", RestAssured.port, "/dicomweb/studies?PatientID=%01%1F%7F").status());
  }

  /** Other malformed values on the same endpoints are client faults too: 4xx, never 5xx. */
  @Test
  void otherMalformedValuesAre400Not500() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String t :
        List.of(
            "/dicomweb/studies?limit=ten",
            "/dicomweb/studies?limit=-1",
            "/dicomweb/studies?offset=1e3",
            "/dicomweb/studies?StudyDate=20251301",
            "/dicomweb/studies?StudyDate=2025-01-01",
            "/dicomweb/studies?StudyTime=99",
            "/dicomweb/series?SeriesNumber=two",
            "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/frames/0",
            "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/frames/x",
            "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/frames/1,,2",
            "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/frames/99999999999999999999",
            "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/frames/1/rendered?quality=x",
            "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/rendered?viewport=1,2,3",
            "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/rendered?window=a,b,c",
            "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/bulkdata/x-y",
            "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/bulkdata/99999999999999999999-1",
            "/dicomweb/wado?requestType=WADO&studyUID=1.1&seriesUID=1.2&objectUID=1.3&frameNumber=x",
            "/dicomweb/wado?requestType=WADO&studyUID=1.1&seriesUID=1.2&objectUID=1.3&rows=-5",
            "/dicomweb/wado?requestType=WADO&studyUID=1.1&seriesUID=1.2&objectUID=1.3"
                + "&windowCenter=a&windowWidth=b",
            "/dicomweb/wado?requestType=NOPE",
            "/dicomweb/wado",
            "/fhir/ImagingStudy?started=2025-13-01",
            "/fhir/ImagingStudy?_count=x",
            "/fhir/ImagingStudy?_offset=99999999999",
            "/fhir/ImagingStudy/not-a-uid")) {
      RawHttp.Answer a = RawHttp.send("GET", RestAssured.port, t);
      if (a.status() < 400 || a.status() >= 500) {
        wrong.add(t + " -> " + a.status() + " " + a.body());
      }
    }
    assertEquals(List.of(), wrong);
  }
}
