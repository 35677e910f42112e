package org.strata.query.qido;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.mutiny.sqlclient.Row;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;
import org.strata.dicom.dict.ElementDictionary;
import org.strata.dicom.json.DicomJsonReader;
import org.strata.events.AuditRecord.PatientRef;
import org.strata.indexschema.InstanceTable;
import org.strata.indexschema.PatientTable;
import org.strata.indexschema.SeriesTable;
import org.strata.indexschema.StudyTable;

/**
 * Rows of a {@link QidoQuery} as DICOM JSON (PS3.18 Annex F): column values, computed attributes
 * (Specific Character Set, Instance Availability, RetrieveURL) and, for attributes the index has no
 * column for, values from the instance's {@code attributes} (the DICOM JSON InstanceStored
 * carried).
 */
final class ResultRows {
  private static final Logger LOG = Logger.getLogger(ResultRows.class);
  private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

  private ResultRows() {}

  /** The rows' data sets. */
  static List<Attributes> datasets(
      List<Row> rows, QidoRequest request, ReturnAttributes returns, String retrieveBase) {
    List<Attributes> datasets = new ArrayList<>(rows.size());
    for (Row row : rows) {
      datasets.add(dataset(row, request.level(), returns, retrieveBase));
    }
    return datasets;
  }

  /**
   * The rows' patients, each once: Patient ID and issuer as the index holds them (the issuer is the
   * tenant's default when none was received), without the index's key for a missing Patient ID.
   */
  static List<PatientRef> patients(List<Row> rows) {
    Set<PatientRef> patients = new LinkedHashSet<>();
    for (Row row : rows) {
      String id = row.getString(PatientTable.PATIENT_ID);
      if (id != null && !id.isEmpty() && !id.startsWith("~")) {
        patients.add(new PatientRef(id, row.getString(PatientTable.ISSUER)));
      }
    }
    return List.copyOf(patients);
  }

