package org.strata.query.qido;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;

/**
 * A C-FIND identifier (PS3.4 C.4.1) as a QIDO-RS search, so that DIMSE and DICOMweb match the same
 * way: every key with a value that the index can match becomes a matching key with that value (the
 * same syntax: wildcards, UID lists, date and time ranges, person names); every key becomes an
 * {@code includefield}. An empty key (or {@code *}) is universal matching: returned, not filtered.
 *
 * <p>Levels: PATIENT is a study search whose matches are collapsed per patient (only patient keys
 * may match), STUDY and SERIES are the QIDO levels, IMAGE is the instance level. Keys of a level
 * below the query level may not carry a value (A900, as QIDO refuses them with 400).
 */
public final class FindKeys {
  /** The patient-level attributes the index keeps (Patient Root, PATIENT level). */
  public static final Set<Integer> PATIENT_KEYS =
      Set.of(
          Tag.PatientName,
          Tag.PatientID,
          Tag.IssuerOfPatientID,
          Tag.PatientBirthDate,
          Tag.PatientSex);

  /**
   * @param request the search (limit = the page size, offset 0)
   * @param patientLevel whether the matches are to be collapsed per patient
   * @param optionalKeysUnsupported a key with a value the index cannot match was ignored (FF01)
   */
  public record Translation(
      QidoRequest request, boolean patientLevel, boolean optionalKeysUnsupported) {

    /** The same search from {@code offset}. */
    public QidoRequest at(int offset) {
      QidoRequest r = request;
      return new QidoRequest(
          r.level(),
          r.studyUid(),
          r.seriesUid(),
          r.matches(),
          r.includeFields(),
          r.includeAll(),
          r.fuzzy(),
          r.limit(),
          offset);
    }
  }

  private FindKeys() {}

  /** The QIDO level of a Query/Retrieve Level, or null if there is none. */
  public static Level level(String queryRetrieveLevel) {
    if (queryRetrieveLevel == null) {
      return null;
    }
    return switch (queryRetrieveLevel.trim().toUpperCase(Locale.ROOT)) {
      case "PATIENT", "STUDY" -> Level.STUDY;
      case "SERIES" -> Level.SERIES;
      case "IMAGE" -> Level.INSTANCE;
      default -> null;
    };
  }

  /**
   * @param queryRetrieveLevel PATIENT, STUDY, SERIES or IMAGE (checked by the caller)
   * @param keys the identifier as received
   * @param pageSize matches per database round trip
   * @throws QidoException a key that cannot be matched at this level, or a malformed value
   */
  public static Translation translate(String queryRetrieveLevel, Attributes keys, int pageSize) {
    checkHoldable(keys);
    boolean patientLevel = queryRetrieveLevel.trim().equalsIgnoreCase("PATIENT");
    Level level = level(queryRetrieveLevel);
    if (level == null) {
      throw new QidoException("unknown Query/Retrieve Level");
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    StringBuilder include = new StringBuilder();
    boolean unsupported = false;
    for (int tag : keys.tags()) {
      if (tag == Tag.QueryRetrieveLevel
          || tag == Tag.SpecificCharacterSet
          || tag == Tag.RetrieveAETitle
          || (tag & 0xFFFF) == 0 // group lengths
          || (tag >>> 16 & 1) == 1) { // private
        continue;
      }
      QidoAttribute a = QidoAttribute.of(tag);
      if (patientLevel && !PATIENT_KEYS.contains(tag)) {
        if (hasValue(keys, tag)) {
          throw new QidoException(
              (a == null ? "a key" : a.keyword()) + " cannot be matched at the patient level");
        }
        continue; // returned empty
      }
      if (hasValue(keys, tag)) {
        if (a != null && a.matchable()) {
          params.put(a.keyword(), List.of(keys.getText(tag)));
        } else {
          unsupported = true; // returned, not matched
        }
      }
      if (!include.isEmpty()) {
        include.append(',');
      }
      include.append(String.format("%08X", tag));
    }
    if (!include.isEmpty()) {
      params.put("includefield", List.of(include.toString()));
    }
    QidoRequest request = QidoRequest.parse(level, null, null, params, pageSize, pageSize);
    return new Translation(request, patientLevel, unsupported);
  }

  /**
   * Refuses an identifier with a NUL character inside a value (DICOM pads with NUL only at the end,
   * which the reader strips): no indexed value holds one (ADR 0023), PostgreSQL refuses it in a
   * query (which surfaced as a processing failure), and reading it as a list would silently drop it
   * and match another value. Bytes invalid in the Specific Character Set were decoded to U+FFFD and
   * simply match nothing. The reason names the key only.
   *
   * @throws QidoException naming the first key with a NUL
   */
  public static void checkHoldable(Attributes keys) {
    for (int tag : keys.tags()) {
      VR vr = keys.vr(tag);
      if (vr == null || vr == VR.SQ || !vr.isString()) {
        continue;
      }
      String text = keys.getText(tag);
      if (text != null && text.indexOf('\0') >= 0) {
        QidoAttribute a = QidoAttribute.of(tag);
        throw new QidoException(
            (a == null ? String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF) : a.keyword())
                + " contains a NUL character");
      }
    }
  }

  /** A non-empty value other than {@code *} (universal matching), sequences excluded. */
  private static boolean hasValue(Attributes keys, int tag) {
    VR vr = keys.vr(tag);
    if (vr == VR.SQ || vr == null || !vr.isString()) {
      return false;
    }
    String text = keys.getText(tag);
    return text != null && !text.isEmpty() && !text.equals("*");
  }
}
