package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.io.DicomInputStream;

/** Our C-FIND, C-MOVE and C-GET SCPs against DCMTK's findscu, movescu and getscu. */
class DcmtkQueryRetrieveTest {

  @TempDir Path tmp;

  DicomServer server;

  @AfterEach
  void noLeak() throws InterruptedException {
    if (server != null) {
      assertTrue(server.awaitIdle(Duration.ofSeconds(30)));
      server.close();
      assertEquals(0, server.liveThreadCount());
    }
  }

  private Dcmtk.Result findscu(String model, Path out, String... args) throws Exception {
    List<String> cmd =
        Dcmtk.cmd(
            "findscu", "-v", model, "-aet", "DCMTK", "-aec", "QRSCP", "-X", "-od", out.toString());
    cmd.addAll(List.of(args));
    cmd.add("127.0.0.1");
    cmd.add("" + server.port());
    Files.createDirectories(out);
    return Dcmtk.run(cmd);
  }

  /** The response identifiers findscu wrote (rsp0001.dcm...), in order. */
  private static List<Attributes> responses(Path dir) throws IOException {
    List<Attributes> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.getFileName().toString().startsWith("rsp")).sorted().toList()) {
        out.add(DicomInputStream.readFile(p));
      }
    }
    return out;
  }

  private static Set<String> values(List<Attributes> rsps, int tag) {
    Set<String> s = new TreeSet<>();
    for (Attributes a : rsps) {
      s.add(a.getString(tag));
    }
    return s;
  }

  @Test
  void findscuStudyRootAndPatientRoot() throws Exception {
    assumeTrue(Dcmtk.available("findscu"), "dcmtk missing");
    QrArchive archive = new QrArchive(tmp.resolve("archive"));
    server = archive.server(archive.findHandler(), ae -> null);

    // study root, the studies of patient P1
    Path out = tmp.resolve("find1");
    Dcmtk.Result r =
        findscu(
            "-S",
            out,
            "-k",
            "QueryRetrieveLevel=STUDY",
            "-k",
            "PatientID=P1",
            "-k",
            "StudyInstanceUID",
            "-k",
            "StudyDescription",
            "-k",
            "StudyDate");
    assertEquals(0, r.exitCode(), r.output());
    List<Attributes> rsps = responses(out);
    assertEquals(2, rsps.size(), r.output());
    assertEquals(Set.of("2.25.100.1", "2.25.100.2"), values(rsps, Tag.StudyInstanceUID));
    assertEquals(Set.of("CT HEAD", "CT CHEST"), values(rsps, Tag.StudyDescription));
    assertEquals(Set.of("P1"), values(rsps, Tag.PatientID));
    assertEquals(Set.of("STUDY"), values(rsps, Tag.QueryRetrieveLevel));
    assertEquals(2, count(r.output(), "(Pending)"), r.output());
    assertTrue(r.output().contains("Received Final Find Response (Success)"), r.output());

    // patient root, patients whose name starts with B or G
    out = tmp.resolve("find2");
    r =
        findscu(
            "-P",
            out,
            "-k",
            "QueryRetrieveLevel=PATIENT",
            "-k",
            "PatientName=*A^T*",
            "-k",
            "PatientID");
    assertEquals(0, r.exitCode(), r.output());
    rsps = responses(out);
    assertEquals(Set.of("P2", "P3"), values(rsps, Tag.PatientID), r.output());
    assertEquals(Set.of("BETA^TWO", "GAMMA^THREE"), values(rsps, Tag.PatientName));
    assertTrue(r.output().contains("Received Final Find Response (Success)"), r.output());
    assertEquals(2, archive.streamsClosed.get());
  }

  @Test
  void findscuCancelStopsAnEndlessQuery() throws Exception {
    assumeTrue(Dcmtk.available("findscu"), "dcmtk missing");
    QrArchive archive = new QrArchive(tmp.resolve("archive"));
    // the handler never runs out of matches: only the C-CANCEL can end this C-FIND
    server = archive.server(archive.endlessHandler(), ae -> null);
    Path out = tmp.resolve("cancel");
    Dcmtk.Result r =
        findscu(
            "-S", out, "--cancel", "3", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("Sending Cancel Request (MsgID 1"), r.output());
    assertTrue(
        r.output()
            .contains(
                "Received Final Find Response (Cancel: MatchingTerminatedDueToCancelRequest)"),
        r.output());
    List<Attributes> rsps = responses(out);
    assertTrue(rsps.size() >= 3, r.output());
    assertEquals("2.25.999.1", rsps.get(0).getString(Tag.StudyInstanceUID));
    assertTrue(server.awaitIdle(Duration.ofSeconds(30)));
    assertEquals(1, archive.streamsClosed.get());
  }

  @Test
  void findscuSeesFailureStatuses() throws Exception {
    assumeTrue(Dcmtk.available("findscu"), "dcmtk missing");
    QrArchive archive = new QrArchive(tmp.resolve("archive"));
    server =
        archive.server(
            (rq, keys) -> {
              String id = keys.getString(Tag.PatientID);
              return switch (id) {
                case "FULL" -> throw new DimseException(Status.OUT_OF_RESOURCES, "full");
                case "BAD" ->
                    throw new DimseException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "bad");
                default -> // one match, then a failure while iterating
                    Stream.of(1, 2)
                        .map(
                            i -> {
                              if (i == 2) {
                                throw new IllegalStateException("index gone");
                              }
                              return CFindHandler.Match.of(keys);
                            });
              };
            },
            ae -> null);
    Dcmtk.Result r =
        findscu("-S", tmp.resolve("f1"), "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=FULL");
    assertTrue(
        r.output().contains("Received Final Find Response (Refused: OutOfResources)"), r.output());
    r = findscu("-S", tmp.resolve("f2"), "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=BAD");
    assertTrue(
        r.output().contains("Received Final Find Response (Error: DataSetDoesNotMatchSOPClass)"),
        r.output());
    r = findscu("-S", tmp.resolve("f3"), "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=X");
    assertEquals(1, responses(tmp.resolve("f3")).size(), r.output());
    assertTrue(
        r.output().contains("Received Final Find Response (Failed: UnableToProcess)"), r.output());
  }

  private Dcmtk.Result movescu(String model, String dest, String... keys) throws Exception {
    return movescuAt("-v", model, dest, keys);
  }

  private Dcmtk.Result movescuAt(String verbosity, String model, String dest, String... keys)
      throws Exception {
    List<String> cmd =
        Dcmtk.cmd("movescu", verbosity, model, "-aet", "DCMTK", "-aec", "QRSCP", "-aem", dest);
    for (String k : keys) {
      cmd.add("-k");
      cmd.add(k);
    }
    cmd.add("127.0.0.1");
    cmd.add("" + server.port());
    return Dcmtk.run(cmd);
  }

  /** SOP instance UID to data set bytes (after the file meta information) of every file. */
  static Map<String, byte[]> datasets(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Part10File f = Part10File.read(p);
        assertEquals(null, out.put(f.sopInstanceUid(), SampleFiles.dataset(f)), "twice: " + p);
      }
    }
    return out;
  }

  /** Asserts that {@code received} holds exactly these archive instances, byte for byte. */
  static void assertSameInstances(QrArchive archive, Map<String, byte[]> received, String... uids)
      throws IOException {
    assertEquals(new TreeSet<>(List.of(uids)), received.keySet());
    for (String uid : uids) {
      byte[] expected = SampleFiles.dataset(Part10File.read(archive.files.get(uid)));
      assertArrayEquals(expected, received.get(uid), uid);
    }
  }

  @Test
  void movescuToStorescpStudyRootAndPatientRoot() throws Exception {
    assumeTrue(Dcmtk.available("movescu") && Dcmtk.available("storescp"), "dcmtk missing");
    QrArchive archive = new QrArchive(tmp.resolve("archive"));
    Path rcv = Files.createDirectories(tmp.resolve("storescp"));
    try (StoreScpProcess scp = new StoreScpProcess(rcv, "STORESCP")) {
      server =
          archive.server(
              archive.findHandler(),
              MoveDestinations.of(
                  Map.of("STORESCP", new InetSocketAddress("127.0.0.1", scp.port))));
      Dcmtk.Result r =
          movescu("-S", "STORESCP", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=2.25.100.3");
      assertEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains("Received Final Move Response (Success)"), r.output());
      // two Pending responses between the three sub-operations
      assertEquals(2, count(r.output(), "Received Move Response"), r.output());
      assertSameInstances(
          archive, datasets(rcv), "2.25.100.3.1.1", "2.25.100.3.1.2", "2.25.100.3.1.3");
      // the sub-association is released before the final response: storescp has everything
      for (Path p : Files.list(rcv).toList()) {
        Files.delete(p);
      }
      r = movescu("-P", "STORESCP", "QueryRetrieveLevel=PATIENT", "PatientID=P1");
      assertEquals(0, r.exitCode(), r.output());
      assertTrue(r.output().contains("Received Final Move Response (Success)"), r.output());
      assertSameInstances(
          archive, datasets(rcv), "2.25.100.1.1.1", "2.25.100.1.1.2", "2.25.100.2.1.1");
      // nothing matches: Success without sub-operations, nothing sent
      for (Path p : Files.list(rcv).toList()) {
        Files.delete(p);
      }
      r = movescu("-S", "STORESCP", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=2.25.404");
      assertTrue(r.output().contains("Received Final Move Response (Success)"), r.output());
      assertEquals(0, datasets(rcv).size());
    }
  }

  @Test
  void movescuFailures() throws Exception {
    assumeTrue(Dcmtk.available("movescu") && Dcmtk.available("storescp"), "dcmtk missing");
    QrArchive archive = new QrArchive(tmp.resolve("archive"));
    Path rcv = Files.createDirectories(tmp.resolve("refusing"));
    // a destination of ours that fails one instance with A700
    Path ours = Files.createDirectories(tmp.resolve("ours"));
    DimseRegistry failing =
        new DimseRegistry()
            .registerStorage(
                (rq, data) -> {
                  if (rq.sopInstanceUid().equals("2.25.100.3.1.2")) {
                    throw new DimseException(Status.OUT_OF_RESOURCES, "disk full");
                  }
                  Files.write(ours.resolve(rq.sopInstanceUid()), data.readAllBytes());
                  return Status.SUCCESS;
                });
    try (StoreScpProcess scp = new StoreScpProcess(rcv, "REFUSER", "--refuse");
        DicomServer dest =
            DicomServer.builder()
                .bind("127.0.0.1", 0)
                .storageAE("PARTIAL")
                .registry(failing)
                .build()
                .start()) {
      server =
          archive.server(
              archive.findHandler(),
              MoveDestinations.of(
                  Map.of(
                      "REFUSER", new InetSocketAddress("127.0.0.1", scp.port),
                      "PARTIAL", new InetSocketAddress("127.0.0.1", dest.port()))));
      Dcmtk.Result r =
          movescu("-S", "NOWHERE", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=2.25.100.3");
      assertTrue(
          r.output().contains("Received Final Move Response (Refused: MoveDestinationUnknown)"),
          r.output());
      r = movescu("-S", "REFUSER", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=2.25.100.3");
      assertTrue(
          r.output()
              .contains("Received Final Move Response (Refused: OutOfResourcesSubOperations)"),
          r.output());
      r =
          movescuAt(
              "-d", "-S", "PARTIAL", "QueryRetrieveLevel=STUDY", "StudyInstanceUID=2.25.100.3");
      String out = r.output();
      // the final response as movescu -d prints it
      String fin = out.substring(out.indexOf("Received Final Move Response"));
      assertTrue(
          fin.contains("DIMSE Status                  : 0xb000: Warning: Sub-operations complete"),
          out);
      assertTrue(fin.contains("Remaining Suboperations       : none"), out);
      assertTrue(fin.contains("Completed Suboperations       : 2"), out);
      assertTrue(fin.contains("Failed Suboperations          : 1"), out);
      assertTrue(fin.contains("Warning Suboperations         : 0"), out);
      assertTrue(fin.contains("(0008,0058) UI [2.25.100.3.1.2]"), out);
      // Pending responses: 2 remaining after the first, 1 after the second (which failed)
      assertEquals(
          2,
          count(out, "Remaining Suboperations       : 2")
              + count(out, "Remaining Suboperations       : 1"),
          out);
      try (Stream<Path> s = Files.list(ours)) {
        assertEquals(
            Set.of("2.25.100.3.1.1", "2.25.100.3.1.3"),
            s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
      }
      assertTrue(dest.awaitIdle(Duration.ofSeconds(30)));
    }
  }

  private Dcmtk.Result getscu(String model, Path out, String... keys) throws Exception {
    Files.createDirectories(out);
    List<String> cmd =
        Dcmtk.cmd(
            "getscu", "-v", model, "-aet", "DCMTK", "-aec", "QRSCP", "+B", "-od", out.toString());
    for (String k : keys) {
      cmd.add("-k");
      cmd.add(k);
    }
    cmd.add("127.0.0.1");
    cmd.add("" + server.port());
    return Dcmtk.run(cmd);
  }

  @Test
  void getscuReceivesOnTheSameAssociation() throws Exception {
    assumeTrue(Dcmtk.available("getscu"), "dcmtk missing");
    QrArchive archive = new QrArchive(tmp.resolve("archive"));
    server = archive.server(archive.findHandler(), ae -> null);
    Path out = tmp.resolve("get1");
    Dcmtk.Result r = getscu("-S", out, "QueryRetrieveLevel=STUDY", "StudyInstanceUID=2.25.100.3");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("Received C-GET Response (Success)"), r.output());
    assertEquals(3, count(r.output(), "Sending C-STORE Response (Success)"), r.output());
    assertTrue(r.output().contains("Number of Completed Suboperations : 3"), r.output());
    assertTrue(r.output().contains("Number of Failed Suboperations    : 0"), r.output());
    assertSameInstances(
        archive, datasets(out), "2.25.100.3.1.1", "2.25.100.3.1.2", "2.25.100.3.1.3");

    out = tmp.resolve("get2");
    r = getscu("-P", out, "QueryRetrieveLevel=PATIENT", "PatientID=P1");
    assertEquals(0, r.exitCode(), r.output());
    assertSameInstances(
        archive, datasets(out), "2.25.100.1.1.1", "2.25.100.1.1.2", "2.25.100.2.1.1");

    out = tmp.resolve("get3");
    r =
        getscu(
            "-P",
            out,
            "QueryRetrieveLevel=IMAGE",
            "PatientID=P3",
            "StudyInstanceUID=2.25.100.4",
            "SOPInstanceUID=2.25.100.4.1.1");
    assertEquals(0, r.exitCode(), r.output());
    assertSameInstances(archive, datasets(out), "2.25.100.4.1.1");
  }

  @Test
  void getscuWithoutAcceptableStorageContextGetsA702() throws Exception {
    assumeTrue(Dcmtk.available("getscu"), "dcmtk missing");
    // two instances in implicit VR little endian; this getscu proposes explicit VR little endian
    // only for storage, and we do not transcode: both sub-operations fail
    Path dir = Files.createDirectories(tmp.resolve("implicit"));
    List<RetrieveHandler.Instance> instances = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      Path f = TestFiles.write(dir, i + ".dcm", TestFiles.smallInstance("2.25.7." + i, i));
      instances.add(RetrieveHandler.Instance.of(Part10File.read(f)));
    }
    server =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .archiveAE("QRSCP")
            .registry(new DimseRegistry().registerGet((rq, keys) -> instances))
            .build()
            .start();
    Path out = Files.createDirectories(tmp.resolve("get"));
    // +xi: getscu takes implicit VR only; the archive's files are explicit VR and we do not
    // transcode, so every sub-operation fails
    List<String> cmd =
        Dcmtk.cmd(
            "getscu",
            "-v",
            "+v",
            "-S",
            "+xi",
            "-aet",
            "DCMTK",
            "-aec",
            "QRSCP",
            "-od",
            out.toString());
    cmd.addAll(
        List.of(
            "-k",
            "QueryRetrieveLevel=STUDY",
            "-k",
            "StudyInstanceUID=2.25.100.1",
            "127.0.0.1",
            "" + server.port()));
    Dcmtk.Result r = Dcmtk.run(cmd);
    assertTrue(r.output().contains("Number of Failed Suboperations    : 2"), r.output());
    assertTrue(r.output().contains("Number of Completed Suboperations : 0"), r.output());
    assertTrue(
        r.output().contains("Received C-GET Response (Refused: OutOfResourcesSubOperations)"),
        r.output());
    // this getscu (3.6.7) does not read the identifier of the final response (the Failed SOP
    // Instance UID List, PS3.4 C.4.3.1.3.1): it finds a P-DATA-TF where it awaits A-RELEASE-RP
    // and aborts. The list itself is checked against movescu.
    assertEquals(0, datasets(out).size());
  }

  static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }
}