  static Attributes dataset(Row row, Level level, ReturnAttributes returns, String retrieveBase) {
    Attributes instance = instanceAttributes(row, level, returns);
    Attributes out = new Attributes();
    for (int tag : returns.tags()) {
      if (ReturnAttributes.computed(tag)) {
        computed(out, tag, row, level, retrieveBase);
        continue;
      }
      QidoAttribute a = QidoAttribute.of(tag);
      if (a != null) {
        if (level.atOrBelow(a.level())) {
          column(out, a, row);
        }
      } else if (instance != null && instance.contains(tag)) {
        out.set(tag, instance.vr(tag), instance.value(tag));
      } else {
        // Asked for and unknown here: returned empty, as a C-FIND return key would be.
        out.set(tag, ElementDictionary.standard().vrOf(tag), null);
      }
    }
    if (returns.otherPatientIds() && !out.contains(Tag.OtherPatientIDsSequence)) {
      otherPatientIds(out, row, false);
    }
    if (returns.all() && level == Level.INSTANCE && instance != null) {
      for (int tag : instance.tags()) {
        if (!out.contains(tag)
            && QidoAttribute.of(tag) == null
            && !ReturnAttributes.computed(tag)) {
          out.set(tag, instance.vr(tag), instance.value(tag));
        }
      }
    }
    return out;
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static final com.fasterxml.jackson.databind.ObjectReader STRING_READER =
      new com.fasterxml.jackson.databind.ObjectMapper().readerFor(String.class);

  private static Attributes instanceAttributes(Row row, Level level, ReturnAttributes returns) {
    if (level != Level.INSTANCE && !returns.needsInstanceAttributes()) {
      return null;
    }
    String json = row.getString("attributes");
    if (json == null) {
      return null;
    }
    try {
      if (json.startsWith("\"")) {
        // Rows indexed before the index bound its parameter as text hold the DICOM JSON object
        // as a JSON string: unwrap it.
        json = STRING_READER.readValue(json);
      }
      return DicomJsonReader.parse(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      LOG.debugf("unreadable attributes of an indexed instance: %s", e.getOriginalMessage());
      return null;
    } catch (DicomParseException e) {
      // The index stored what ingest sent; a value we cannot read is left out, not an error.
      LOG.debugf("unreadable attributes of an indexed instance: %s", e.reason());
      return null;
    }
  }

  private static void computed(Attributes out, int tag, Row row, Level level, String base) {
    if (tag == Tag.SpecificCharacterSet) {
      out.setString(tag, VR.CS, "ISO_IR 192");
    } else if (tag == Tag.InstanceAvailability) {
      // Every indexed object is in the hot tier until storage tiering exists.
      out.setString(tag, VR.CS, "ONLINE");
    } else if (tag == Tag.RetrieveURL) {
      String url = base + "/studies/" + row.getString(StudyTable.STUDY_UID);
      if (level.atOrBelow(Level.SERIES)) {
        url += "/series/" + row.getString(SeriesTable.SERIES_UID);
      }
      if (level == Level.INSTANCE) {
        url += "/instances/" + row.getString(InstanceTable.SOP_INSTANCE_UID);
      }
      out.setString(tag, VR.UR, url);
    } else if (tag == Tag.OtherPatientIDsSequence) {
      otherPatientIds(out, row, true);
    }
  }

  /**
   * OtherPatientIDsSequence (0010,1002): an item with PatientID and IssuerOfPatientID for each
   * patient linked to the row's patient in a tenant the caller may see (column {@code
   * other_patient_ids}, a JSON array of pairs). Empty or left out when there are none.
   */
  private static void otherPatientIds(Attributes out, Row row, boolean evenIfEmpty) {
    String json = row.getString("other_patient_ids");
    JsonNode pairs = null;
    if (json != null) {
      try {
        pairs = JSON.readTree(json);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("other_patient_ids is not JSON", e);
      }
    }
    if (pairs == null || pairs.isEmpty()) {
      if (evenIfEmpty) {
        out.newSequence(Tag.OtherPatientIDsSequence);
      }
      return;
    }
    Sequence items = out.newSequence(Tag.OtherPatientIDsSequence);
    for (JsonNode pair : pairs) {
      Attributes item = items.addItem();
      item.setString(Tag.PatientID, VR.LO, pair.get(0).asText());
      item.setString(Tag.IssuerOfPatientID, VR.LO, pair.get(1).asText());
    }
  }

  private static void column(Attributes out, QidoAttribute a, Row row) {
    String c = a.column();
    VR vr = a.vr();
    switch (vr) {
      case DA -> {
        LocalDate d = row.getLocalDate(c);
        set(out, a, d == null ? null : DA.format(d));
      }
      case TM -> {
        LocalTime t = row.getLocalTime(c);
        set(out, a, t == null ? null : time(t));
      }
      case IS -> {
        Integer i = row.getInteger(c);
        set(out, a, i == null ? null : i.toString());
      }
      case US -> {
        Integer i = row.getInteger(c);
        out.set(a.tag(), vr, i == null ? null : new byte[] {(byte) (i & 0xFF), (byte) (i >>> 8)});
      }
      default -> {
        if (a.tag() == Tag.ModalitiesInStudy || a.tag() == Tag.SOPClassesInStudy) {
          String[] values = row.getArrayOfStrings(c);
          if (values == null || values.length == 0) {
            out.set(a.tag(), vr, null);
          } else {
            out.setString(a.tag(), vr, values);
          }
        } else {
          String value = row.getString(c);
          if (a.tag() == Tag.PatientID && value != null && value.startsWith("~")) {
            value = null; // the index's key for a study without Patient ID, not a Patient ID
          }
          set(out, a, value);
        }
      }
    }
  }

  private static void set(Attributes out, QidoAttribute a, String value) {
    if (value == null || value.isEmpty()) {
      out.set(a.tag(), a.vr(), null);
    } else {
      out.setString(a.tag(), a.vr(), value);
    }
  }

  private static String time(LocalTime t) {
    String hms = TM.format(t);
    int micros = t.getNano() / 1000;
    return micros == 0 ? hms : hms + "." + String.format("%06d", micros);
  }
}
