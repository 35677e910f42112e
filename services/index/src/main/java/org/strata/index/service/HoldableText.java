package org.strata.index.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The index's copy of an instance's text values in a form PostgreSQL can hold (ADR 0023).
 * PostgreSQL refuses U+0000 in {@code text} (SQLSTATE 22021) and {@code \u0000} in {@code jsonb}
 * (22P05). A NUL is removed, as dicom-core already removes it when it reads a multi-valued string
 * value (so ingest's events and sidecars hold none): an event of any producer, or a rebuild,
 * reaches the same row as live ingestion. An unpaired surrogate becomes U+FFFD, the replacement
 * character the DICOM decoder puts for bytes invalid in the declared character set. The stored
 * object keeps the original.
 *
 * <p>One instance per event: remembers whether it had to change anything.
 */
final class HoldableText {
  static final char REPLACEMENT = '\uFFFD';

  private boolean replacedAny;

  /** {@code value} as PostgreSQL can hold it; null stays null. */
  String text(String value) {
    if (value == null || holdable(value)) {
      return value;
    }
    replacedAny = true;
    return replaced(value);
  }

  /**
   * The DICOM JSON attributes as PostgreSQL's {@code jsonb} can hold them; the node itself (the
   * event's) is left as it came.
   */
  String json(JsonNode attributes) {
    if (attributes == null) {
      return null;
    }
    String json = attributes.toString();
    // Jackson writes U+0000 and unpaired surrogates as escapes; without one there is nothing to do.
    if (!json.contains("\\u0000") && holdable(json)) {
      return json;
    }
    JsonNode copy = attributes.deepCopy();
    return replaceIn(copy).toString();
  }

  /** Whether a value of this event was changed. */
  boolean replacedAny() {
    return replacedAny;
  }

  private JsonNode replaceIn(JsonNode node) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        field.setValue(replaceIn(field.getValue()));
      }
    } else if (node instanceof ArrayNode array) {
      for (int n = 0; n < array.size(); n++) {
        array.set(n, replaceIn(array.get(n)));
      }
    } else if (node instanceof TextNode textNode) {
      String value = textNode.textValue();
      String holdable = text(value);
      return holdable == value ? node : TextNode.valueOf(holdable);
    }
    return node;
  }

  private static boolean holdable(String s) {
    for (int n = 0; n < s.length(); n++) {
      char c = s.charAt(n);
      if (c == '\0') {
        return false;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && n + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(n + 1))) {
          n++;
        } else {
          return false;
        }
      }
    }
    return true;
  }

  private static String replaced(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int n = 0; n < s.length(); n++) {
      char c = s.charAt(n);
      if (c == '\0') {
        continue;
      } else if (Character.isHighSurrogate(c)
          && n + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(n + 1))) {
        out.append(c).append(s.charAt(++n));
      } else {
        out.append(Character.isSurrogate(c) ? REPLACEMENT : c);
      }
    }
    return out.toString();
  }
}
