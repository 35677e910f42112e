package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;

/**
 * Our SCU and SCP against Orthanc (Debian {@code orthanc}), started by the test with a generated
 * configuration (own DICOM and HTTP ports, storage in a temporary directory, our AE "STRATA" as its
 * only modality): C-ECHO, C-STORE, C-FIND, C-MOVE to our SCP, C-GET, and storage commitment in both
 * directions (Orthanc as SCU through its REST API, and as SCP answering our N-ACTION).
 */
class OrthancScuTest {
  private static final Path ORTHANC = Path.of("/usr/sbin/Orthanc");

  @TempDir Path tmp;

  QrArchive archive;
  int dicomPort;
  int httpPort;
  PeerProcess orthanc;
  DicomServer ours;
  final Map<String, byte[]> received = new ConcurrentHashMap<>();
  final CompletableFuture<StorageCommitment.Result> report = new CompletableFuture<>();
  final List<StorageCommitment.Request> commitRequests = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Files.isExecutable(ORTHANC), "orthanc missing");
    archive = new QrArchive(tmp.resolve("archive"));
    dicomPort = PeerProcess.freePort();
    httpPort = PeerProcess.freePort();
    // our SCP "STRATA": storage (C-MOVE destination), storage commitment SCP and report receiver
    List<TransferCapability> caps = new ArrayList<>();
    caps.add(TransferCapability.verificationScp());
    caps.addAll(TransferCapability.storageScp());
    caps.addAll(TransferCapability.storageCommitment());
    DimseRegistry registry =
        new DimseRegistry()
            .registerStorage(
                (rq, data) -> {
                  received.put(rq.sopInstanceUid(), data.readAllBytes());
                  return Status.SUCCESS;
                })
            .registerStorageCommitment(
                (as, rq) -> {
                  synchronized (commitRequests) {
                    commitRequests.add(rq);
                  }
                  // we "hold" the archive's instances only
                  List<StorageCommitment.Reference> ok = new ArrayList<>();
                  List<StorageCommitment.Failure> failed = new ArrayList<>();
                  for (StorageCommitment.Reference r : rq.references()) {
                    if (archive.files.containsKey(r.sopInstanceUid())) {
                      ok.add(r);
                    } else {
                      failed.add(
                          new StorageCommitment.Failure(
                              r.sopClassUid(),
                              r.sopInstanceUid(),
                              StorageCommitment.NO_SUCH_OBJECT_INSTANCE));
                    }
                  }
                  return new StorageCommitment.Result(rq.transactionUid(), ok, failed);
                },
                AeDirectory.of(Map.of("ORTHANC", new InetSocketAddress("127.0.0.1", dicomPort))),
                DicomClient.Options.DEFAULTS)
            .registerStorageCommitmentReports((as, result) -> report.complete(result));
    ours =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .applicationEntity(new ApplicationEntity("STRATA", caps))
            .registry(registry)
            .build()
            .start();
    Path db = Files.createDirectories(tmp.resolve("orthanc-db"));
    Path cfg = tmp.resolve("orthanc.json");
    Files.writeString(
        cfg,
        """
        {
          "Name" : "strata-test",
          "StorageDirectory" : "%s",
          "IndexDirectory" : "%s",
          "Plugins" : [],
          "HttpPort" : %d,
          "RemoteAccessAllowed" : false,
          "AuthenticationEnabled" : false,
          "DicomAet" : "ORTHANC",
          "DicomPort" : %d,
          "DicomCheckCalledAet" : true,
          "DicomScuTimeout" : 30,
          "SaveJobs" : false,
          "DicomModalities" : { "strata" : [ "STRATA", "127.0.0.1", %d ] }
        }
        """
            .formatted(db, db, httpPort, dicomPort, ours.port()));
    orthanc =
        PeerProcess.start(
            List.of(ORTHANC.toString(), cfg.toString()), tmp.resolve("orthanc.log"), httpPort);
    // the DICOM port opens after the HTTP one in some versions: wait for it too
    PeerProcess.awaitPort(dicomPort);
  }

  @AfterEach
  void stop() throws Exception {
    if (orthanc != null) {
      orthanc.close();
    }
    if (ours != null) {
      assertTrue(ours.awaitIdle(Duration.ofSeconds(30)));
      ours.close();
      assertEquals(0, ours.liveThreadCount());
    }
  }

  private DicomClient connect(DicomClient.Proposal proposal) throws Exception {
    return DicomClient.connect(
        "127.0.0.1", dicomPort, "STRATA", "ORTHANC", proposal, DicomClient.Options.DEFAULTS);
  }

  private void storeArchive() throws Exception {
    var storage = DicomClient.proposal().verification();
    for (Path f : archive.files.values()) {
      storage.add(Part10File.read(f));
    }
    try (DicomClient c = connect(storage)) {
      assertEquals(Status.SUCCESS, c.echo());
      for (Path f : archive.files.values()) {
        assertEquals(Status.SUCCESS, c.store(f), orthanc.log());
      }
    }
  }

  @Test
  void echoStoreFindMoveGet() throws Exception {
    storeArchive();
    var qr =
        DicomClient.proposal()
            .add(UID.StudyRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian)
            .add(UID.StudyRootQueryRetrieveInformationModelMove, UID.ExplicitVRLittleEndian)
            .add(UID.PatientRootQueryRetrieveInformationModelMove, UID.ExplicitVRLittleEndian);
    try (DicomClient c = connect(qr)) {
      Attributes keys = new Attributes();
      keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
      keys.setString(Tag.PatientID, VR.LO, "P1");
      keys.setString(Tag.StudyInstanceUID, VR.UI);
      keys.setString(Tag.StudyDescription, VR.LO);
      DicomClient.FindResult found = c.find(UID.StudyRootQueryRetrieveInformationModelFind, keys);
      assertEquals(Status.SUCCESS, found.status());
      Map<String, String> studies = new TreeMap<>();
      for (Attributes m : found.matches()) {
        studies.put(m.getString(Tag.StudyInstanceUID), m.getString(Tag.StudyDescription));
      }
      assertEquals(Map.of("2.25.100.1", "CT HEAD", "2.25.100.2", "CT CHEST"), studies);

      Attributes mk = new Attributes();
      mk.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
      mk.setString(Tag.StudyInstanceUID, VR.UI, "2.25.100.3");
      DicomClient.RetrieveResult moved =
          c.move(UID.StudyRootQueryRetrieveInformationModelMove, mk, "STRATA");
      assertEquals(Status.SUCCESS, moved.status(), orthanc.log());
      assertEquals(List.of(), moved.failedInstances());
      assertEquals(
          List.of("2.25.100.3.1.1", "2.25.100.3.1.2", "2.25.100.3.1.3"),
          List.copyOf(new TreeMap<>(received).keySet()));
      assertSameDataSets(received);

      Attributes unknown = new Attributes();
      unknown.setString(Tag.QueryRetrieveLevel, VR.CS, "PATIENT");
      unknown.setString(Tag.PatientID, VR.LO, "P3");
      int status =
          c.move(UID.PatientRootQueryRetrieveInformationModelMove, unknown, "NOWHERE").status();
      // Orthanc 1.10.1 answers an unknown destination with C000 (unable to process), not A801
      assertEquals(Status.UNABLE_TO_PROCESS, status, Status.hex(status));
    }

    Map<String, byte[]> got = new ConcurrentHashMap<>();
    var get =
        DicomClient.proposal()
            .add(UID.StudyRootQueryRetrieveInformationModelGet, UID.ExplicitVRLittleEndian)
            .retrieveStorage(TestFiles.SC, UID.ExplicitVRLittleEndian);
    try (DicomClient c = connect(get)) {
      Attributes gk = new Attributes();
      gk.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
      gk.setString(Tag.StudyInstanceUID, VR.UI, "2.25.100.1");
      DicomClient.RetrieveResult r =
          c.get(
              UID.StudyRootQueryRetrieveInformationModelGet,
              gk,
              (rq, data) -> {
                got.put(rq.sopInstanceUid(), data.readAllBytes());
                return Status.SUCCESS;
              });
      assertEquals(Status.SUCCESS, r.status(), orthanc.log());
      assertEquals(2, r.completed());
      assertEquals(0, r.failed());
    }
    assertEquals(
        List.of("2.25.100.1.1.1", "2.25.100.1.1.2"), List.copyOf(new TreeMap<>(got).keySet()));
    assertSameDataSets(got);
  }

  /** Orthanc may add nothing to what we stored: each data set comes back as sent. */
  private void assertSameDataSets(Map<String, byte[]> got) throws Exception {
    for (var e : got.entrySet()) {
      assertArrayEquals(
          SampleFiles.dataset(Part10File.read(archive.files.get(e.getKey()))),
          e.getValue(),
          e.getKey());
    }
  }

  @Test
  void storageCommitmentOurScuOrthancScp() throws Exception {
    storeArchive();
    StorageCommitment.Request rq =
        new StorageCommitment.Request(
            "2.25.7777",
            List.of(
                new StorageCommitment.Reference(TestFiles.SC, "2.25.100.1.1.1"),
                new StorageCommitment.Reference(TestFiles.SC, "2.25.100.4.1.1"),
                new StorageCommitment.Reference(TestFiles.SC, "2.25.404.1")));
    try (DicomClient c = connect(DicomClient.proposal().storageCommitment())) {
      assertEquals(Status.SUCCESS, c.requestStorageCommitment(rq));
    }
    // Orthanc reports on a new association to STRATA (hang guard only)
    StorageCommitment.Result r = report.get(120, TimeUnit.SECONDS);
    assertEquals("2.25.7777", r.transactionUid());
    assertEquals(
        List.of(
            new StorageCommitment.Reference(TestFiles.SC, "2.25.100.1.1.1"),
            new StorageCommitment.Reference(TestFiles.SC, "2.25.100.4.1.1")),
        r.committed());
    assertEquals(
        List.of(
            new StorageCommitment.Failure(
                TestFiles.SC, "2.25.404.1", StorageCommitment.NO_SUCH_OBJECT_INSTANCE)),
        r.failed());
    assertEquals(StorageCommitment.EVENT_FAILURES, r.eventTypeId());
  }

  @Test
  void storageCommitmentOrthancScuOurScp() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String body =
        """
        { "DicomInstances" : [
            { "SOPClassUID" : "%s", "SOPInstanceUID" : "2.25.100.2.1.1" },
            { "SOPClassUID" : "%s", "SOPInstanceUID" : "2.25.405.1" } ] }
        """
            .formatted(TestFiles.SC, TestFiles.SC);
    HttpResponse<String> posted =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + httpPort + "/modalities/strata/storage-commitment"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, posted.statusCode(), posted.body());
    String tx = field(posted.body(), "ID");
    assertNotNull(tx, posted.body());
    // poll Orthanc's view of the transaction until it is no longer pending (hang guard: 1200)
    String state = null;
    String json = null;
    for (int i = 0; i < 1200; i++) {
      json =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + httpPort + "/storage-commitment/" + tx))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      state = field(json, "Status");
      if (!"Pending".equals(state)) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals("Failure", state, json + "\n" + orthanc.log());
    // the instance we hold is in "Success", the other one failed with 0112 (274)
    String success = json.substring(json.indexOf("\"Success\""));
    assertTrue(success.contains("2.25.100.2.1.1"), json);
    String failures = json.substring(json.indexOf("\"Failures\""), json.indexOf("\"Status\""));
    assertTrue(failures.contains("2.25.405.1") && failures.contains("274"), json);
    assertTrue(!failures.contains("2.25.100.2.1.1"), json);
    synchronized (commitRequests) {
      assertEquals(1, commitRequests.size());
      assertEquals(tx, commitRequests.get(0).transactionUid());
      assertEquals(2, commitRequests.get(0).references().size());
    }
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }
}
