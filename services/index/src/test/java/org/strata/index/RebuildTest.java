package org.strata.index;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.events.InstanceStored;
import org.strata.events.ObjectLocation;
import org.strata.index.service.SidecarEvents;
import org.strata.storage.ObjectStore;

/**
 * Rebuild from S3: pydicom's sample files, each stored with a metadata sidecar (DICOM JSON from
 * dcmtk's dcm2json) carrying the user metadata ingest's DerivativesWriter writes, and indexed live
 * from their InstanceStored events; the tenant's rows are snapshotted, deleted, rebuilt from the
 * sidecars through the admin API, and compared. The snapshot leaves out surrogate keys (pk, foreign
 * pks replaced by the natural keys they point to), row timestamps (created_at, updated_at,
 * indexed_at) and the patient_change audit (see ADR 0007).
 */
@QuarkusTest
@QuarkusTestResource(
    value = org.strata.testkit.PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,s3"))
class RebuildTest extends IndexTestSupport {
  private static final Path DATA = Path.of("/usr/lib/python3/dist-packages/pydicom/data");
  private static final Path DCM2JSON = Path.of("/usr/bin/dcm2json");
  private static final List<String> SAMPLES =
      List.of(
          "test_files/CT_small.dcm",
          "test_files/MR_small.dcm",
          "test_files/rtplan.dcm",
          "test_files/rtstruct.dcm",
          "test_files/rtdose.dcm",
          "test_files/reportsi.dcm",
          "test_files/liver_1frame.dcm",
          "charset_files/chrX1.dcm",
          "charset_files/chrKoreanMulti.dcm",
          "charset_files/chrFren.dcm",
          "charset_files/chrGerm.dcm",
          "charset_files/chrRuss.dcm");
  private static final ObjectMapper JSON = new ObjectMapper();

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @ConfigProperty(name = "strata.s3.access-key")
  String s3AccessKey;

  @ConfigProperty(name = "strata.s3.secret-key")
  String s3SecretKey;

  @Test
  void theIndexRebuiltFromTheSidecarsEqualsTheLiveOne() throws Exception {
    assumeTrue(Files.isDirectory(DATA), "pydicom samples missing");
    assumeTrue(Files.isExecutable(DCM2JSON), "dcm2json missing");
    String tenant = "rebuild-" + Long.toString(System.nanoTime(), 36);
    ObjectStore store = ObjectStore.connect(s3Endpoint, s3AccessKey, s3SecretKey, "strata-objects");
    Instant at = Instant.parse("2025-03-01T08:00:00Z");
    int n = 0;
    for (String sample : SAMPLES) {
      byte[] object = Files.readAllBytes(DATA.resolve(sample));
      ObjectNode sidecar = (ObjectNode) JSON.readTree(dcm2json(DATA.resolve(sample)));
      // Fresh UIDs: some samples share them, and every run is a new tenant anyway.
      String study = InstanceStoredMother.uid();
      String series = InstanceStoredMother.uid();
      String sop = InstanceStoredMother.uid();
      setUid(sidecar, "0020000D", study);
      setUid(sidecar, "0020000E", series);
      setUid(sidecar, "00080018", sop);
      String prefix = tenant + "/" + study + "/" + series + "/" + sop;
      InstanceStored event =
          new InstanceStored(
              UUID.randomUUID().toString(),
              at.plusSeconds(n++),
              tenant,
              study,
              series,
              sop,
              sidecar.at("/00080016/Value/0").asText(),
              "1.2.840.10008.1.2.1",
              text(sidecar, "00100020"),
              // As ingest sends it (ADR 0019): the object's own issuer, else none.
              text(sidecar, "00100021"),
              text(sidecar, "00080050"),
              text(sidecar, "00080060"),
              text(sidecar, "00080020"),
              new ObjectLocation(
                  "strata-objects",
                  prefix + ".dcm",
                  object.length,
                  HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(object)),
                  prefix + ".json",
                  prefix + ".frames"),
              new InstanceStored.Source(
                  InstanceStored.Channel.DIMSE, "PYDICOM", "STRATA", null, null),
              1,
              null);
      event = withAttributes(event, SidecarEvents.eventAttributes(sidecar));
      store.put(prefix + ".dcm", new ByteArrayInputStream(object), "application/dicom", Map.of());
      store.put(
          prefix + ".json",
          new ByteArrayInputStream(JSON.writeValueAsBytes(sidecar)),
          "application/dicom+json",
          metadata(event));
      publish(event);
    }
    // A sidecar without Strata's metadata (written before it existed): counted as failed.
    store.put(
        tenant + "/1.2.3/1.2.3.4/1.2.3.4.5.json",
        new ByteArrayInputStream("{}".getBytes()),
        "application/dicom+json",
        Map.of());

    await().atMost(WAIT).until(() -> String.valueOf(SAMPLES.size()).equals(count(tenant)));
    String live = tenantSnapshot(tenant);
    assertNotNull(live);

    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        Statement s = c.createStatement()) {
      s.executeUpdate("delete from study where tenant = '" + tenant + "'");
      s.executeUpdate("delete from patient where tenant = '" + tenant + "'");
      s.executeUpdate("delete from tenant where id = '" + tenant + "'");
    }
    assertEquals("0", count(tenant));

    String id =
        given()
            .post("/admin/rebuilds?tenant=" + tenant)
            .then()
            .statusCode(202)
            .extract()
            .path("id");
    await()
        .atMost(WAIT)
        .until(
            () ->
                !"RUNNING"
                    .equals(given().get("/admin/rebuilds/" + id).then().extract().path("state")));
    JsonPath status =
        given().get("/admin/rebuilds/" + id).then().statusCode(200).extract().jsonPath();
    assertEquals("DONE", status.getString("state"));
    assertEquals(SAMPLES.size() * 2 + 1, status.getInt("objectsScanned"));
    assertEquals(SAMPLES.size() + 1, status.getInt("sidecars"));
    assertEquals(SAMPLES.size(), status.getInt("indexed"));
    assertEquals(1, status.getInt("failed"));

    assertEquals(live, tenantSnapshot(tenant));

    given().get("/admin/rebuilds/" + UUID.randomUUID()).then().statusCode(404);
    given().post("/admin/rebuilds?tenant=Not_A_Tenant").then().statusCode(400);
  }

  private String count(String tenant) throws Exception {
    return query("select count(*) from instance where tenant = '" + tenant + "'");
  }

  /** Every row of the tenant, without surrogate keys and row timestamps, one per line. */
  private String tenantSnapshot(String tenant) throws Exception {
    String t = "'" + tenant + "'";
    return query(
        "select string_agg(x, E'\\n' order by x) from ("
            + " select 'T ' || (to_jsonb(t) - 'created_at')::text x from tenant t where id = "
            + t
            + " union all select 'P ' || (to_jsonb(p) - 'pk' - 'created_at' - 'updated_at')::text"
            + " from patient p where tenant = "
            + t
            + " union all select 'S ' || (to_jsonb(s) - 'pk' - 'patient_pk' - 'created_at' -"
            + " 'updated_at' || jsonb_build_object('patient', p.patient_id || '|' ||"
            + " p.issuer))::text from study s join patient p on p.pk = s.patient_pk where s.tenant = "
            + t
            + " union all select 'E ' || (to_jsonb(e) - 'pk' - 'study_pk' - 'created_at' ||"
            + " jsonb_build_object('study', st.study_uid))::text from series e join study st on"
            + " st.pk = e.study_pk where e.tenant = "
            + t
            + " union all select 'I ' || (to_jsonb(i) - 'pk' - 'series_pk' - 'indexed_at' ||"
            + " jsonb_build_object('series', e.series_uid))::text from instance i join series e on"
            + " e.pk = i.series_pk where i.tenant = "
            + t
            + " union all select 'L ' || (to_jsonb(l) - 'instance_pk' || jsonb_build_object('sop',"
            + " i.sop_instance_uid))::text from object_location l join instance i on i.pk ="
            + " l.instance_pk where i.tenant = "
            + t
            + ") q");
  }

  /** The user metadata DerivativesWriter puts on a sidecar (ADR 0007). */
  private static Map<String, String> metadata(InstanceStored e) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("strata-event-id", e.eventId());
    m.put("strata-tenant", e.tenant());
    m.put("strata-received-at", e.occurredAt().toString());
    m.put("strata-object-key", e.objectLocation().key());
    m.put("strata-object-size", Long.toString(e.objectLocation().size()));
    m.put("strata-sha256", e.objectLocation().sha256());
    m.put("strata-version", Integer.toString(e.version()));
    m.put("strata-transfer-syntax", e.transferSyntaxUid());
    m.put("strata-frame-index-key", e.objectLocation().frameIndexKey());
    m.put("strata-channel", e.source().channel().name());
    m.put("strata-calling-ae", e.source().callingAeTitle());
    return m;
  }

  private static InstanceStored withAttributes(InstanceStored e, ObjectNode attributes) {
    return new InstanceStored(
        e.eventId(),
        e.occurredAt(),
        e.tenant(),
        e.studyInstanceUid(),
        e.seriesInstanceUid(),
        e.sopInstanceUid(),
        e.sopClassUid(),
        e.transferSyntaxUid(),
        e.patientId(),
        e.issuerOfPatientId(),
        e.accessionNumber(),
        e.modality(),
        e.studyDate(),
        e.objectLocation(),
        e.source(),
        e.version(),
        attributes);
  }

  private static void setUid(ObjectNode json, String tag, String uid) {
    json.set(
        tag, JSON.createObjectNode().put("vr", "UI").set("Value", JSON.createArrayNode().add(uid)));
  }

  private static String text(ObjectNode json, String tag) {
    var v = json.at("/" + tag + "/Value/0");
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  private static byte[] dcm2json(Path file) throws Exception {
    Process p =
        new ProcessBuilder(DCM2JSON.toString(), file.toString()).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor(), "dcm2json " + file);
    return out;
  }
}
