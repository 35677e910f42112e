package org.strata.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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
    List<String> requests = new ArrayList<>();
    for (String request :
        List.of(
            "DELETE /admin/tenants/{}/studies/1.2.3",
            "DELETE /admin/tenants/local/studies/{}",
            "DELETE /admin/tenants/local/studies/1.2/series/1.3?reason={}",
            "GET /admin/tenants/{}/patient-links",
            "GET /admin/tenants/local/patient-links?patientId={}",
            "GET /admin/tenants/local/patient-links?patientId=P&issuer={}",
            "GET /admin/tenants/local/patient-links/{}",
            "DELETE /admin/tenants/local/patient-links/1/members?patientId={}",
            "POST /admin/rebuilds?tenant={}",
            "GET /admin/rebuilds/{}")) {
      HOSTILE.forEach(value -> requests.add(request.replace("{}", value)));
    }
    assertEquals(
        List.of(),
        answeredOtherwise(requests, a -> a.status() == 400 && a.body().contains("\"reason\":\"")));
    RawHttp.Answer a =
        RawHttp.send("GET", RestAssured.port, "/admin/tenants/local/patient-links?patientId=%00");
    assertTrue(a.body().contains("(patientId): contains a NUL character"), a.body());
  }

  @Test
  void otherMalformedValuesAre4xxNot5xx() throws Exception {
    List<String> requests =
        List.of(
            "DELETE /admin/tenants/local/studies/not-a-uid",
            "DELETE /admin/tenants/local/studies/1.2/series/x",
            "GET /admin/tenants/local/patient-links?patientId=P&limit=x",
            "GET /admin/tenants/local/patient-links?patientId=P&limit=-1",
            "GET /admin/tenants/local/patient-links?limit=99999999999999",
            "GET /admin/tenants/local/patient-links/x",
            "GET /admin/tenants/local/patient-links/99999999999999999999",
            "DELETE /admin/tenants/local/patient-links/-1",
            "DELETE /admin/tenants/local/patient-links/x/members",
            "GET /admin/rebuilds/x",
            "GET /admin/rebuilds/99999999999999999999",
            "POST /admin/tenants/local/patient-links");
    assertEquals(
        List.of(), answeredOtherwise(requests, a -> a.status() >= 400 && a.status() < 500));
  }

  /** The requests ("METHOD target") whose answers fail {@code ok}, each with its answer. */
  private static List<String> answeredOtherwise(List<String> requests, Predicate<RawHttp.Answer> ok)
      throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String request : requests) {
      String[] methodAndTarget = request.split(" ", 2);
      RawHttp.Answer a = RawHttp.send(methodAndTarget[0], RestAssured.port, methodAndTarget[1]);
      if (!ok.test(a)) {
        wrong.add(request + " -> " + a.status() + " " + a.body());
      }
    }
    return wrong;
  }
}
