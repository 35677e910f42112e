package org.strata.audit.dicom;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;
import org.strata.events.AuditRecord.Participant;

/**
 * Renders an audit record as a DICOM audit message (PS3.15 A.5, the RFC 3881-derived XML of the
 * schema in {@code dicom/audit-message.rnc}); the mapping is in docs/audit.md. DICOM's view of who
 * is source and who is destination is used (the sender of the data is the source), unlike the FHIR
 * rendering, which follows BALP.
 */
public final class AuditMessageXml {
  private static final String DCM = "DCM";
  private static final String C_FIND_STUDY_ROOT = "1.2.840.10008.5.1.4.1.2.2.1";
  private static final Pattern IP_ADDRESS = Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
  private static final Map<String, String> EVENT_NAMES =
      Map.ofEntries(
          Map.entry(AuditEventTypes.APPLICATION_ACTIVITY, "Application Activity"),
          Map.entry(AuditEventTypes.AUDIT_LOG_USED, "Audit Log Used"),
          Map.entry(AuditEventTypes.BEGIN_TRANSFERRING, "Begin Transferring DICOM Instances"),
          Map.entry(AuditEventTypes.INSTANCES_ACCESSED, "DICOM Instances Accessed"),
          Map.entry(AuditEventTypes.INSTANCES_TRANSFERRED, "DICOM Instances Transferred"),
          Map.entry(AuditEventTypes.STUDY_DELETED, "DICOM Study Deleted"),
          Map.entry(AuditEventTypes.EXPORT, "Export"),
          Map.entry(AuditEventTypes.IMPORT, "Import"),
          Map.entry(AuditEventTypes.PATIENT_RECORD, "Patient Record"),
          Map.entry(AuditEventTypes.QUERY, "Query"),
          Map.entry(AuditEventTypes.SECURITY_ALERT, "Security Alert"),
          Map.entry(AuditEventTypes.USER_AUTHENTICATION, "User Authentication"));
  private static final Set<String> DATA_LEAVES =
      Set.of(
          AuditEventTypes.INSTANCES_TRANSFERRED,
          AuditEventTypes.BEGIN_TRANSFERRING,
          AuditEventTypes.EXPORT);
  private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

  private AuditMessageXml() {}

  /** A role of an active participant (PS3.16 CID 402). */
  private enum Role {
    APPLICATION("110150", "Application"),
    LAUNCHER("110151", "Application Launcher"),
    DESTINATION("110152", "Destination Role ID"),
    SOURCE("110153", "Source Role ID");

    final String code;
    final String meaning;

    Role(String code, String meaning) {
      this.code = code;
      this.meaning = meaning;
    }
  }

