package org.strata.query.fhir;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.strata.indexschema.PatientTable;
import org.strata.indexschema.StudyTable;

/**
 * An ImagingStudy search turned into SQL over the index: the parameters of FHIR R4 ImagingStudy
 * this service supports (see the README), each occurrence of a parameter ANDed, the comma-separated
 * alternatives of one occurrence ORed. SQL text only from constants; values are bind parameters
 * ({@code $1} is the tenant). Unknown parameters and modifiers are refused (400): a silently
 * ignored filter would return other patients' studies.
 */
public final class ImagingStudySearch {
  /** DICOM's code system (PS3.16), the system of modality codings. */
  public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

  /** The system of the study identifier holding {@code urn:oid:<StudyInstanceUID>}. */
  public static final String DICOM_UID = "urn:dicom:uid";

  static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

  /** Names accepted for the patient identifier (all mean the subject's identifier). */
  private static final List<String> PATIENT_IDENTIFIER =
      List.of(
          "patient:identifier",
          "subject:identifier",
          "patient.identifier",
          "subject.identifier",
          "subject:Patient.identifier");

  private final List<Object> params = new ArrayList<>();
  private final StringBuilder where = new StringBuilder();
  private int count;
  private int offset;

  private ImagingStudySearch() {}

  /**
   * Parses the query parameters of {@code GET ImagingStudy?...}.
   *
   * @throws FhirException 400 for unknown parameters, modifiers, prefixes or malformed values
   */
  public static ImagingStudySearch parse(
      Map<String, List<String>> query, ZoneId zone, int defaultCount, int maxCount) {
    ImagingStudySearch s = new ImagingStudySearch();
    s.count = defaultCount;
    for (Map.Entry<String, List<String>> e : query.entrySet()) {
      String name = e.getKey();
      for (String value : e.getValue()) {
        if (PATIENT_IDENTIFIER.contains(name)) {
          s.patientIdentifier(value);
          continue;
        }
        switch (name) {
          case "identifier" -> s.identifier(value);
          case "_id" -> s.ids(value);
          case "started" -> s.started(StartedParam.parse(value, zone));
          case "modality" -> s.modality(value);
          // FHIR R4 3.1.1.5.7: the server may return fewer than _count, never an error for more.
          case "_count" ->
              s.count = Math.min(integer(name, saturated(value), 1, Integer.MAX_VALUE), maxCount);
          case "_offset" -> s.offset = integer(name, value, 0, Integer.MAX_VALUE);
          case "_format" -> {
            if (!value.equals("json") && !value.contains("json")) {
              throw new FhirException(406, "not-supported", "_format: only JSON is served");
            }
          }
          default ->
              throw FhirException.invalid(
                  "unknown or unsupported search parameter "
                      + (name.length() > 40 ? name.substring(0, 40) + "..." : name));
        }
      }
    }
    return s;
  }

  /** Studies per page. */
  public int count() {
    return count;
  }

  /** Matches skipped before the page. */
  public int offset() {
    return offset;
  }

  /** The conditions after {@code where st.tenant = $1}, each starting with {@code and}. */
  String where() {
    return where.toString();
  }

  /** The bind parameters after the tenant ({@code $2...}). */
  List<Object> params() {
    return params;
  }

  private String bind(Object value) {
    params.add(value);
    return "$" + (params.size() + 1);
  }

  private void ids(String value) {
    List<String> uids = new ArrayList<>();
    for (String a : Tokens.alternatives(value)) {
      uids.add(uid("_id", a));
    }
    where
        .append(" and st." + StudyTable.STUDY_UID + " = any(")
        .append(bind(uids.toArray(String[]::new)))
        .append(')');
  }

  /**
   * {@code urn:dicom:uid|urn:oid:1.2.3} or {@code urn:oid:1.2.3}: the study UID; {@code |ACC} or
   * {@code ACC}: the accession number (which carries no system); any other system: nothing.
   */
  private void identifier(String value) {
    List<String> uids = new ArrayList<>();
    List<String> accessions = new ArrayList<>();
    for (String a : Tokens.alternatives(value)) {
      Tokens.Token t = Tokens.token(a);
      if (DICOM_UID.equals(t.system()) || (t.system() == null && t.code().startsWith("urn:oid:"))) {
        if (!t.code().startsWith("urn:oid:")) {
          throw FhirException.invalid("identifier: a urn:dicom:uid value is urn:oid:<UID>");
        }
        uids.add(uid("identifier", t.code().substring("urn:oid:".length())));
      } else if (t.system() == null || t.system().isEmpty()) {
        if (t.code().isEmpty()) {
          throw FhirException.invalid("identifier: empty value");
        }
        accessions.add(t.code());
      }
    }
    List<String> or = new ArrayList<>();
    if (!uids.isEmpty()) {
      or.add("st." + StudyTable.STUDY_UID + " = any(" + bind(uids.toArray(String[]::new)) + ")");
    }
    if (!accessions.isEmpty()) {
      or.add(
          "st."
              + StudyTable.ACCESSION_NUMBER
              + " = any("
              + bind(accessions.toArray(String[]::new))
              + ")");
    }
    where.append(" and ").append(or.isEmpty() ? "false" : "(" + String.join(" or ", or) + ")");
  }

