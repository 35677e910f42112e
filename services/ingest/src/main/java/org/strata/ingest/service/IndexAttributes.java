package org.strata.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.strata.dicom.Attributes;
import org.strata.dicom.PersonName;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;

/**
 * The attributes the index matches and returns (PS3.18 10.6.1.2 matching keys and the default
 * return attributes of each level), in the DICOM JSON model, decoded with the instance's Specific
 * Character Set. They travel in InstanceStored so the index never reads the object.
 */
final class IndexAttributes {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static final int[] TAGS = {
    Tag.StudyDate,
    Tag.StudyTime,
    Tag.AccessionNumber,
    Tag.Modality,
    Tag.ReferringPhysicianName,
    Tag.StudyDescription,
    Tag.SeriesDescription,
    Tag.PatientName,
    Tag.PatientID,
    Tag.IssuerOfPatientID,
    Tag.PatientBirthDate,
    Tag.PatientSex,
    Tag.BodyPartExamined,
    Tag.StudyInstanceUID,
    Tag.SeriesInstanceUID,
    Tag.StudyID,
    Tag.SeriesNumber,
    Tag.InstanceNumber,
    Tag.NumberOfFrames,
    Tag.Rows,
    Tag.Columns,
    Tag.PerformedProcedureStepStartDate,
    Tag.PerformedProcedureStepStartTime,
    Tag.SOPClassUID,
    Tag.SOPInstanceUID,
  };

  private IndexAttributes() {}

  static ObjectNode of(Attributes ds) {
    ObjectNode root = JSON.objectNode();
    for (int tag : TAGS) {
      VR vr = ds.vr(tag);
      if (vr == null) {
        continue;
      }
      JsonNode value = value(ds, tag, vr);
      ObjectNode attribute = root.putObject(String.format("%08X", tag)).put("vr", vr.name());
      if (value != null) {
        attribute.set("Value", JSON.arrayNode().add(value));
      }
    }
    return root;
  }

  private static JsonNode value(Attributes ds, int tag, VR vr) {
    switch (vr) {
      case PN -> {
        PersonName pn = ds.getPersonName(tag);
        if (pn == null) {
          return null;
        }
        ObjectNode o = JSON.objectNode();
        putIfPresent(o, "Alphabetic", pn.alphabeticText());
        putIfPresent(o, "Ideographic", pn.ideographicText());
        putIfPresent(o, "Phonetic", pn.phoneticText());
        return o.isEmpty() ? null : o;
      }
      case IS, US, UL, SS, SL -> {
        int[] ints = ds.getInts(tag);
        return ints == null || ints.length == 0 ? null : JSON.numberNode(ints[0]);
      }
      default -> {
        String s = ds.getString(tag);
        return s == null || s.isBlank() ? null : JSON.textNode(s.trim());
      }
    }
  }

  private static void putIfPresent(ObjectNode o, String field, String value) {
    if (value != null && !value.isEmpty()) {
      o.put(field, value);
    }
  }

  static ArrayNode empty() {
    return JSON.arrayNode();
  }
}
