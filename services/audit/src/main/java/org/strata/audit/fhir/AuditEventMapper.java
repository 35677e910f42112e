package org.strata.audit.fhir;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.strata.events.AuditEventTypes;
import org.strata.events.AuditRecord;

/**
 * An audit record as a FHIR R4 AuditEvent shaped by IHE BALP (docs/audit.md has the mapping): the
 * DICOM event ID as type, the interface as subtype (with the FHIR restful interaction where the
 * interface is HTTP), the requester as Source Role ID, the Strata service as Destination Role ID
 * and observer, the patients (Person/Patient) and studies (System Object/Report) as entities, the
 * query keys as a Query entity.
 */
public final class AuditEventMapper {
  public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  public static final String CHANNEL_SYSTEM = "urn:strata:audit:channel";
  public static final String TENANT_SYSTEM = "urn:strata:tenant";
  private static final String ENTITY_TYPE =
      "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
  private static final String RESTFUL = "http://hl7.org/fhir/restful-interaction";
  private static final String SOURCE_TYPE =
      "http://terminology.hl7.org/CodeSystem/security-source-type";
  private static final String USER_TYPE =
      "http://terminology.hl7.org/CodeSystem/extra-security-role-type";
  private static final Map<String, String> INTERACTIONS =
      Map.of(
          AuditRecord.Channels.STOW_RS, "create",
          AuditRecord.Channels.QIDO_RS, "search-type",
          AuditRecord.Channels.FHIR, "search-type",
          AuditRecord.Channels.WADO_RS, "read",
          AuditRecord.Channels.WADO_URI, "read");

  private AuditEventMapper() {}

  public static AuditEvent map(AuditRecord r) {
    AuditEvent e = new AuditEvent();
    e.setId(r.eventId());
    e.getMeta()
        .addProfile("https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit")
        .addTag(TENANT_SYSTEM, r.tenant(), null);
    e.setType(
        new Coding(
            DCM,
            AuditEventTypes.DCM_CODES.getOrDefault(r.eventType(), r.eventType()),
            r.eventType()));
    if (r.channel() != null) {
      e.addSubtype(new Coding(CHANNEL_SYSTEM, r.channel(), r.channel()));
      String interaction =
          r.action() == AuditRecord.Action.D ? "delete" : INTERACTIONS.get(r.channel());
      if (interaction != null) {
        e.addSubtype(new Coding(RESTFUL, interaction, interaction));
      }
    }
    e.setAction(AuditEventAction.fromCode(r.action().name()));
    e.setRecorded(Date.from(r.occurredAt()));
    e.setOutcome(AuditEventOutcome.fromCode(Integer.toString(r.outcome().code())));
    if (r.outcomeDescription() != null) {
      e.setOutcomeDesc(r.outcomeDescription());
    }
    requester(e, r);
    AuditEventAgentComponent strata =
        e.addAgent()
            .setType(concept(DCM, "110152", "Destination Role ID"))
            .setWho(identifier(null, service(r)))
            .setRequestor(false);
    strata.setName(service(r));
    if (r.destination() != null) {
      participant(e.addAgent(), r.destination(), "110152", "Destination Role ID", false);
    }
    e.getSource()
        .setSite(r.tenant())
        .setObserver(identifier(null, service(r)))
        .addType(new Coding(SOURCE_TYPE, "4", "Application Server"));
    if (r.patients() != null) {
      for (AuditRecord.PatientRef p : r.patients()) {
        e.addEntity()
            .setWhat(identifier(p.issuer(), p.id()))
            .setType(new Coding(ENTITY_TYPE, "1", "Person"))
            .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
      }
    }
    for (String study : studies(r)) {
      var entity =
          e.addEntity()
              .setWhat(identifier("urn:dicom:uid", "urn:oid:" + study))
              .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
              .setRole(new Coding(OBJECT_ROLE, "3", "Report"));
      sopClasses(r, study, entity);
    }
    if (r.query() != null) {
      e.addEntity()
          .setType(new Coding(ENTITY_TYPE, "2", "System Object"))
          .setRole(new Coding(OBJECT_ROLE, "24", "Query"))
          .setQuery(r.query().getBytes(StandardCharsets.UTF_8));
    }
    return e;
  }

  private static void requester(AuditEvent e, AuditRecord r) {
    AuditEventAgentComponent agent = e.addAgent();
    if (r.requester() != null) {
      participant(agent, r.requester(), "110153", "Source Role ID", true);
      if (!r.requester().roles().isEmpty()) {
        agent.getType().addCoding(new Coding(USER_TYPE, "humanuser", "human user"));
        r.requester().roles().forEach(role -> agent.addRole(new CodeableConcept().setText(role)));
      }
    } else {
      agent
          .setType(concept(DCM, "110153", "Source Role ID"))
          .setWho(identifier(null, r.actor()))
          .setRequestor(true);
      if (r.sourceAddress() != null) {
        agent.getNetwork().setAddress(r.sourceAddress()).setType(AuditEventAgentNetworkType._2);
      }
    }
  }

  private static void participant(
      AuditEventAgentComponent agent,
      AuditRecord.Participant p,
      String code,
      String display,
      boolean requestor) {
    agent
        .setType(concept(DCM, code, display))
        .setWho(identifier(null, p.subject()))
        .setRequestor(requestor);
    agent.setName(p.subject());
    if (p.callingAe() != null) {
      agent.setAltId(p.callingAe());
    }
    if (p.address() != null) {
      agent.getNetwork().setAddress(p.address()).setType(AuditEventAgentNetworkType._2);
    }
  }

  private static void sopClasses(
      AuditRecord r, String study, AuditEvent.AuditEventEntityComponent entity) {
    if (r.studies() == null) {
      return;
    }
    r.studies().stream()
        .filter(s -> s.studyInstanceUid().equals(study))
        .flatMap(s -> s.sopClasses().stream())
        .forEach(
            c ->
                entity
                    .addDetail()
                    .setType("SOPClass " + c.sopClassUid())
                    .setValue(new org.hl7.fhir.r4.model.StringType(Integer.toString(c.count()))));
  }

  private static java.util.Set<String> studies(AuditRecord r) {
    java.util.Set<String> all = new java.util.LinkedHashSet<>(r.studyInstanceUids());
    if (r.studies() != null) {
      r.studies().forEach(s -> all.add(s.studyInstanceUid()));
    }
    return all;
  }

  private static String service(AuditRecord r) {
    return r.service() == null ? "strata" : r.service();
  }

  private static CodeableConcept concept(String system, String code, String display) {
    return new CodeableConcept(new Coding(system, code, display));
  }

  private static Reference identifier(String system, String value) {
    Identifier id = new Identifier().setValue(value);
    if (system != null && !system.isEmpty()) {
      id.setSystem(system);
    }
    return new Reference().setIdentifier(id).setDisplay(value);
  }
}
