package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.WadoTestData.CT_SERIES;
import static org.strata.query.WadoTestData.CT_SOP;
import static org.strata.query.WadoTestData.CT_STUDY;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.strata.query.dimse.QueryRetrieveServer;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.hostile.HostileDicom;
import org.strata.testkit.hostile.HostileHttp;
import org.strata.testkit.hostile.HostileReport;
import org.strata.testkit.hostile.HostileRun;
import org.strata.testkit.hostile.Liveness;
import org.strata.testkit.hostile.Pdus;
import org.strata.testkit.hostile.Pdus.Element;

/**
 * The hostile-input suite against query: every parameter and path segment of its OpenAPI document
 * (QIDO-RS, WADO-RS, WADO-URI, rendered, FHIR) with QIDO's attribute keys on its search paths, and
 * broken PDUs and mutated C-FIND command sets to the Q/R SCP. Every input must be answered within
 * the deadline and never with a 5xx; afterwards query is UP, its heap is bounded and the known CT
 * instance of tenant {@code wado} is retrieved byte for byte. {@code make fuzz} runs it longer.
 */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class HostileInputTest extends WadoTestSupport {
  private static final String HOST = "127.0.0.1";
  private static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";

  /**
   * Growth of the heap after GC the run may cause. What query keeps between requests is its frame
   * index and sidecar caches, filled only from stored data (here a handful of instances: a few KiB,
   * far below their 32 and 64 MiB limits); nothing per request or association. A per-input leak of
   * ~30 KiB over the run, or one kept 64 KiB URL per request, crosses 64 MiB.
   */
  private static final long HEAP_GROWTH_BOUND = 64L << 20;

  /** Read by every QIDO search path but not declared in the OpenAPI document. */
  private static final List<String> QIDO_KEYS =
      List.of(
          "PatientID",
          "PatientName",
          "StudyDate",
          "StudyInstanceUID",
          "00100020",
          "ModalitiesInStudy",
          "includefield",
          "fuzzymatching",
          "limit",
          "offset");

  @Inject QueryRetrieveServer scp;

  @Test
  void everyHostileInputIsAnsweredAndTheKnownStudyStaysIntact() throws Exception {
    int http = RestAssured.port;
    HostileRun run = HostileRun.fromSystemProperties(200);
    HostileReport report = new HostileReport("query", run.seed());
    byte[] known = WadoTestData.sample("CT_small.dcm");
    assertKnownInstance(known);
    long heapBefore = Liveness.heapAfterGc();

    Map<String, String> knownValues =
        Map.of(
            "study", CT_STUDY,
            "series", CT_SERIES,
            "instance", CT_SOP,
            "frames", "1",
            "id", CT_STUDY,
            "requestType", "WADO",
            "studyUID", CT_STUDY,
            "seriesUID", CT_SERIES,
            "objectUID", CT_SOP);
    new HostileHttp(
            HOST,
            http,
            HostileHttp.openApi(HOST, http),
            knownValues,
            QIDO_KEYS,
            ".*/(studies|series|instances|ImagingStudy)")
        .run(run, report);

    byte[] identifier =
        Pdus.implicitDataSet(
            List.of(
                new Element(0x00080052, Pdus.ascii("STUDY ")),
                new Element(0x00100020, new byte[0]),
                new Element(0x0020000D, new byte[0])));
    HostileDicom dimse =
        new HostileDicom(
            HOST,
            scp.port(),
            "STRATA-QR",
            "HOSTILE",
            new HostileDicom.Template(
                STUDY_ROOT_FIND, HostileDicom.find(STUDY_ROOT_FIND, 1), identifier),
            run,
            report);
    dimse.pdus();
    dimse.commands();

    Liveness.checkAfterRun(HOST, http, heapBefore, HEAP_GROWTH_BOUND, report);
    System.out.print(report.table());
    assertKnownInstance(known);
    report.assertPassed();
    // The inputs must be hostile, or the run proves nothing (a replay of one input may not be).
    assertTrue(
        !run.only().isEmpty() || report.total(HostileReport.Counts::refused) > 0,
        "nothing was refused");
  }

  private static void assertKnownInstance(byte[] known) {
    List<Part> parts =
        parts(
            get("/studies/" + CT_STUDY + "/series/" + CT_SERIES + "/instances/" + CT_SOP, DICOM),
            "application/dicom");
    assertEquals(1, parts.size());
    assertArrayEquals(known, parts.get(0).body(), "the known instance, byte for byte");
  }
}
