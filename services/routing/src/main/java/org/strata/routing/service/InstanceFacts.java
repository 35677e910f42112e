package org.strata.routing.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.strata.dicom.dict.ElementDictionary;
import org.strata.events.InstanceStored;

/**
 * What a rule's CEL expression sees of an instance: {@code tenant}, {@code callingAe} (empty for
 * STOW-RS), {@code channel} ({@code "DIMSE"} or {@code "STOWRS"}), {@code modality}, {@code
 * sopClassUid}, and {@code dicom}: the indexed attributes by keyword (e.g. {@code
 * dicom.StudyDescription}), each value as text (multiple values joined by a backslash, a person
 * name as its alphabetic form).
 */
public final class InstanceFacts {
  private static final ElementDictionary DICTIONARY = ElementDictionary.standard();

  private InstanceFacts() {}

  /** The variables of CEL evaluation for {@code event}. */
  public static Map<String, Object> of(InstanceStored event) {
    String calling = event.source().callingAeTitle();
    return of(
        event.tenant(),
        calling == null ? "" : calling.strip(),
        event.source().channel().name(),
        event.modality(),
        event.sopClassUid(),
        event.attributes());
  }

  /**
   * The variables for an instance read from the index, which keeps neither the calling AE nor the
   * channel: both are empty.
   */
  public static Map<String, Object> indexed(
      String tenant, String modality, String sopClassUid, JsonNode attributes) {
    return of(tenant, "", "", modality, sopClassUid, attributes);
  }

  private static Map<String, Object> of(
      String tenant,
      String callingAe,
      String channel,
      String modality,
      String sopClassUid,
      JsonNode attributes) {
    Map<String, Object> vars = new HashMap<>();
    vars.put("tenant", tenant);
    vars.put("callingAe", callingAe);
    vars.put("channel", channel);
    vars.put("modality", modality == null ? "" : modality);
    vars.put("sopClassUid", sopClassUid);
    vars.put("dicom", attributes(attributes));
    return vars;
  }

  static Map<String, String> attributes(JsonNode json) {
    Map<String, String> out = new HashMap<>();
    if (json == null || !json.isObject()) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String keyword;
      try {
        keyword = DICTIONARY.keywordOf(Integer.parseUnsignedInt(field.getKey(), 16));
      } catch (NumberFormatException e) {
        continue;
      }
      JsonNode values = field.getValue().get("Value");
      if (keyword == null || keyword.isEmpty() || values == null || !values.isArray()) {
        continue;
      }
      StringBuilder text = new StringBuilder();
      for (JsonNode v : values) {
        if (v.isContainerNode() && !v.has("Alphabetic")) {
          text = null; // a sequence: not a text fact
          break;
        }
        if (!text.isEmpty()) {
          text.append('\\');
        }
        text.append(v.has("Alphabetic") ? v.get("Alphabetic").asText() : v.asText());
      }
      if (text != null) {
        out.put(keyword, text.toString());
      }
    }
    return out;
  }
}
