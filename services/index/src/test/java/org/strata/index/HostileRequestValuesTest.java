package org.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Path segments and query values of the admin API (deletes, patient links, rebuilds) that are not
 * well-formed UTF-8, hold a NUL, are raw bytes outside ASCII or are too long: 400 with a reason,
 * never a PostgreSQL error. Other malformed values there are 4xx too, never 5xx.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres"))
class HostileRequestValuesTest {
  private static final List<String> HOSTILE =
      List.of(
          "%00",
          "a%00b",
          "%C3%28",
          "%FF",
          "%C0%AF",
          "%ED%A0%80",
          "%F4%90%80%80",
          "\u00ff",
          "A".repeat(1025));

  @Test
  void hostileValuesAreRefusedWith400AndAReason() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String[] request :
        List.of(
            new String[] {"DELETE", "/admin/tenants/{}/studies/1.2.3"},
            new String[] {"DELETE", "/admin/tenants/local/studies/{}"},
            new String[] {"DELETE", "/admin/tenants/local/studies/1.2/series/1.3?reason={}"},
            new String[] {"GET", "/admin/tenants/{}/patient-links"},
            new String[] {"GET", "/admin/tenants/local/patient-links?patientId={}"},
            new String[] {"GET", "/admin/tenants/local/patient-links?patientId=P&issuer={}"},
            new String[] {"GET", "/admin/tenants/local/patient-links/{}"},
            new String[] {"DELETE", "/admin/tenants/local/patient-links/1/members?patientId={}"},
            new String[] {"POST", "/admin/rebuilds?tenant={}"},
            new String[] {"GET", "/admin/rebuilds/{}"})) {
      for (String value : HOSTILE) {
        String t = request[1].replace("{}", value);
        RawHttp.Answer a = RawHttp.send(request[0], RestAssured.port, t);
        if (a.status() != 400 || !a.body().contains("\"error\":\"")) {
          wrong.add(request[0] + " " + t + " -> " + a.status() + " " + a.body());
        }
      }
    }
    assertEquals(List.of(), wrong);
    RawHttp.Answer a =
        RawHttp.send("GET", RestAssured.port, "/admin/tenants/local/patient-links?patientId=%00");
    assertTrue(a.body().contains("(patientId): contains a NUL character"), a.body());
  }

  @Test
  void otherMalformedValuesAre4xxNot5xx() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String[] request :
        List.of(
            new String[] {"DELETE", "/admin/tenants/local/studies/not-a-uid"},
            new String[] {"DELETE", "/admin/tenants/local/studies/1.2/series/x"},
            new String[] {"GET", "/admin/tenants/local/patient-links?patientId=P&limit=x"},
            new String[] {"GET", "/admin/tenants/local/patient-links?patientId=P&limit=-1"},
            new String[] {"GET", "/admin/tenants/local/patient-links?limit=99999999999999"},
            new String[] {"GET", "/admin/tenants/local/patient-links/x"},
            new String[] {"GET", "/admin/tenants/local/patient-links/99999999999999999999"},
            new String[] {"DELETE", "/admin/tenants/local/patient-links/-1"},
            new String[] {"DELETE", "/admin/tenants/local/patient-links/x/members"},
            new String[] {"GET", "/admin/rebuilds/x"},
            new String[] {"GET", "/admin/rebuilds/99999999999999999999"},
            new String[] {"POST", "/admin/tenants/local/patient-links"})) {
      RawHttp.Answer a = RawHttp.send(request[0], RestAssured.port, request[1]);
      if (a.status() < 400 || a.status() >= 500) {
        wrong.add(request[0] + " " + request[1] + " -> " + a.status() + " " + a.body());
      }
    }
    assertEquals(List.of(), wrong);
  }
}