  /** The message as XML text (UTF-8 when encoded), without an XML declaration. */
  public static String render(AuditRecord r) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = XML.createXMLStreamWriter(out);
      w.writeStartElement("AuditMessage");
      event(w, r);
      participants(w, r);
      source(w, r);
      for (AuditRecord.PatientRef p :
          r.patients() == null ? List.<AuditRecord.PatientRef>of() : r.patients()) {
        patient(w, p);
      }
      studies(w, r);
      if (AuditEventTypes.AUDIT_LOG_USED.equals(r.eventType())) {
        auditLog(w, r);
      }
      if (r.query() != null && AuditEventTypes.QUERY.equals(r.eventType())) {
        query(w, r);
      }
      w.writeEndElement();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("rendering an audit message failed", e);
    }
    return out.toString();
  }

  private static void event(XMLStreamWriter w, AuditRecord r) throws XMLStreamException {
    w.writeStartElement("EventIdentification");
    w.writeAttribute("EventActionCode", r.action().name());
    w.writeAttribute("EventDateTime", r.occurredAt().toString());
    w.writeAttribute("EventOutcomeIndicator", Integer.toString(r.outcome().code()));
    String code = AuditEventTypes.DCM_CODES.get(r.eventType());
    if (code != null) {
      coded(w, "EventID", code, DCM, EVENT_NAMES.get(r.eventType()));
    } else { // an event type of a newer producer: named, not coded by DICOM
      coded(w, "EventID", r.eventType(), "urn:strata:audit:event-type", r.eventType());
    }
    if (r.outcomeDescription() != null) {
      w.writeStartElement("EventOutcomeDescription");
      w.writeCharacters(r.outcomeDescription());
      w.writeEndElement();
    }
    w.writeEndElement();
  }

  private static void participants(XMLStreamWriter w, AuditRecord r) throws XMLStreamException {
    boolean activity = AuditEventTypes.APPLICATION_ACTIVITY.equals(r.eventType());
    boolean dataLeaves = r.action() == AuditRecord.Action.R && DATA_LEAVES.contains(r.eventType());
    Participant requester =
        r.requester() != null
            ? r.requester()
            : new Participant(r.actor(), List.of(), null, r.sourceAddress());
    Role requesterRole;
    if (activity) {
      requesterRole = Role.LAUNCHER;
    } else if (dataLeaves) {
      requesterRole = r.destination() == null ? Role.DESTINATION : null; // C-MOVE: a third party
    } else {
      requesterRole = Role.SOURCE;
    }
    participant(w, requester, true, requesterRole);
    Role serviceRole = activity ? Role.APPLICATION : dataLeaves ? Role.SOURCE : Role.DESTINATION;
    participant(w, new Participant(service(r), List.of(), null, null), false, serviceRole);
    if (r.destination() != null) {
      participant(w, r.destination(), false, Role.DESTINATION);
    }
  }

  private static void participant(XMLStreamWriter w, Participant p, boolean requestor, Role role)
      throws XMLStreamException {
    w.writeStartElement("ActiveParticipant");
    w.writeAttribute("UserID", p.subject());
    if (p.callingAe() != null) {
      w.writeAttribute("AlternativeUserID", p.callingAe());
    }
    w.writeAttribute("UserIsRequestor", Boolean.toString(requestor));
    if (p.address() != null && !p.address().isBlank()) {
      w.writeAttribute("NetworkAccessPointID", p.address());
      w.writeAttribute(
          "NetworkAccessPointTypeCode", IP_ADDRESS.matcher(p.address()).matches() ? "2" : "1");
    }
    if (role != null) {
      coded(w, "RoleIDCode", role.code, DCM, role.meaning);
    }
    w.writeEndElement();
  }

  private static void source(XMLStreamWriter w, AuditRecord r) throws XMLStreamException {
    w.writeStartElement("AuditSourceIdentification");
    w.writeAttribute("AuditEnterpriseSiteID", r.tenant());
    w.writeAttribute("AuditSourceID", service(r));
    w.writeEmptyElement("AuditSourceTypeCode");
    w.writeAttribute("csd-code", "4"); // application server process
    w.writeEndElement();
  }

  /**
   * A patient: the ID in HL7 CX form (ID^^^issuer) as PS3.15 asks. The schema wants a name or a
   * query; records carry no patient names (Strata keeps names out of audit records), so the name
   * repeats the ID.
   */
  private static void patient(XMLStreamWriter w, AuditRecord.PatientRef p)
      throws XMLStreamException {
    String cx = p.issuer() == null || p.issuer().isBlank() ? p.id() : p.id() + "^^^" + p.issuer();
    objectStart(w, cx, "1", "1");
    coded(w, "ParticipantObjectIDTypeCode", "2", "RFC-3881", "Patient Number");
    text(w, "ParticipantObjectName", cx);
    w.writeEndElement();
  }

  private static void studies(XMLStreamWriter w, AuditRecord r) throws XMLStreamException {
    Set<String> described = new LinkedHashSet<>();
    for (AuditRecord.StudyRef s :
        r.studies() == null ? List.<AuditRecord.StudyRef>of() : r.studies()) {
      described.add(s.studyInstanceUid());
      study(w, s.studyInstanceUid(), s.accessionNumber(), s.sopClasses());
    }
    for (String uid : r.studyInstanceUids()) {
      if (described.add(uid)) {
        study(w, uid, null, List.of());
      }
    }
  }

  private static void study(
      XMLStreamWriter w, String uid, String accession, List<AuditRecord.SopClassCount> sopClasses)
      throws XMLStreamException {
    objectStart(w, uid, "2", "3");
    coded(w, "ParticipantObjectIDTypeCode", "110180", DCM, "Study Instance UID");
    text(w, "ParticipantObjectName", accession != null && !accession.isBlank() ? accession : uid);
    List<AuditRecord.SopClassCount> counts = new ArrayList<>(sopClasses);
    if (accession != null && !accession.isBlank() || !counts.isEmpty()) {
      w.writeStartElement("ParticipantObjectDescription");
      if (accession != null && !accession.isBlank()) {
        w.writeEmptyElement("Accession");
        w.writeAttribute("Number", accession);
      }
      for (AuditRecord.SopClassCount c : counts) {
        w.writeEmptyElement("SOPClass");
        w.writeAttribute("UID", c.sopClassUid());
        w.writeAttribute("NumberOfInstances", Integer.toString(c.count()));
      }
      w.writeEndElement();
    }
    w.writeEndElement();
  }

  /**
   * The audit trail read (PS3.15 A.5.3.2): a system object in the role of a security resource,
   * identified by the URI of the endpoint that read it (the record's detail).
   */
  private static void auditLog(XMLStreamWriter w, AuditRecord r) throws XMLStreamException {
    objectStart(w, r.detail() == null ? "audit" : r.detail(), "2", "13");
    coded(w, "ParticipantObjectIDTypeCode", "12", "RFC-3881", "URI");
    text(w, "ParticipantObjectName", "Security Audit Log");
    w.writeEndElement();
  }

  /**
   * The query keys as received, base64, identified by the interface: only in Query messages (PS3.15
   * A.5.3.11 is the message that has a query object).
   */
  private static void query(XMLStreamWriter w, AuditRecord r) throws XMLStreamException {
    boolean cFind = AuditRecord.Channels.C_FIND.equals(r.channel());
    String channel = r.channel() == null ? "unknown" : r.channel();
    objectStart(w, cFind ? C_FIND_STUDY_ROOT : channel, "2", "24");
    if (cFind) {
      coded(w, "ParticipantObjectIDTypeCode", "110181", DCM, "SOP Class UID");
    } else {
      coded(w, "ParticipantObjectIDTypeCode", channel, "urn:strata:audit:channel", channel);
    }
    text(
        w,
        "ParticipantObjectQuery",
        Base64.getEncoder().encodeToString(r.query().getBytes(StandardCharsets.UTF_8)));
    w.writeEndElement();
  }

  private static void objectStart(XMLStreamWriter w, String id, String type, String role)
      throws XMLStreamException {
    w.writeStartElement("ParticipantObjectIdentification");
    w.writeAttribute("ParticipantObjectID", id);
    w.writeAttribute("ParticipantObjectTypeCode", type);
    w.writeAttribute("ParticipantObjectTypeCodeRole", role);
  }

  private static void coded(
      XMLStreamWriter w, String element, String code, String system, String meaning)
      throws XMLStreamException {
    w.writeEmptyElement(element);
    w.writeAttribute("csd-code", code);
    w.writeAttribute("codeSystemName", system);
    w.writeAttribute("originalText", meaning);
  }

  private static void text(XMLStreamWriter w, String element, String value)
      throws XMLStreamException {
    w.writeStartElement(element);
    w.writeCharacters(value);
    w.writeEndElement();
  }

  private static String service(AuditRecord r) {
    return r.service() == null || r.service().isBlank() ? "strata" : r.service();
  }
}
