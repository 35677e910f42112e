package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.strata.query.DimseTestData.CT_SERIES;
import static org.strata.query.DimseTestData.CT_SOP;
import static org.strata.query.DimseTestData.CT_STUDY;
import static org.strata.query.DimseTestData.MR_SOP;
import static org.strata.query.DimseTestData.SC_SOP;
import static org.strata.query.DimseTestData.SC_STUDY;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.net.Part10File;
import org.strata.query.dimse.QueryRetrieveServer;
import org.strata.testkit.PlatformTestResource;

/**
 * The Query/Retrieve SCP against DCMTK's findscu, movescu (to a storescp started here) and getscu,
 * on the {@link DimseTestData} data set. Skipped when DCMTK is missing.
 */
@QuarkusTest
@TestProfile(DimseQueryRetrieveTest.DimseProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class DimseQueryRetrieveTest {
  /** storescp's port, chosen once per JVM (the profile may be read by several class loaders). */
  private static final String PORT_PROPERTY = "strata.test.dimse.storescp-port";

  /**
   * Tenant dimse, the storescp of this test as move destination STORESCP, and the known AEs of
   * {@link DimseLabelledCallerTest} (other calling AEs are unknown: tenant dimse).
   */
  public static class DimseProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "strata.query.dimse.known-aes-file",
          DimseLabelledCallerTest.knownAesFile(),
          "strata.query.default-tenant",
          DimseTestData.TENANT,
          "strata.query.dimse.destinations.STORESCP",
          "127.0.0.1:" + storescpPort(),
          "strata.query.dimse.destinations.COMMITSCU",
          "127.0.0.1:" + StorageCommitmentScpTest.reportPort(),
          "strata.query.dimse.commitment-wait",
          "1s");
    }
  }

  @Inject QueryRetrieveServer scp;

  @TempDir Path tmp;

  static synchronized int storescpPort() {
    String p = System.getProperty(PORT_PROPERTY);
    if (p == null) {
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        p = String.valueOf(probe.getLocalPort());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      System.setProperty(PORT_PROPERTY, p);
    }
    return Integer.parseInt(p);
  }

  @BeforeEach
  void knownDataSet() throws Exception {
    assumeTrue(
        Stream.of("findscu", "movescu", "getscu", "storescp")
            .allMatch(t -> Files.isExecutable(Path.of("/usr/bin", t))),
        "dcmtk missing");
    DimseTestData.ensureLoaded();
  }

  @Test
  void findscuStudyRootAndPatientRoot() throws Exception {
    // Study Root, STUDY level, the studies of QR-001: newest first
    Path out = tmp.resolve("find1");
    Result r =
        findscu(
            "-S",
            out,
            "QueryRetrieveLevel=STUDY",
            "PatientID=QR-001",
            "StudyInstanceUID",
            "StudyDescription",
            "StudyDate",
            "PatientName");
    assertEquals(0, r.exitCode(), r.output());
    List<Attributes> rsps = responses(out);
    assertEquals(List.of(SC_STUDY, CT_STUDY), values(rsps, Tag.StudyInstanceUID), r.output());
    assertEquals(List.of("SC RLE", "CT SMALL"), values(rsps, Tag.StudyDescription));
    assertEquals(List.of("20170101", "20040119"), values(rsps, Tag.StudyDate));
    assertEquals(List.of("Doe^Jane", "Doe^Jane"), values(rsps, Tag.PatientName));
    assertEquals(List.of("QR-001", "QR-001"), values(rsps, Tag.PatientID));
    assertEquals(List.of("STUDY", "STUDY"), values(rsps, Tag.QueryRetrieveLevel));
    // exactly the requested keys (and the character set)
    assertEquals(
        List.of(
            Tag.SpecificCharacterSet,
            Tag.StudyDate,
            Tag.QueryRetrieveLevel,
            Tag.StudyDescription,
            Tag.PatientName,
            Tag.PatientID,
            Tag.StudyInstanceUID),
        Arrays.stream(rsps.get(0).tags()).boxed().toList());
    assertEquals(2, count(r.output(), "(Pending)"), r.output());
    assertTrue(r.output().contains("Received Final Find Response (Success)"), r.output());

    // Patient Root, PATIENT level, name wildcard: one response per patient (QR-001 has 2 studies)
    out = tmp.resolve("find2");
    r =
        findscu(
            "-P",
            out,
            "QueryRetrieveLevel=PATIENT",
            "PatientName=doe*",
            "PatientID",
            "PatientBirthDate",
            "StudyDescription");
    assertEquals(0, r.exitCode(), r.output());
    rsps = responses(out);
    assertEquals(List.of("QR-001", "QR-002"), values(rsps, Tag.PatientID), r.output());
    assertEquals(List.of("Doe^Jane", "Doe^John"), values(rsps, Tag.PatientName));
    assertEquals(List.of("19700101", "19710202"), values(rsps, Tag.PatientBirthDate));
    // not a patient attribute: returned empty
    assertEquals(Arrays.asList(null, null), values(rsps, Tag.StudyDescription));
    assertTrue(r.output().contains("Received Final Find Response (Success)"), r.output());

    // Study Root, SERIES level within a study
    out = tmp.resolve("find3");
    r =
        findscu(
            "-S",
            out,
            "QueryRetrieveLevel=SERIES",
            "StudyInstanceUID=" + CT_STUDY,
            "SeriesInstanceUID",
            "Modality");
    assertEquals(0, r.exitCode(), r.output());
    rsps = responses(out);
    assertEquals(List.of(CT_SERIES), values(rsps, Tag.SeriesInstanceUID), r.output());
    assertEquals(List.of("CT"), values(rsps, Tag.Modality));

    // Study Root has no PATIENT level: A900 (findscu names the code DataSetDoesNotMatchSOPClass)
    out = tmp.resolve("find4");
    r = findscu("-S", out, "QueryRetrieveLevel=PATIENT", "PatientID");
    assertTrue(
        r.output().contains("Received Final Find Response (Error: DataSetDoesNotMatchSOPClass)"),
        r.output());
    assertEquals(List.of(), responses(out));
  }

  @Test
  void movescuToStorescp() throws Exception {
    Path rcv = Files.createDirectories(tmp.resolve("storescp"));
    Process storescp = storescp(rcv);
    try {
      // Study Root, the SC study (RLE lossless, as stored)
      Result r =
          movescu("-S", "STORESCP", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + SC_STUDY);
      assertEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains("Received Final Move Response (Success)"), r.output());
      assertSameInstances(datasets(rcv), SC_SOP);
      clear(rcv);

      // Patient Root, every instance of QR-001
      r = movescu("-P", "STORESCP", "QueryRetrieveLevel=PATIENT", "PatientID=QR-001");
      assertEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains("Received Final Move Response (Success)"), r.output());
      assertSameInstances(datasets(rcv), CT_SOP, SC_SOP);
      clear(rcv);

      // a study without stored objects: Success, nothing sent
      r =
          movescu(
              "-S",
              "STORESCP",
              "QueryRetrieveLevel=STUDY",
              "StudyInstanceUID=" + DimseTestData.XR_STUDY);
      assertTrue(r.output().contains("Received Final Move Response (Success)"), r.output());
      assertEquals(Map.of(), datasets(rcv));

      // unknown destination
      r = movescu("-S", "NOWHERE", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + SC_STUDY);
      assertTrue(
          r.output().contains("Received Final Move Response (Refused: MoveDestinationUnknown)"),
          r.output());
      assertEquals(Map.of(), datasets(rcv));
    } finally {
      storescp.destroy();
      if (!storescp.waitFor(10, TimeUnit.SECONDS)) {
        storescp.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void getscuOnTheSameAssociation() throws Exception {
    Path out = tmp.resolve("get1");
    Result r = getscu("-P", out, "QueryRetrieveLevel=PATIENT", "PatientID=QR-002");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("Received C-GET Response (Success)"), r.output());
    assertSameInstances(datasets(out), MR_SOP);

    out = tmp.resolve("get2");
    r =
        getscu(
            "-S",
            out,
            "QueryRetrieveLevel=IMAGE",
            "StudyInstanceUID=" + CT_STUDY,
            "SeriesInstanceUID=" + CT_SERIES,
            "SOPInstanceUID=" + CT_SOP);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("Number of Completed Suboperations : 1"), r.output());
    assertSameInstances(datasets(out), CT_SOP);
  }

  // ------------------------------------------------------------------ DCMTK

  record Result(int exitCode, String output) {}

  private Result findscu(String model, Path out, String... keys) throws Exception {
    Files.createDirectories(out);
    return run(
        List.of(
            "findscu",
            "-v",
            model,
            "-aet",
            "DCMTK",
            "-aec",
            "STRATA-QR",
            "-X",
            "-od",
            out.toString()),
        keys);
  }

  private Result movescu(String model, String dest, String... keys) throws Exception {
    return run(
        List.of("movescu", "-v", model, "-aet", "DCMTK", "-aec", "STRATA-QR", "-aem", dest), keys);
  }

  private Result getscu(String model, Path out, String... keys) throws Exception {
    Files.createDirectories(out);
    return run(
        List.of(
            "getscu",
            "-v",
            model,
            "-aet",
            "DCMTK",
            "-aec",
            "STRATA-QR",
            "+B",
            "-od",
            out.toString()),
        keys);
  }

  private Result run(List<String> command, String... keys) throws Exception {
    return run(scp.port(), tmp, command, keys);
  }

  /** A DCMTK tool with {@code -k} keys, called on the SCP's port; its log in {@code tmp}. */
  static Result run(int port, Path tmp, List<String> command, String... keys) throws Exception {
    List<String> cmd = new ArrayList<>(command);
    for (String k : keys) {
      cmd.add("-k");
      cmd.add(k);
    }
    cmd.add("127.0.0.1");
    cmd.add(String.valueOf(port));
    Path log = Files.createTempFile(tmp, "dcmtk", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    // without it each small PDU waits for a delayed ACK
    pb.environment().put("TCP_NODELAY", "1");
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) { // hang guard only
      p.destroyForcibly();
      throw new IllegalStateException(cmd.get(0) + " did not end");
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** storescp +B (bit-preserving), accepting every syntax it knows, on the configured port. */
  private static Process storescp(Path dir) throws Exception {
    int port = storescpPort();
    Process p =
        new ProcessBuilder(
                "storescp",
                "+B",
                "+xa",
                "-od",
                dir.toString(),
                "-aet",
                "STORESCP",
                String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolveSibling("storescp.log").toFile())
            .start();
    for (int i = 0; i < 100; i++) { // ready when it accepts a connection
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return p;
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new IOException("storescp ended with " + p.exitValue());
        }
        Thread.sleep(100);
      }
    }
    p.destroyForcibly();
    throw new IOException("storescp did not come up");
  }

  /** The response identifiers findscu -X wrote (rsp0001.dcm...), in order. */
  private static List<Attributes> responses(Path dir) throws IOException {
    List<Attributes> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.getFileName().toString().startsWith("rsp")).sorted().toList()) {
        out.add(DicomInputStream.readFile(p));
      }
    }
    return out;
  }

  private static List<String> values(List<Attributes> rsps, int tag) {
    List<String> out = new ArrayList<>();
    for (Attributes a : rsps) {
      assertTrue(a.contains(tag), "key missing in a response");
      out.add(a.getString(tag));
    }
    return out;
  }

  /** SOP Instance UID to the data set (after the file meta information) of every file. */
  static Map<String, byte[]> datasets(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Part10File f = Part10File.read(p);
        try (InputStream in = f.openDataset()) {
          assertEquals(null, out.put(f.sopInstanceUid(), in.readAllBytes()), "twice: " + p);
        }
      }
    }
    return out;
  }

  /** Exactly these instances, each the data set of its sample file byte for byte. */
  private static void assertSameInstances(Map<String, byte[]> received, String... uids)
      throws IOException {
    assertEquals(new java.util.TreeSet<>(List.of(uids)), received.keySet());
    for (String uid : uids) {
      Part10File sample =
          Part10File.read(WadoTestData.SAMPLES.resolve(DimseTestData.FILES.get(uid)));
      try (InputStream in = sample.openDataset()) {
        assertArrayEquals(in.readAllBytes(), received.get(uid), uid);
      }
    }
  }

  private static void clear(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }
}
