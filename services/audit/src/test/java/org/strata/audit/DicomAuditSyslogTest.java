package org.strata.audit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thaiopensource.validate.ValidationDriver;
import com.thaiopensource.validate.rng.CompactSchemaReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.testkit.PlatformTestResource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Stored records reach a real Audit Record Repository (rsyslogd with gnutls, RFC 5425) as DICOM
 * audit messages valid against PS3.15's schema, and none is missing after the repository was away.
 */
@QuarkusTest
@TestProfile(AuditTestProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,postgres,keycloak"))
class DicomAuditSyslogTest extends AuditTestSupport {
  private static final RsyslogRepository REPOSITORY = RsyslogRepository.get();

  @Inject MeterRegistry meters;

  @AfterAll
  static void stopRepository() throws InterruptedException {
    REPOSITORY.stop();
  }

  @Test
  void recordsArriveAsValidDicomAuditMessages() throws Exception {
    REPOSITORY.start();
    AuditRecordMother stored = new AuditRecordMother();
    stored.eventType = AuditEventTypes.INSTANCES_TRANSFERRED;
    stored.action = AuditRecord.Action.C;
    stored.channel = AuditRecord.Channels.STOW_RS;
    stored.actor = "writer";
    AuditRecordMother refused = new AuditRecordMother();
    refused.outcome = AuditRecord.Outcome.SERIOUS_FAILURE;
    publishAndAwait(List.of(stored.build(), refused.build()));

    Document transfer = parse(awaitMessage(stored.studyUid));
    Element event = first(transfer, "EventIdentification");
    assertEquals("110104", first(event, "EventID").getAttribute("csd-code"));
    assertEquals("C", event.getAttribute("EventActionCode"));
    assertEquals("0", event.getAttribute("EventOutcomeIndicator"));
    List<Element> participants = all(transfer, "ActiveParticipant");
    // A store: the client sends (source, requestor), Strata receives (destination).
    assertEquals(
        List.of("writer/110153", "strata-query/110152"),
        participants.stream()
            .map(
                p ->
                    p.getAttribute("UserID")
                        + "/"
                        + first(p, "RoleIDCode").getAttribute("csd-code"))
            .toList());
    assertEquals("true", participants.get(0).getAttribute("UserIsRequestor"));
    assertEquals(
        List.of(stored.patientId + "^^^HOSP", stored.studyUid),
        all(transfer, "ParticipantObjectIdentification").stream()
            .map(o -> o.getAttribute("ParticipantObjectID"))
            .toList());
    assertEquals("3", first(transfer, "SOPClass").getAttribute("NumberOfInstances"));

    Document query = parse(awaitMessage(refused.studyUid));
    assertEquals("110112", first(query, "EventID").getAttribute("csd-code"));
    assertEquals("8", first(query, "EventIdentification").getAttribute("EventOutcomeIndicator"));
    String keys = first(query, "ParticipantObjectQuery").getTextContent();
    assertEquals(
        "PatientID=" + refused.patientId,
        new String(java.util.Base64.getDecoder().decode(keys), StandardCharsets.UTF_8));

    // Every message received so far (this test's and the other tests' records): syslog facility
    // authpriv, the IHE MSGID, XML valid against the PS3.15 A.5.1 schema.
    List<String> lines = REPOSITORY.lines();
    assertFalse(lines.isEmpty());
    ValidationDriver schema = schema();
    for (String line : lines) {
      assertTrue(line.startsWith("10 ") && line.contains(" IHE+RFC-3881 "), line);
      assertValid(schema, xmlOf(line));
    }
    assertTrue(line(stored.studyUid).startsWith("10 5 ")); // authpriv.notice
    assertTrue(line(refused.studyUid).startsWith("10 4 ")); // a failure: authpriv.warning
  }

  @Test
  void aRepositoryThatWasAwayGetsEverythingWhenItReturns() throws Exception {
    REPOSITORY.start();
    AuditRecordMother before = new AuditRecordMother();
    publishAndAwait(List.of(before.build()));
    awaitMessage(before.studyUid);

    REPOSITORY.stop();
    double failures = failures();
    List<AuditRecordMother> whileAway = new ArrayList<>();
    List<AuditRecord> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      AuditRecordMother m = new AuditRecordMother();
      whileAway.add(m);
      records.add(m.build());
    }
    long first = publishAndAwait(records) - records.size() + 1;
    // The sender tried while the repository was away, and kept its cursor before these records.
    await().atMost(WAIT).until(() -> failures() > failures);
    assertTrue(longQuery("SELECT last_seq FROM audit.syslog_cursor") < first);

    REPOSITORY.start();
    for (AuditRecordMother m : whileAway) {
      awaitMessage(m.studyUid);
    }
    await()
        .atMost(WAIT)
        .until(() -> longQuery("SELECT last_seq FROM audit.syslog_cursor") >= first + 4);
  }

  private double failures() {
    return meters.get("strata_audit_syslog_failures").counter().count();
  }

  /** The XML of the message naming this study, once rsyslogd wrote it. */
  private String awaitMessage(String studyUid) throws java.io.IOException {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> line(studyUid) != null);
    return xmlOf(line(studyUid));
  }

  private String line(String studyUid) throws java.io.IOException {
    String id = "ParticipantObjectID=\"" + studyUid + "\"";
    return REPOSITORY.lines().stream().filter(l -> l.contains(id)).findFirst().orElse(null);
  }

  /** The MSG of a received line, without its byte order mark. */
  private static String xmlOf(String line) {
    return line.substring(line.indexOf('<'));
  }

  private static ValidationDriver schema() throws Exception {
    ValidationDriver driver =
        new ValidationDriver(
            new com.thaiopensource.util.PropertyMapBuilder().toPropertyMap(),
            CompactSchemaReader.getInstance());
    assertTrue(
        driver.loadSchema(
            new InputSource(
                DicomAuditSyslogTest.class
                    .getResource("/dicom/audit-message.rnc")
                    .toExternalForm())));
    return driver;
  }

  private static void assertValid(ValidationDriver driver, String xml) throws Exception {
    assertTrue(
        driver.validate(new InputSource(new StringReader(xml))),
        "valid against PS3.15 A.5.1: " + xml);
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static Element first(Document d, String name) {
    return (Element) d.getElementsByTagName(name).item(0);
  }

  private static Element first(Element e, String name) {
    return (Element) e.getElementsByTagName(name).item(0);
  }

  private static List<Element> all(Document d, String name) {
    NodeList nodes = d.getElementsByTagName(name);
    List<Element> found = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      found.add((Element) nodes.item(i));
    }
    return found;
  }
}