  /**
   * {@code system|value}: Patient ID with the issuer the system names ({@code urn:oid:<issuer>} or
   * {@code urn:strata:issuer:<issuer>}, see {@link PatientIdentifiers}); {@code value}: Patient ID
   * of any issuer.
   */
  private void patientIdentifier(String value) {
    List<String> or = new ArrayList<>();
    for (String a : Tokens.alternatives(value)) {
      Tokens.Token t = Tokens.token(a);
      if (t.code().isEmpty()) {
        throw FhirException.invalid("patient identifier: empty value");
      }
      if (t.system() == null) {
        or.add("p." + PatientTable.PATIENT_ID + " = " + bind(t.code()));
      } else {
        String issuer = PatientIdentifiers.issuer(t.system());
        if (issuer != null) {
          or.add(
              "(p."
                  + PatientTable.PATIENT_ID
                  + " = "
                  + bind(t.code())
                  + " and p."
                  + PatientTable.ISSUER
                  + " = "
                  + bind(issuer)
                  + ")");
        }
      }
    }
    where.append(" and ").append(or.isEmpty() ? "false" : "(" + String.join(" or ", or) + ")");
  }

  /** {@code [DCM]|CT} or {@code CT}: any of the study's modalities; other systems: nothing. */
  private void modality(String value) {
    List<String> codes = new ArrayList<>();
    for (String a : Tokens.alternatives(value)) {
      Tokens.Token t = Tokens.token(a);
      if (t.code().isEmpty()) {
        throw FhirException.invalid("modality: empty code");
      }
      if (t.system() == null || t.system().equals(DCM)) {
        codes.add(t.code());
      }
    }
    where
        .append(" and ")
        .append(
            codes.isEmpty()
                ? "false"
                : "st."
                    + StudyTable.MODALITIES_IN_STUDY
                    + " && "
                    + bind(codes.toArray(String[]::new))
                    + "::text[]");
  }

  private static final String DATE = "st." + StudyTable.STUDY_DATE;
  private static final String TIME = "st." + StudyTable.STUDY_TIME;

  /** Start and end (exclusive) of a study's time: its time to the microsecond, or its whole day. */
  private static final String START = "(" + DATE + " + coalesce(" + TIME + ", time '00:00'))";

  private static final String END =
      "(case when "
          + TIME
          + " is null then ("
          + DATE
          + " + 1)::timestamp else "
          + DATE
          + " + "
          + TIME
          + " + interval '1 microsecond' end)";

  /**
   * FHIR R4 date prefixes against the study's range [start, end) and the value's [lo, hi). The
   * extra study_date bound follows from the condition; it lets the (tenant, study_date) index work.
   */
  private void started(StartedParam p) {
    String lo = bind(p.lo());
    String hi = bind(p.hi());
    String condition =
        switch (p.prefix()) {
          case "eq" -> START + " >= " + lo + "::timestamp and " + END + " <= " + hi + "::timestamp";
          case "ne" ->
              "not ("
                  + START
                  + " >= "
                  + lo
                  + "::timestamp and "
                  + END
                  + " <= "
                  + hi
                  + "::timestamp)";
          case "gt" -> END + " > " + hi + "::timestamp";
          case "lt" -> START + " < " + lo + "::timestamp";
          case "ge" -> END + " > " + lo + "::timestamp";
          case "le" -> START + " < " + hi + "::timestamp";
          default -> throw new IllegalStateException(p.prefix());
        };
    String dateBound =
        switch (p.prefix()) {
          case "eq" -> " and " + DATE + " between " + lo + "::date and " + hi + "::date";
          case "gt", "ge" -> " and " + DATE + " >= " + lo + "::date";
          case "lt", "le" -> " and " + DATE + " <= " + hi + "::date";
          default -> " and " + DATE + " is not null";
        };
    where.append(" and (").append(condition).append(')').append(dateBound);
  }

  private static String uid(String name, String value) {
    if (value.length() > 64 || !UID.matcher(value).matches()) {
      throw FhirException.invalid(name + ": not a DICOM UID");
    }
    return value;
  }

  /** Digits beyond int as {@link Integer#MAX_VALUE}, so that a huge {@code _count} is lowered. */
  private static String saturated(String value) {
    return value.length() > 10 && value.chars().allMatch(c -> c >= '0' && c <= '9')
        ? String.valueOf(Integer.MAX_VALUE)
        : value;
  }

  private static int integer(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw FhirException.invalid(name + ": an integer from " + min + " to " + max);
  }
}
