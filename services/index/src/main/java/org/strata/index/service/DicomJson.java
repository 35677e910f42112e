package org.strata.index.service;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Read access to a DICOM JSON object (PS3.18 Annex F): {@code {"00100010": {"vr": "PN", "Value":
 * [{"Alphabetic": "Doe^Jane"}]}}}. Missing attributes and empty values read as null.
 */
final class DicomJson {
  private final JsonNode root;

  DicomJson(JsonNode root) {
    this.root = root;
  }

  /** The first value as text; numbers (IS, DS, US...) as their decimal form. */
  String string(int tag) {
    JsonNode value = first(tag);
    if (value == null || value.isNull() || value.isObject()) {
      return null;
    }
    String text = value.asText();
    return text.isEmpty() ? null : text;
  }

  /** A PN value with all its component groups, '=' separated as in the DICOM encoding. */
  String personName(int tag) {
    JsonNode value = first(tag);
    if (value == null || !value.isObject()) {
      return null;
    }
    String alphabetic = value.path("Alphabetic").asText("");
    String ideographic = value.path("Ideographic").asText("");
    String phonetic = value.path("Phonetic").asText("");
    String joined = alphabetic;
    if (!phonetic.isEmpty()) {
      joined = alphabetic + "=" + ideographic + "=" + phonetic;
    } else if (!ideographic.isEmpty()) {
      joined = alphabetic + "=" + ideographic;
    }
    return joined.isEmpty() ? null : joined;
  }

  private JsonNode first(int tag) {
    if (root == null) {
      return null;
    }
    JsonNode attribute = root.get(String.format("%08X", tag));
    if (attribute == null) {
      return null;
    }
    JsonNode values = attribute.get("Value");
    if (values == null || !values.isArray() || values.isEmpty()) {
      return null;
    }
    return values.get(0);
  }
}
