package org.strata.ingest;

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
 * Path segments and query values that are not well-formed UTF-8, hold a NUL, are raw bytes outside
 * ASCII or are too long, on STOW-RS and the admin API: 400 (414 for the whole target) with a
 * reason, before the body is read. Other malformed values there are 4xx too, never 5xx.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class HostileRequestValuesTest {
  private static final List<String> HOSTILE =
      List.of(
          "%00",
          "1.2%00",
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
    for (String target :
        List.of(
            "/dicomweb/studies/{}",
            "/dicomweb/studies?x={}",
            "/dicomweb/studies/1.2.3?{}=1",
            "/admin/reconcile?grace={}",
            "/admin/reconcile?window=PT1H&grace={}")) {
      for (String value : HOSTILE) {
        String t = target.replace("{}", value);
        RawHttp.Answer a = RawHttp.send("POST", RestAssured.port, t);
        if (a.status() != 400 || !a.body().contains("\"reason\":\"")) {
          wrong.add(t + " -> " + a.status() + " " + a.body());
        }
      }
    }
    assertEquals(List.of(), wrong);
    RawHttp.Answer a = RawHttp.send("POST", RestAssured.port, "/dicomweb/studies/1.2%00");
    assertTrue(a.body().contains("path segment 3: contains a NUL character"), a.body());
  }

  @Test
  void otherMalformedValuesAre4xxNot5xx() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (String t :
        List.of(
            "/dicomweb/studies/not-a-uid",
            "/dicomweb/studies/1..2",
            "/admin/reconcile?grace=soon",
            "/admin/reconcile?grace=PT99999999999999999999H",
            "/admin/reconcile?grace=PT1H&window=PT1M",
            "/admin/reconcile?grace=-PT1H")) {
      RawHttp.Answer a = RawHttp.send("POST", RestAssured.port, t);
      if (a.status() < 400 || a.status() >= 500) {
        wrong.add(t + " -> " + a.status() + " " + a.body());
      }
    }
    assertEquals(List.of(), wrong);
  }
}
