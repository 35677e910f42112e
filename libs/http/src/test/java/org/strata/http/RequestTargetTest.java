package org.strata.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTargetTest {

  @Test
  void ordinaryTargetsPass() {
    for (String ok :
        List.of(
            "/dicomweb/studies",
            "/dicomweb/studies?PatientName=Doe^J*&limit=10&includefield=00081030,00080060",
            "/dicomweb/studies?PatientName=M%C3%BCller&StudyDate=20250101-",
            "/dicomweb/studies?PatientName=%E5%B1%B1%E7%94%B0*", // 山田
            "/dicomweb/studies?PatientName=%F0%9F%98%80", // a supplementary character
            "/dicomweb/studies/1.2.3/series/4.5/instances/6.7/frames/1,2,3",
            "/fhir/ImagingStudy?patient.identifier=urn:oid:1.2%7CPAT-1&_count=10",
            "/dicomweb/studies?StudyInstanceUID=1.2\\1.3&flag&x=",
            "/admin/tenants/local/patient-links?patientId=a+b",
            "/",
            "/dicomweb/studies?" + "a".repeat(RequestTarget.MAX_VALUE_CHARS) + "=1")) {
      assertNull(RequestTarget.check(ok), ok);
    }
  }

  @Test
  void valuesPostgresqlCannotHoldAreRefusedWherever() {
    for (String hostile :
        List.of(
            "%00", // NUL
            "a%00b",
            "%C3%28", // invalid continuation byte
            "%FF",
            "%80", // lone continuation byte
            "%C3", // truncated sequence
            "%C0%AF", // overlong '/'
            "%C0%80", // overlong NUL (modified UTF-8)
            "%E0%80%AF", // overlong, 3 bytes
            "%ED%A0%80", // lone high surrogate, CESU style
            "%ED%B0%80", // lone low surrogate
            "%F4%90%80%80", // above U+10FFFF
            "%G0", // not hex
            "%4", // truncated escape
            "%")) {
      for (String target :
          List.of(
              "/dicomweb/studies?PatientID=" + hostile,
              "/dicomweb/studies?limit=1&" + hostile + "=1",
              "/dicomweb/studies/" + hostile + "/series",
              "/fhir/ImagingStudy/" + hostile,
              "/admin/tenants/" + hostile + "/studies/1.2")) {
        RequestTarget.Refusal r = RequestTarget.check(target);
        assertNotNull(r, target);
        assertEquals(400, r.status(), target);
        assertFalse(r.reason().contains(hostile), "the reason repeats the value: " + r.reason());
      }
    }
  }

  @Test
  void reasonsSayWhatAndWhere() {
    assertEquals(
        "query parameter 2 (PatientID): contains a NUL character",
        RequestTarget.check("/dicomweb/studies?limit=1&PatientID=%00").reason());
    assertEquals(
        "path segment 3: not well-formed UTF-8 (invalid, overlong or surrogate byte sequence)",
        RequestTarget.check("/dicomweb/studies/%C0%AF/series").reason());
    assertEquals(
        "query parameter 1 (its name): malformed percent-encoding",
        RequestTarget.check("/dicomweb/studies?%ZZ=1").reason());
  }

  @Test
  void rawBytesOutsidePrintableAsciiAreRefused() {
    // As the HTTP server hands them over: one char per byte of the request line.
    for (String raw : List.of("/studies?PatientName=M\u00fcller", "/studies/\u00ff", "/a\u0000b")) {
      RequestTarget.Refusal r = RequestTarget.check(raw);
      assertNotNull(r, raw);
      assertEquals(400, r.status());
      assertTrue(r.reason().contains("percent-encoded"), r.reason());
    }
  }

  @Test
  void unreasonableLengthsAreRefused() {
    String longValue = "a".repeat(RequestTarget.MAX_VALUE_CHARS + 1);
    assertEquals(
        "query parameter 1 (PatientID): longer than 1024 characters",
        RequestTarget.check("/studies?PatientID=" + longValue).reason());
    assertEquals(400, RequestTarget.check("/studies/" + longValue).status());
    // Each %XX is one character once decoded: the limit is on the value, not its encoding.
    assertNull(RequestTarget.check("/studies?PatientID=" + "%41".repeat(1024)));
    assertEquals(
        414,
        RequestTarget.check("/studies?x=" + "a".repeat(RequestTarget.MAX_TARGET_BYTES)).status());
    String many = "/studies?" + "a=1&".repeat(RequestTarget.MAX_PARAMETERS) + "a=1";
    assertEquals("more than 100 query parameters", RequestTarget.check(many).reason());
  }
}
