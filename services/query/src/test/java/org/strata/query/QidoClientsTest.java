package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.QidoTestData.CT;
import static org.strata.query.QidoTestData.MR;
import static org.strata.query.QidoTestData.S1;
import static org.strata.query.QidoTestData.S2;
import static org.strata.query.QidoTestData.S3;
import static org.strata.query.QidoTestData.S4;
import static org.strata.query.QidoTestData.S5;
import static org.strata.query.QidoTestData.S7;
import static org.strata.query.QidoTestData.instance;
import static org.strata.query.QidoTestData.series;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.testkit.NodeClient;
import org.strata.testkit.PlatformTestResource;

/**
 * QIDO-RS as real clients send it: every case below once through {@code curl} (the URL encoded
 * here, the answer and its headers read from curl's files) and once through the npm {@code
 * dicomweb-client}'s searchForStudies / searchForSeries / searchForInstances ({@link NodeClient},
 * {@code js/qido.js}), on the known data set ({@link QidoTestData}). Each matching type at the
 * study, series and instance level: single values, UID lists, wildcards {@code *} and {@code ?},
 * date, time and date-with-time ranges, case-insensitive and ideographic names, fuzzy matching,
 * includefield, limit/offset with the Warning header, and 400s. The expected results are written
 * down here, from the data set's table; {@link StudySearchTest} and its siblings pin the same facts
 * through REST-assured.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class QidoClientsTest extends QidoTestSupport {
  private static final String CUT =
      "\"The number of results exceeded the maximum supported by the server. Additional results"
          + " can be requested.\"";

  @TempDir Path dir;

  /**
   * One search: its path (level, and the study and series it is limited to), its parameters, and
   * what must come back: the status; for 200 the first value of {@code tag} of each result in order
   * (an empty list: 204); whether a Warning follows; values of the first result; for 400 the
   * reason.
   */
  record Case(
      String name,
      String level,
      String study,
      String series,
      Map<String, String> params,
      int status,
      String tag,
      List<String> expected,
      boolean warning,
      Map<String, String> firstValues,
      String reason) {

    String path() {
      String p = "";
      if (study != null) {
        p += "/studies/" + study;
        if (series != null) {
          p += "/series/" + series;
        }
      }
      return p + "/" + level;
    }

    String query() {
      StringBuilder q = new StringBuilder();
      for (Map.Entry<String, String> e : params.entrySet()) {
        q.append(q.isEmpty() ? "?" : "&")
            .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8).replace("+", "%20"))
            .append('=')
            .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
      }
      return q.toString();
    }
  }

  private final List<Case> cases = new ArrayList<>();

  /** A search answered 200 (or 204 when {@code expected} is empty), without Warning. */
  private void expect(
      String name, String level, String study, String tag, List<String> expected, String... kv) {
    cases.add(
        new Case(
            name,
            level,
            study,
            null,
            params(kv),
            expected.isEmpty() ? 204 : 200,
            tag,
            expected,
            false,
            Map.of(),
            null));
  }

  private static Map<String, String> params(String... kv) {
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      params.put(kv[i], kv[i + 1]);
    }
    return params;
  }

  private void atStudies(String name, List<String> expected, String... kv) {
    expect(name, "studies", null, STUDY_UID, expected, kv);
  }

  private void atSeries(String name, String study, List<String> expected, String... kv) {
    expect(name, "series", study, SERIES_UID, expected, kv);
  }

  private void atInstances(String name, String study, List<String> expected, String... kv) {
    expect(name, "instances", study, SOP_UID, expected, kv);
  }

  private void badRequest(String name, String level, String reason, String... kv) {
    cases.add(
        new Case(
            name, level, null, null, params(kv), 400, null, List.of(), false, Map.of(), reason));
  }

  private void buildCases() {
    // ---- study level
    atStudies("study single value", List.of(S4, S3), "PatientID", "PAT-002");
    atStudies("study single value by tag", List.of(S4, S3), "00100020", "PAT-002");
    atStudies("study single value is case-sensitive", List.of(), "AccessionNumber", "acc-1001");
    atStudies("study UID list (comma)", List.of(S1, S3), "StudyInstanceUID", S3 + "," + S1);
    atStudies("study UID list (backslash)", List.of(S4, S1), "StudyInstanceUID", S1 + "\\" + S4);
    atStudies("study wildcard *", List.of(S3), "AccessionNumber", "ACC_*");
    atStudies("study wildcard ?", List.of(S5, S2, S1), "AccessionNumber", "ACC-100?");
    atStudies(
        "study wildcard * alone (universal)", List.of(S5, S2, S4, S1, S3, S7), "PatientID", "*");
    atStudies("study date", List.of(S4, S1), "StudyDate", "20250110");
    atStudies("study date range", List.of(S4, S1), "StudyDate", "20250101-20250131");
    atStudies("study date open end", List.of(S5, S2), "StudyDate", "20250201-");
    atStudies("study date open start", List.of(S3), "StudyDate", "-20241231");
    atStudies("study time range", List.of(S5, S4, S1), "StudyTime", "08-10");
    atStudies("study time open start", List.of(S5, S1), "StudyTime", "-0900");
    atStudies(
        "study date with time range", List.of(S4), "StudyDate", "20250110", "StudyTime", "10-");
    atStudies("study name case-insensitive", List.of(S2, S1), "PatientName", "doe^jane");
    atStudies("study name upper case and accents", List.of(S4, S3), "PatientName", "MÜLLER^Hans");
    atStudies("study name wildcards", List.of(S2, S1), "PatientName", "d?e^*");
    atStudies("study name ideographic", List.of(S5, S7), "PatientName", "山田*");
    atStudies("study referring physician", List.of(S2, S1), "ReferringPhysicianName", "SMITH");
    atStudies("study name not fuzzy", List.of(), "PatientName", "Doe^Jain");
    atStudies(
        "study fuzzymatching", List.of(S2, S1), "PatientName", "Doe^Jain", "fuzzymatching", "true");
    atStudies("study modalities list", List.of(S5, S1, S3), "ModalitiesInStudy", "CT,PR");
    cases.add(
        new Case(
            "study includefield",
            "studies",
            null,
            null,
            params("StudyInstanceUID", S2, "includefield", "StudyDescription,00080080"),
            200,
            STUDY_UID,
            List.of(S2),
            false,
            Map.of("00081030", "MR BRAIN", "00080080", "General Hospital", "00100020", "PAT-001"),
            null));
    cases.add(
        new Case(
            "study first page",
            "studies",
            null,
            null,
            params("limit", "2"),
            200,
            STUDY_UID,
            List.of(S5, S2),
            true,
            Map.of(),
            null));
    cases.add(
        new Case(
            "study second page",
            "studies",
            null,
            null,
            params("limit", "2", "offset", "2"),
            200,
            STUDY_UID,
            List.of(S4, S1),
            true,
            Map.of(),
            null));
    cases.add(
        new Case(
            "study last page",
            "studies",
            null,
            null,
            params("limit", "2", "offset", "4"),
            200,
            STUDY_UID,
            List.of(S3, S7),
            false,
            Map.of(),
            null));
    atStudies("study offset past the end", List.of(), "offset", "6");
    badRequest(
        "study unknown attribute",
        "studies",
        "unknown attribute in matching key: PatientNmae",
        "PatientNmae",
        "x");
    badRequest(
        "study invalid date", "studies", "invalid date in StudyDate", "StudyDate", "20251301");
    badRequest(
        "study series key",
        "studies",
        "Modality cannot be matched at the study level",
        "Modality",
        "CT");
    // PS3.18 8.3.4.4.1: results = min(matches - offset, maxResults, limit); none is 204.
    atStudies("study limit 0", List.of(), "limit", "0");
    atStudies(
        "study limit above the maximum (1000)",
        List.of(S5, S2, S4, S1, S3, S7),
        "limit",
        "1000000");
    atStudies("study offset far past the end", List.of(), "offset", "99999999999999999999");
    badRequest(
        "study limit not a number",
        "studies",
        "limit must be a non-negative integer",
        "limit",
        "x");
    badRequest(
        "study fuzzymatching yes",
        "studies",
        "fuzzymatching must be true or false",
        "fuzzymatching",
        "yes");

    // ---- series level
    atSeries(
        "series codes list",
        null,
        List.of(series(S5, 1), series(S1, 1), series(S3, 1), series(S3, 2)),
        "Modality",
        "CT,PR");
    atSeries("series wildcard ?", null, List.of(series(S2, 2)), "Modality", "S?");
    atSeries(
        "series wildcard *",
        null,
        List.of(series(S5, 1), series(S1, 1), series(S3, 1)),
        "SeriesDescription",
        "AX*");
    atSeries(
        "series single value",
        null,
        List.of(series(S5, 1), series(S3, 1)),
        "BodyPartExamined",
        "CHEST");
    atSeries("series number", null, List.of(series(S2, 2), series(S3, 2)), "SeriesNumber", "2");
    atSeries(
        "series UID list",
        null,
        List.of(series(S4, 1), series(S1, 1)),
        "SeriesInstanceUID",
        series(S1, 1) + "," + series(S4, 1));
    atSeries(
        "series date range",
        null,
        List.of(series(S4, 1), series(S1, 1)),
        "PerformedProcedureStepStartDate",
        "20250101-20250131");
    atSeries(
        "series time", null, List.of(series(S1, 1)), "PerformedProcedureStepStartTime", "0831");
    atSeries(
        "series date with time range",
        null,
        List.of(series(S4, 1)),
        "PerformedProcedureStepStartDate",
        "20250110",
        "PerformedProcedureStepStartTime",
        "1000-");
    atSeries(
        "series study key, case-insensitive name",
        null,
        List.of(series(S2, 1), series(S2, 2), series(S1, 1)),
        "PatientName",
        "DOE");
    atSeries(
        "series fuzzymatching",
        null,
        List.of(series(S4, 1), series(S3, 1), series(S3, 2)),
        "PatientName",
        "Mueller^Hans",
        "fuzzymatching",
        "true");
    atSeries("series of a study", S3, List.of(series(S3, 2)), "Modality", "PR");
    atSeries("series of a study, none", S1, List.of(), "Modality", "MR");
    cases.add(
        new Case(
            "series includefield",
            "series",
            null,
            null,
            params("SeriesInstanceUID", series(S4, 1), "includefield", "BodyPartExamined"),
            200,
            SERIES_UID,
            List.of(series(S4, 1)),
            false,
            Map.of("00180015", "ABDOMEN", "0008103E", "LIVER", "00080050", "ACC%1004"),
            null));
    cases.add(
        new Case(
            "series page",
            "series",
            null,
            null,
            params("limit", "3", "offset", "1"),
            200,
            SERIES_UID,
            List.of(series(S2, 1), series(S2, 2), series(S4, 1)),
            true,
            Map.of(),
            null));
    cases.add(
        new Case(
            "series last page",
            "series",
            null,
            null,
            params("limit", "3", "offset", "6"),
            200,
            SERIES_UID,
            List.of(series(S3, 2), series(S7, 1)),
            false,
            Map.of(),
            null));
    badRequest(
        "series instance key",
        "series",
        "SOPInstanceUID cannot be matched at the series level",
        "SOPInstanceUID",
        "1.2");
    badRequest(
        "series number not a number",
        "series",
        "SeriesNumber must be an integer",
        "SeriesNumber",
        "two");

    // ---- instance level
    atInstances(
        "instance single value",
        null,
        List.of(instance(S2, 1, 1), instance(S2, 1, 2), instance(S2, 1, 3)),
        "SOPClassUID",
        MR);
    atInstances(
        "instance number",
        null,
        List.of(instance(S2, 1, 2), instance(S1, 1, 2), instance(S3, 1, 2)),
        "InstanceNumber",
        "2");
    atInstances(
        "instance UID list",
        null,
        List.of(instance(S5, 1, 1), instance(S3, 2, 1)),
        "SOPInstanceUID",
        instance(S3, 2, 1) + "\\" + instance(S5, 1, 1));
    atInstances(
        "instance wildcard ?",
        null,
        List.of(
            instance(S5, 1, 1),
            instance(S1, 1, 1),
            instance(S1, 1, 2),
            instance(S3, 1, 1),
            instance(S3, 1, 2)),
        "Modality",
        "C?");
    atInstances(
        "instance wildcard *",
        null,
        List.of(instance(S3, 1, 1), instance(S3, 1, 2), instance(S3, 2, 1)),
        "AccessionNumber",
        "ACC_*");
    atInstances(
        "instance study date",
        null,
        List.of(instance(S4, 1, 1), instance(S1, 1, 1), instance(S1, 1, 2)),
        "StudyDate",
        "20250110");
    atInstances(
        "instance date with time range",
        null,
        List.of(instance(S4, 1, 1)),
        "StudyDate",
        "20250101-20250131",
        "StudyTime",
        "1000-1100");
    atInstances(
        "instance name case-insensitive",
        null,
        List.of(instance(S4, 1, 1), instance(S3, 1, 1), instance(S3, 1, 2), instance(S3, 2, 1)),
        "PatientName",
        "muller");
    atInstances(
        "instance fuzzymatching",
        null,
        List.of(
            instance(S2, 1, 1),
            instance(S2, 1, 2),
            instance(S2, 1, 3),
            instance(S2, 2, 1),
            instance(S1, 1, 1),
            instance(S1, 1, 2)),
        "PatientName",
        "Doe^Jain",
        "fuzzymatching",
        "true");
    atInstances(
        "instance of a study", S3, List.of(instance(S3, 2, 1)), "SOPClassUID", QidoTestData.PR);
    cases.add(
        new Case(
            "instance of a series",
            "instances",
            S2,
            series(S2, 1),
            params(),
            200,
            SOP_UID,
            List.of(instance(S2, 1, 1), instance(S2, 1, 2), instance(S2, 1, 3)),
            false,
            Map.of(),
            null));
    cases.add(
        new Case(
            "instance includefield all",
            "instances",
            null,
            null,
            params("SOPInstanceUID", instance(S1, 1, 1), "includefield", "all"),
            200,
            SOP_UID,
            List.of(instance(S1, 1, 1)),
            false,
            Map.of("00080080", "General Hospital", "00180015", "HEAD", "00080016", CT),
            null));
    cases.add(
        new Case(
            "instance page",
            "instances",
            null,
            null,
            params("limit", "3", "offset", "1"),
            200,
            SOP_UID,
            List.of(instance(S2, 1, 1), instance(S2, 1, 2), instance(S2, 1, 3)),
            true,
            Map.of(),
            null));
    badRequest(
        "instance pixel data key",
        "instances",
        "PixelData is not a supported matching key",
        "PixelData",
        "1");
    // No DT attribute is indexed: a date-time key is refused, not ignored.
    badRequest(
        "instance date-time key",
        "instances",
        "AcquisitionDateTime is not a supported matching key",
        "AcquisitionDateTime",
        "20250110083000-");
    badRequest(
        "instance malformed time",
        "instances",
        "malformed time in StudyTime (expected HHMMSS.FFFFFF)",
        "StudyTime",
        "10:15");
  }

  @Test
  void curl() throws Exception {
    buildCases();
    String base = "http://127.0.0.1:" + RestAssured.port + "/dicomweb";
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (Case c : cases) {
      Path body = dir.resolve("body" + n);
      Path headers = dir.resolve("headers" + n++);
      Process p =
          new ProcessBuilder(
                  "curl",
                  "--silent",
                  "--show-error",
                  "--globoff",
                  "-H",
                  "Accept: application/dicom+json",
                  "-D",
                  headers.toString(),
                  "-o",
                  body.toString(),
                  "-w",
                  "%{http_code}",
                  base + c.path() + c.query())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "curl did not finish");
      assertEquals(0, p.exitValue(), out);
      String warning = null;
      for (String line : Files.readAllLines(headers, StandardCharsets.ISO_8859_1)) {
        if (line.regionMatches(true, 0, "Warning:", 0, 8)) {
          warning = line.substring(8).trim();
        }
      }
      byte[] bytes = Files.readAllBytes(body);
      JsonNode json = bytes.length == 0 ? null : JSON.readTree(bytes);
      check(c, Integer.parseInt(out.trim()), warning, json, failures);
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void dicomwebClient() throws Exception {
    buildCases();
    ArrayNode list = JSON.createArrayNode();
    for (Case c : cases) {
      ObjectNode o = list.addObject();
      o.put("name", c.name()).put("level", c.level());
      if (c.study() != null) {
        o.put("study", c.study());
      }
      if (c.series() != null) {
        o.put("series", c.series());
      }
      ObjectNode params = o.putObject("params");
      c.params().forEach(params::put);
    }
    Path casesFile = dir.resolve("cases.json");
    Path resultsFile = dir.resolve("results.json");
    JSON.writeValue(casesFile.toFile(), list);
    NodeClient.run(
        "qido.js",
        "http://127.0.0.1:" + RestAssured.port + "/dicomweb",
        casesFile.toAbsolutePath().toString(),
        resultsFile.toAbsolutePath().toString());
    JsonNode results = JSON.readTree(resultsFile.toFile());
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      JsonNode r = results.path(c.name());
      JsonNode body = r.path("body");
      // The client answers [] for 204.
      if (r.path("status").asInt() == 204 && body.isArray() && body.isEmpty()) {
        body = null;
      }
      check(
          c,
          r.path("status").asInt(),
          r.path("warning").isTextual() ? r.path("warning").asText() : null,
          body == null || body.isNull() ? null : body,
          failures);
    }
    assertEquals(List.of(), failures);
  }

  /** Judges one answer against its case; a mismatch is added to {@code failures}. */
  private static void check(
      Case c, int status, String warning, JsonNode body, List<String> failures) {
    List<String> wrong = new ArrayList<>();
    if (status != c.status()) {
      wrong.add("status " + status + " (" + body + ")");
    } else if (status == 400) {
      if (body == null || !c.reason().equals(body.path("reason").asText())) {
        wrong.add("reason " + body);
      }
    } else if (status == 204) {
      if (body != null) {
        wrong.add("a body with 204");
      }
    } else {
      List<String> got = firstValues(body, c.tag());
      if (!got.equals(c.expected())) {
        wrong.add("results " + got);
      }
      for (Map.Entry<String, String> e : c.firstValues().entrySet()) {
        String v = body.path(0).path(e.getKey()).path("Value").path(0).asText(null);
        if (!e.getValue().equals(v)) {
          wrong.add(e.getKey() + " = " + v);
        }
      }
    }
    if (c.warning() != (warning != null)) {
      wrong.add("Warning " + warning);
    } else if (warning != null && !warning.matches("299 [^ ]+: .*")
        || warning != null && !warning.endsWith(CUT)) {
      wrong.add("Warning " + warning);
    }
    if (!wrong.isEmpty()) {
      failures.add(c.name() + ": " + String.join("; ", wrong));
    }
  }
}
