package org.strata.index.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.strata.events.InstanceStored;
import org.strata.events.ObjectLocation;

/**
 * Turns a metadata sidecar back into the InstanceStored event that indexed it (ADR 0007): the DICOM
 * JSON gives the attributes, the sidecar's S3 user metadata (written by ingest's DerivativesWriter)
 * the rest: event id, tenant, received time, object key, size, SHA-256, version, transfer syntax,
 * frame-index key and source.
 */
public final class SidecarEvents {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /**
   * The attributes ingest puts in InstanceStored (its IndexAttributes: PS3.18 matching keys and
   * default return attributes), which the index keeps; the sidecar holds the whole data set. Keep
   * in step with services/ingest IndexAttributes.
   */
  private static final String[] EVENT_TAGS = {
    "00080020", "00080030", "00080050", "00080060", "00080090", "00081030", "0008103E",
    "00100010", "00100020", "00100021", "00100030", "00100040", "00180015", "0020000D",
    "0020000E", "00200010", "00200011", "00200013", "00280008", "00280010", "00280011",
    "00400244", "00400245", "00080016", "00080018",
  };

  private SidecarEvents() {}

  /** Thrown when a sidecar lacks what the index needs; the rebuild counts it as failed. */
  public static final class NotIndexable extends Exception {
    public NotIndexable(String reason) {
      super(reason);
    }
  }

  /**
   * @param bucket the bucket of the sidecar (and of its object)
   * @param sidecarKey the sidecar's key
   * @param userMetadata the sidecar's S3 user metadata, in any case
   * @param sidecar the sidecar's DICOM JSON
   */
  public static InstanceStored toEvent(
      String bucket, String sidecarKey, Map<String, String> userMetadata, JsonNode sidecar)
      throws NotIndexable {
    Map<String, String> meta = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    meta.putAll(userMetadata);
    String eventId = meta.get("strata-event-id");
    String objectKey = meta.get("strata-object-key");
    if (eventId == null || objectKey == null || meta.get("strata-tenant") == null) {
      throw new NotIndexable("sidecar without Strata metadata (written before it was added?)");
    }
    try {
      InstanceStored.Channel channel =
          meta.get("strata-channel") == null
              ? InstanceStored.Channel.STOWRS
              : InstanceStored.Channel.valueOf(meta.get("strata-channel"));
      return new InstanceStored(
          eventId,
          Instant.parse(meta.get("strata-received-at")),
          meta.get("strata-tenant"),
          string(sidecar, "0020000D"),
          string(sidecar, "0020000E"),
          string(sidecar, "00080018"),
          string(sidecar, "00080016"),
          meta.get("strata-transfer-syntax"),
          string(sidecar, "00100020"),
          string(sidecar, "00100021"),
          string(sidecar, "00080050"),
          string(sidecar, "00080060"),
          string(sidecar, "00080020"),
          new ObjectLocation(
              bucket,
              objectKey,
              Long.parseLong(meta.get("strata-object-size")),
              meta.get("strata-sha256"),
              sidecarKey,
              meta.get("strata-frame-index-key")),
          new InstanceStored.Source(channel, meta.get("strata-calling-ae"), null, null, null),
          Integer.parseInt(meta.getOrDefault("strata-version", "1")),
          eventAttributes(sidecar),
          accessLabels(meta.get("strata-access-labels")));
    } catch (RuntimeException e) {
      // Missing UIDs, a malformed number or instant: the event's own validation says which.
      throw new NotIndexable(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The access labels ingest gave the instance (ADR 0025), comma-separated; null if none. */
  private static java.util.List<String> accessLabels(String value) {
    return value == null || value.isBlank() ? null : java.util.List.of(value.split(","));
  }

  /**
   * The event's attributes from the sidecar, as ingest writes them: the first value of each, text
   * trimmed, person names by component group, integers as numbers, empty ones with their VR only.
   */
  public static ObjectNode eventAttributes(JsonNode sidecar) {
    ObjectNode root = JSON.objectNode();
    for (String tag : EVENT_TAGS) {
      JsonNode attribute = sidecar.get(tag);
      if (attribute == null || !attribute.has("vr")) {
        continue;
      }
      String vr = attribute.get("vr").asText();
      ObjectNode out = root.putObject(tag).put("vr", vr);
      JsonNode first = attribute.path("Value").path(0);
      JsonNode value = null;
      if (first.isObject()) {
        ObjectNode pn = JSON.objectNode();
        for (String group : new String[] {"Alphabetic", "Ideographic", "Phonetic"}) {
          String text = first.path(group).asText("");
          if (!text.isEmpty()) {
            pn.put(group, text);
          }
        }
        value = pn.isEmpty() ? null : pn;
      } else if (first.isNumber()) {
        value = JSON.numberNode(first.asInt());
      } else if (first.isTextual() && !first.asText().isBlank()) {
        value =
            switch (vr) {
              case "IS", "US", "UL", "SS", "SL" ->
                  JSON.numberNode(Integer.parseInt(first.asText().trim()));
              default -> JSON.textNode(first.asText().trim());
            };
      }
      if (value != null) {
        out.set("Value", JSON.arrayNode().add(value));
      }
    }
    return root;
  }

  private static String string(JsonNode sidecar, String tag) {
    JsonNode first = sidecar.path(tag).path("Value").path(0);
    return first.isMissingNode() || first.isNull() ? null : first.asText().trim();
  }
}
