package org.strata.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.strata.events.InstanceStored;
import org.strata.events.ObjectLocation;

/** Builds InstanceStored events as ingest would publish them (Object Mother). */
final class InstanceStoredMother {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000_000L);

  static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  static final String MR = "1.2.840.10008.5.1.4.1.1.4";

  String tenant = "hosp-a";
  String patientId = "PID-" + SEQ.incrementAndGet();
  String issuer = "HOSP-A";
  String patientName = "Doe^Jane";
  String ideographicName;
  String birthDate = "19700101";
  String sex = "F";
  String studyUid = uid();
  String seriesUid = uid();
  String sopUid = uid();
  String sopClassUid = CT;
  String modality = "CT";
  String studyDate = "20250102";
  String accession = "ACC" + SEQ.incrementAndGet();
  String description = "CT HEAD";
  Integer seriesNumber = 1;
  Integer instanceNumber = 1;
  Instant occurredAt = Instant.parse("2025-01-02T10:00:00Z");
  int version = 1;
  String eventId = UUID.randomUUID().toString();
  String objectKey;
  byte[] metadata;

  static String uid() {
    return "2.25."
        + SEQ.incrementAndGet()
        + "."
        + Math.abs(UUID.randomUUID().getLeastSignificantBits());
  }

  InstanceStoredMother nextInstance() {
    InstanceStoredMother next = copy();
    next.sopUid = uid();
    next.eventId = UUID.randomUUID().toString();
    next.instanceNumber = instanceNumber == null ? null : instanceNumber + 1;
    return next;
  }

  InstanceStoredMother nextSeries(String modality, String sopClassUid) {
    InstanceStoredMother next = nextInstance();
    next.seriesUid = uid();
    next.modality = modality;
    next.sopClassUid = sopClassUid;
    next.seriesNumber = seriesNumber == null ? 1 : seriesNumber + 1;
    return next;
  }

  InstanceStoredMother copy() {
    InstanceStoredMother c = new InstanceStoredMother();
    c.tenant = tenant;
    c.patientId = patientId;
    c.issuer = issuer;
    c.patientName = patientName;
    c.ideographicName = ideographicName;
    c.birthDate = birthDate;
    c.sex = sex;
    c.studyUid = studyUid;
    c.seriesUid = seriesUid;
    c.sopUid = sopUid;
    c.sopClassUid = sopClassUid;
    c.modality = modality;
    c.studyDate = studyDate;
    c.accession = accession;
    c.description = description;
    c.seriesNumber = seriesNumber;
    c.instanceNumber = instanceNumber;
    c.occurredAt = occurredAt;
    c.version = version;
    c.eventId = eventId;
    c.metadata = metadata;
    return c;
  }

  InstanceStored build() {
    return new InstanceStored(
            eventId,
            occurredAt,
            tenant,
            studyUid,
            seriesUid,
            sopUid,
            sopClassUid,
            "1.2.840.10008.1.2.1",
            patientId,
            issuer,
            accession,
            modality,
            studyDate,
            new ObjectLocation(
                "strata-objects",
                objectKey != null
                    ? objectKey
                    : tenant + "/" + studyUid + "/" + seriesUid + "/" + sopUid + ".dcm",
                524_288,
                "a".repeat(64),
                null,
                null),
            new InstanceStored.Source(
                InstanceStored.Channel.DIMSE, "MODALITY", "STRATA", "127.0.0.1", null),
            version,
            attributes())
        .withCompressedMetadata(metadata);
  }

  private JsonNode attributes() {
    ObjectNode root = JSON.createObjectNode();
    if (patientName != null) {
      ObjectNode pn = JSON.createObjectNode().put("Alphabetic", patientName);
      if (ideographicName != null) {
        pn.put("Ideographic", ideographicName);
      }
      put(root, "00100010", "PN", pn);
    }
    putString(root, "00100030", "DA", birthDate);
    putString(root, "00100040", "CS", sex);
    putString(root, "00081030", "LO", description);
    putString(root, "00080030", "TM", "101500");
    if (seriesNumber != null) {
      put(root, "00200011", "IS", JSON.getNodeFactory().numberNode(seriesNumber));
    }
    if (instanceNumber != null) {
      put(root, "00200013", "IS", JSON.getNodeFactory().numberNode(instanceNumber));
    }
    return root;
  }

  private static void putString(ObjectNode root, String tag, String vr, String value) {
    if (value != null) {
      put(root, tag, vr, JSON.getNodeFactory().textNode(value));
    }
  }

  private static void put(ObjectNode root, String tag, String vr, JsonNode value) {
    ArrayNode values = JSON.createArrayNode().add(value);
    root.set(tag, JSON.createObjectNode().put("vr", vr).set("Value", values));
  }
}
