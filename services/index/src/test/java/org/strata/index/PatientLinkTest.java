package org.strata.index;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.events.EventCodec;
import org.strata.events.PatientLinksChanged;
import org.strata.events.PatientLinksChanged.Change;
import org.strata.events.PatientLinksChanged.PatientRef;
import org.strata.events.Topics;
import org.strata.index.service.PatientLinkService;
import org.strata.testkit.PlatformTestResource;

/**
 * Patient links through the admin API: the same Patient ID in two tenants is two patients until
 * linked; links are created, merged, reduced and dissolved, each change published once on
 * strata.patient.links; bad requests are 4xx.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres"))
class PatientLinkTest extends IndexTestSupport {
  private static final String LINKS_A = "/admin/tenants/link-a/patient-links";

  @Inject PatientLinkService links;

  private KafkaConsumer<String, byte[]> linkEvents;
  private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

  @BeforeEach
  void subscribe() {
    linkEvents = consumer();
    linkEvents.subscribe(List.of(Topics.PATIENT_LINKS.name()));
  }

  @AfterEach
  void unsubscribe() {
    linkEvents.close();
  }

  /** A patient of the tenant with one study, indexed; its issuer the tenant's default if null. */
  private InstanceStoredMother patient(String tenant, String patientId, String issuer) {
    InstanceStoredMother m = new InstanceStoredMother();
    m.tenant = tenant;
    m.patientId = patientId;
    m.issuer = issuer;
    publish(m.build());
    awaitInstances(m.studyUid, 1);
    return m;
  }

  private static Map<String, Object> member(String tenant, String patientId) {
    return Map.of("tenant", tenant, "patientId", patientId);
  }

  private static ExtractableResponse<Response> post(String tenant, Object body) {
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/admin/tenants/" + tenant + "/patient-links")
        .then()
        .extract();
  }

  /** Every event of the link, in order, once the last one has the given change. */
  private List<PatientLinksChanged> eventsOf(String linkId, Change last) {
    List<PatientLinksChanged> events = new ArrayList<>();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              linkEvents.poll(Duration.ofMillis(200)).forEach(seen::add);
              events.clear();
              for (ConsumerRecord<String, byte[]> r : seen) {
                if (linkId.equals(r.key())) {
                  events.add(EventCodec.decode(r.value(), PatientLinksChanged.class));
                }
              }
              return !events.isEmpty() && events.get(events.size() - 1).change() == last;
            });
    return events;
  }

  @Test
  void theSamePatientIdInTwoTenantsIsTwoPatientsUntilLinked() throws Exception {
    String pid = "SAME-" + InstanceStoredMother.uid();
    patient("link-a", pid, null);
    patient("link-b", pid, null);
    assertEquals(
        "link-a/STRATA-link-a,link-b/STRATA-link-b",
        query(
            "select string_agg(tenant || '/' || issuer, ',' order by tenant) from patient where"
                + " patient_id = '"
                + pid
                + "'"));

    ExtractableResponse<Response> created =
        post(
            "link-a",
            Map.of(
                "members",
                List.of(Map.of("patientId", pid), member("link-b", pid)),
                "reason",
                "same person"));
    assertEquals(201, created.statusCode(), created.asString());
    String id = created.path("id");
    assertEquals(LINKS_A + "/" + id, java.net.URI.create(created.header("Location")).getPath());
    assertEquals("admin-api", created.path("createdBy"));
    assertEquals(
        List.of(
            Map.of("tenant", "link-a", "patientId", pid, "issuer", "STRATA-link-a"),
            Map.of("tenant", "link-b", "patientId", pid, "issuer", "STRATA-link-b")),
        created.path("members"));
    // Still two patients, now one link.
    assertEquals(
        "2|1",
        query(
            "select count(*) || '|' || count(distinct m.link_id) from patient p join"
                + " patient_link_member m on m.patient_pk = p.pk where p.patient_id = '"
                + pid
                + "'"));

    // Linking them again changes nothing (and publishes nothing).
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("members", List.of(member("link-b", pid), member("link-a", pid))))
        .post(LINKS_A)
        .then()
        .statusCode(200)
        .body("id", equalTo(id));
    // Either tenant sees the link; a third does not.
    given().get(LINKS_A + "/" + id).then().statusCode(200).body("reason", equalTo("same person"));
    given()
        .get("/admin/tenants/link-b/patient-links?patientId=" + pid)
        .then()
        .statusCode(200)
        .body("id", equalTo(List.of(id)));
    given().get("/admin/tenants/link-c/patient-links/" + id).then().statusCode(404);
    given().delete("/admin/tenants/link-c/patient-links/" + id).then().statusCode(404);

    given().delete(LINKS_A + "/" + id + "?reason=mistake").then().statusCode(204);
    given().get(LINKS_A + "/" + id).then().statusCode(404);
    assertEquals(
        "2|0",
        query(
            "select count(*) || '|' || count(m.link_id) from patient p left join"
                + " patient_link_member m on m.patient_pk = p.pk where p.patient_id = '"
                + pid
                + "'"));

    List<PatientLinksChanged> events = eventsOf(id, Change.DISSOLVED);
    assertEquals(
        List.of(Change.LINKED, Change.DISSOLVED), events.stream().map(e -> e.change()).toList());
    PatientRef a = new PatientRef("link-a", pid, "STRATA-link-a");
    PatientRef b = new PatientRef("link-b", pid, "STRATA-link-b");
    PatientLinksChanged linked = events.get(0);
    assertEquals("link-a", linked.tenant());
    assertEquals(List.of(a, b), linked.members());
    assertEquals(List.of(a, b), linked.added());
    assertEquals(List.of(), linked.removed());
    assertEquals("same person", linked.reason());
    assertEquals("admin-api", linked.requestedBy());
    assertNull(linked.mergedInto());
    PatientLinksChanged dissolved = events.get(1);
    assertEquals(List.of(), dissolved.members());
    assertEquals(List.of(a, b), dissolved.removed());
    assertEquals("mistake", dissolved.reason());
    assertEquals("0", query("select count(*) from patient_link_change where published_at is null"));
  }

  @Test
  void linkingPatientsOfTwoLinksMergesThemAndUnlinkingDissolvesTheLast() throws Exception {
    String p = "M-" + InstanceStoredMother.uid();
    patient("link-a", p + "-1", "HA");
    patient("link-b", p + "-2", "HB");
    patient("link-a", p + "-3", "HA2");
    patient("link-b", p + "-4", "HB");
    String first =
        post(
                "link-a",
                Map.of("members", List.of(member("link-a", p + "-1"), member("link-b", p + "-2"))))
            .path("id");
    String second =
        post(
                "link-a",
                Map.of("members", List.of(member("link-a", p + "-3"), member("link-b", p + "-4"))))
            .path("id");

    ExtractableResponse<Response> merged =
        post(
            "link-a",
            Map.of("members", List.of(member("link-b", p + "-2"), member("link-a", p + "-3"))));
    assertEquals(200, merged.statusCode(), merged.asString());
    assertEquals(first, merged.path("id"), "the older link absorbs the other");
    assertEquals(List.of(p + "-1", p + "-3", p + "-2", p + "-4"), merged.path("members.patientId"));
    given().get(LINKS_A + "/" + second).then().statusCode(404);

    List<PatientLinksChanged> absorbed = eventsOf(second, Change.MERGED);
    assertEquals(
        List.of(Change.LINKED, Change.MERGED), absorbed.stream().map(e -> e.change()).toList());
    assertEquals(first, absorbed.get(1).mergedInto());
    assertEquals(
        List.of(
            new PatientRef("link-a", p + "-3", "HA2"), new PatientRef("link-b", p + "-4", "HB")),
        absorbed.get(1).removed());

    // Remove one patient: three remain.
    given()
        .delete(LINKS_A + "/" + first + "/members?memberTenant=link-b&patientId=" + p + "-4")
        .then()
        .statusCode(200)
        .body("members.patientId", equalTo(List.of(p + "-1", p + "-3", p + "-2")));
    // A patient not in the link.
    given()
        .delete(LINKS_A + "/" + first + "/members?memberTenant=link-b&patientId=" + p + "-4")
        .then()
        .statusCode(404)
        .body("reason", containsString("not a member"));
    given().delete(LINKS_A + "/" + first + "/members?patientId=" + p + "-3").then().statusCode(200);
    // One left with the last removal but one: the link is dissolved.
    given().delete(LINKS_A + "/" + first + "/members?patientId=" + p + "-1").then().statusCode(204);
    given().get(LINKS_A + "/" + first).then().statusCode(404);

    List<PatientLinksChanged> events = eventsOf(first, Change.DISSOLVED);
    assertEquals(
        List.of(Change.LINKED, Change.LINKED, Change.UNLINKED, Change.UNLINKED, Change.DISSOLVED),
        events.stream().map(e -> e.change()).toList());
    assertEquals(
        List.of(
            new PatientRef("link-a", p + "-3", "HA2"), new PatientRef("link-b", p + "-4", "HB")),
        events.get(1).added());
    assertEquals(4, events.get(1).members().size());
    assertEquals(List.of(new PatientRef("link-b", p + "-4", "HB")), events.get(2).removed());
    assertEquals(
        List.of(new PatientRef("link-a", p + "-1", "HA"), new PatientRef("link-b", p + "-2", "HB")),
        events.get(4).removed());
    assertEquals(
        "0",
        query(
            "select count(*) from patient_link_member m join patient p on p.pk = m.patient_pk"
                + " where p.patient_id like '"
                + p
                + "-%'"));
  }

  @Test
  void anEventLeftUnpublishedIsSentByTheNextPublication() throws Exception {
    // As a change committed while Kafka was away leaves it: in the outbox, not published.
    String link = UUID.randomUUID().toString();
    PatientLinksChanged pending =
        new PatientLinksChanged(
            UUID.randomUUID().toString(),
            Instant.parse("2025-05-01T10:00:00Z"),
            "link-a",
            link,
            Change.DISSOLVED,
            List.of(),
            List.of(),
            List.of(new PatientRef("link-a", "GONE-1", "HA")),
            null,
            "outbox test",
            "admin-api");
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        PreparedStatement ps =
            c.prepareStatement(
                "insert into patient_link_change (event_id, link_id, change, requested_by, event)"
                    + " values (?::uuid, ?::uuid, 'DISSOLVED', 'admin-api', ?::jsonb)")) {
      ps.setString(1, pending.eventId());
      ps.setString(2, link);
      ps.setString(3, new String(EventCodec.encode(pending), StandardCharsets.UTF_8));
      ps.executeUpdate();
    }

    links.publishPending(); // what the next link change and every start do

    assertEquals(List.of(pending), eventsOf(link, Change.DISSOLVED));
    assertEquals(
        "t",
        query(
            "select published_at is not null from patient_link_change where event_id = '"
                + pending.eventId()
                + "'"));
  }

  @Test
  void badRequestsAreClientErrors() throws Exception {
    String p = "BAD-" + InstanceStoredMother.uid();
    patient("link-a", p, "HA");
    patient("link-a", p, "HA-OLD"); // the same Patient ID under a second issuer of the tenant
    patient("link-b", p + "-B", "HB");
    patient("link-b", p + "-C", "HB");

    post(
            "link-a",
            Map.of(
                "members",
                List.of(Map.of("patientId", p, "issuer", "HA"), member("link-b", "NO-SUCH"))))
        .response()
        .then()
        .statusCode(404)
        .body("reason", equalTo("members[1]: no such patient in tenant link-b"));
    post(
            "link-a",
            Map.of(
                "members",
                List.of(
                    Map.of("patientId", p, "issuer", "HA"),
                    Map.of("patientId", p, "issuer", "HA"))))
        .response()
        .then()
        .statusCode(400)
        .body("reason", equalTo("a patient cannot be linked to itself"));
    post("link-a", Map.of("members", List.of(member("link-a", p), member("link-b", p + "-B"))))
        .response()
        .then()
        .statusCode(409)
        .body("reason", containsString("give the issuer"));
    post(
            "link-a",
            Map.of("members", List.of(member("link-b", p + "-B"), member("link-b", p + "-C"))))
        .response()
        .then()
        .statusCode(400)
        .body("reason", equalTo("at least one member must be a patient of tenant link-a"));
    post("link-a", Map.of("members", List.of(member("link-a", p))))
        .response()
        .then()
        .statusCode(400)
        .body("reason", equalTo("at least two members are required"));
    post("link-a", Map.of("members", List.of(member("link-a", p + "\\X"), member("link-b", p))))
        .response()
        .then()
        .statusCode(400)
        .body("reason", containsString("members[0]: patientId must be"));
    post("link-a", Map.of("members", List.of(member("link-a", " "), member("link-b", p))))
        .response()
        .then()
        .statusCode(400)
        .body("reason", equalTo("members[0]: patientId is required"));
    post("link-a", Map.of("members", List.of(member("Link_A", p), member("link-b", p))))
        .response()
        .then()
        .statusCode(400)
        .body("reason", equalTo("members[0]: malformed tenant"));
    given()
        .contentType(ContentType.JSON)
        .body("{\"members\": [")
        .post(LINKS_A)
        .then()
        .statusCode(400);
    given().contentType(ContentType.JSON).post(LINKS_A).then().statusCode(400);
    given().get(LINKS_A + "/not-a-uuid").then().statusCode(400);
    given()
        .get(LINKS_A + "/00000000-0000-4000-8000-000000000000")
        .then()
        .statusCode(404)
        .body("reason", endsWith("with a patient of tenant link-a"));
    given()
        .delete(LINKS_A + "/00000000-0000-4000-8000-000000000000/members?patientId=" + p)
        .then()
        .statusCode(404);
    given()
        .delete(LINKS_A + "/00000000-0000-4000-8000-000000000000/members")
        .then()
        .statusCode(400);
    // Nothing was linked by any of these.
    assertEquals(
        "0",
        query(
            "select count(*) from patient_link_member m join patient p on p.pk = m.patient_pk"
                + " where p.patient_id like '"
                + p
                + "%'"));
  }
}
