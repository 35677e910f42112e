package org.strata.query.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import org.strata.dicom.dict.ElementDictionary;

/**
 * A DICOM JSON object (PS3.18 Annex F) as a PS3.19 Native DICOM Model document (PS3.19 A.1), for
 * QIDO-RS answers in {@code multipart/related; type="application/dicom+xml"}: one {@code
 * DicomAttribute} per attribute with tag, VR and keyword; {@code Value}, {@code PersonName} (its
 * Alphabetic, Ideographic and Phonetic groups split into their five components), {@code Item},
 * {@code InlineBinary} and {@code BulkData} children numbered from 1. The mapping of PS3.18 F.3
 * read backwards: an attribute without value is an empty {@code DicomAttribute}; a null value in
 * the JSON array keeps its number with an empty {@code Value}. Characters XML 1.0 cannot carry (C0
 * controls other than tab, LF, CR) are left out.
 */
final class NativeDicomXml {
  static final String NAMESPACE = "http://dicom.nema.org/PS3.19/models/NativeDICOM";
  private static final String[] NAME_COMPONENTS = {
    "FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"
  };
  private static final String[] NAME_GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};

  private NativeDicomXml() {}

  /** The whole document, with its XML declaration. */
  static String document(JsonNode dataset) {
    StringBuilder xml = new StringBuilder(1024);
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<NativeDicomModel xmlns=\"")
        .append(NAMESPACE)
        .append("\">");
    attributes(dataset, xml);
    return xml.append("</NativeDicomModel>\n").toString();
  }

  private static void attributes(JsonNode dataset, StringBuilder xml) {
    for (Iterator<Map.Entry<String, JsonNode>> it = dataset.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String tag = e.getKey().toUpperCase(java.util.Locale.ROOT);
      JsonNode attribute = e.getValue();
      String vr = attribute.path("vr").asText("UN");
      xml.append("<DicomAttribute tag=\"").append(tag).append("\" vr=\"").append(vr).append('"');
      String keyword = keyword(tag);
      if (keyword != null) {
        xml.append(" keyword=\"").append(keyword).append('"');
      }
      xml.append('>');
      JsonNode values = attribute.path("Value");
      if (attribute.has("InlineBinary")) {
        xml.append("<InlineBinary>");
        text(attribute.path("InlineBinary").asText(), xml);
        xml.append("</InlineBinary>");
      } else if (attribute.has("BulkDataURI")) {
        xml.append("<BulkData uri=\"");
        text(attribute.path("BulkDataURI").asText(), xml);
        xml.append("\"/>");
      } else if (values.isArray()) {
        int number = 1;
        for (JsonNode v : values) {
          if (vr.equals("SQ")) {
            xml.append("<Item number=\"").append(number).append("\">");
            if (v.isObject()) {
              attributes(v, xml);
            }
            xml.append("</Item>");
          } else if (vr.equals("PN")) {
            personName(v, number, xml);
          } else {
            xml.append("<Value number=\"").append(number).append("\">");
            if (!v.isNull()) {
              text(v.asText(), xml);
            }
            xml.append("</Value>");
          }
          number++;
        }
      }
      xml.append("</DicomAttribute>");
    }
  }

  /** A PN value: JSON {@code {"Alphabetic": "Doe^Jane", ...}}, components split at {@code ^}. */
  private static void personName(JsonNode v, int number, StringBuilder xml) {
    xml.append("<PersonName number=\"").append(number).append("\">");
    for (String group : NAME_GROUPS) {
      JsonNode g = v.path(group);
      if (!g.isTextual() || g.asText().isEmpty()) {
        continue;
      }
      xml.append('<').append(group).append('>');
      String[] components = g.asText().split("\\^", -1);
      for (int c = 0; c < components.length && c < NAME_COMPONENTS.length; c++) {
        if (components[c].isEmpty()) {
          continue;
        }
        xml.append('<').append(NAME_COMPONENTS[c]).append('>');
        text(components[c], xml);
        xml.append("</").append(NAME_COMPONENTS[c]).append('>');
      }
      xml.append("</").append(group).append('>');
    }
    xml.append("</PersonName>");
  }

  private static String keyword(String tag) {
    try {
      return ElementDictionary.standard().keywordOf(Integer.parseUnsignedInt(tag, 16));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Text content or attribute value, escaped; characters XML 1.0 cannot carry left out. */
  private static void text(String s, StringBuilder xml) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> xml.append("&lt;");
        case '>' -> xml.append("&gt;");
        case '&' -> xml.append("&amp;");
        case '"' -> xml.append("&quot;");
        case '\'' -> xml.append("&apos;");
        default -> {
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
            if (c != 0xFFFE && c != 0xFFFF) {
              xml.append(c);
            }
          }
        }
      }
    }
  }
}
