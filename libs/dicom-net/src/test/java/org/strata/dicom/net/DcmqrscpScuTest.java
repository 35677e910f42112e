package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;

/**
 * Our SCU against DCMTK's dcmqrscp, configured by the test in a temporary directory: C-ECHO,
 * C-STORE of the {@link QrArchive} instances into its storage area, C-FIND, C-MOVE to our own SCP
 * as move destination and C-GET, asserting exactly what arrived.
 */
class DcmqrscpScuTest {

  @TempDir Path tmp;

  private PeerProcess dcmqrscp(int port, int destinationPort) throws Exception {
    Path storage = Files.createDirectories(tmp.resolve("storage"));
    Path cfg = tmp.resolve("dcmqrscp.cfg");
    Files.writeString(
        cfg,
        """
        NetworkTCPPort  = %d
        MaxPDUSize      = 16384
        MaxAssociations = 16

        HostTable BEGIN
        strata = (STRATA, 127.0.0.1, %d)
        HostTable END

        VendorTable BEGIN
        VendorTable END

        AETable BEGIN
        DCMQR %s RW (100, 64mb) ANY
        AETable END
        """
            .formatted(port, destinationPort, storage));
    return PeerProcess.start(
        List.of("dcmqrscp", "-v", "-c", cfg.toString(), "" + port),
        tmp.resolve("dcmqrscp.log"),
        port);
  }

  private static DicomClient connect(int port, DicomClient.Proposal proposal) throws Exception {
    return DicomClient.connect(
        "127.0.0.1", port, "STRATA", "DCMQR", proposal, DicomClient.Options.DEFAULTS);
  }

  @Test
  void echoStoreFindMoveGet() throws Exception {
    assumeTrue(Dcmtk.available("dcmqrscp"), "dcmtk missing");
    QrArchive archive = new QrArchive(tmp.resolve("archive"));
    int port = PeerProcess.freePort();
    try (ReceivingServer dest =
            new ReceivingServer(
                tmp.resolve("moved"), AssociationConfig.DEFAULTS, UserIdentityAuthenticator.NONE);
        // (forking mode: dcmqrscp 3.6.7 --single-process crashes after the first release)
        PeerProcess peer = dcmqrscp(port, dest.port())) {

      // C-ECHO and C-STORE of the 7 instances on one association
      var storage = DicomClient.proposal().verification();
      for (Path f : archive.files.values()) {
        storage.add(Part10File.read(f));
      }
      try (DicomClient c = connect(port, storage)) {
        assertEquals(Status.SUCCESS, c.echo());
        for (Path f : archive.files.values()) {
          assertEquals(Status.SUCCESS, c.store(f), peer.log());
        }
      }

      var qr =
          DicomClient.proposal()
              .add(UID.StudyRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian)
              .add(UID.PatientRootQueryRetrieveInformationModelFind, UID.ExplicitVRLittleEndian)
              .add(UID.StudyRootQueryRetrieveInformationModelMove, UID.ExplicitVRLittleEndian)
              .add(UID.PatientRootQueryRetrieveInformationModelMove, UID.ExplicitVRLittleEndian);
      try (DicomClient c = connect(port, qr)) {
        // C-FIND Study Root, STUDY level, the studies of patient P1
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.PatientID, VR.LO, "P1");
        keys.setString(Tag.StudyInstanceUID, VR.UI);
        keys.setString(Tag.StudyDate, VR.DA);
        DicomClient.FindResult found = c.find(UID.StudyRootQueryRetrieveInformationModelFind, keys);
        assertEquals(Status.SUCCESS, found.status());
        Map<String, String> studies = new TreeMap<>();
        for (Attributes m : found.matches()) {
          studies.put(m.getString(Tag.StudyInstanceUID), m.getString(Tag.StudyDate));
        }
        assertEquals(Map.of("2.25.100.1", "20200101", "2.25.100.2", "20210315"), studies);

        // C-FIND Patient Root, PATIENT level, wildcard name
        Attributes pk = new Attributes();
        pk.setString(Tag.QueryRetrieveLevel, VR.CS, "PATIENT");
        pk.setString(Tag.PatientName, VR.PN, "*A*E*");
        pk.setString(Tag.PatientID, VR.LO);
        DicomClient.FindResult patients =
            c.find(UID.PatientRootQueryRetrieveInformationModelFind, pk);
        assertEquals(Status.SUCCESS, patients.status());
        Map<String, String> byId = new TreeMap<>();
        for (Attributes m : patients.matches()) {
          byId.put(m.getString(Tag.PatientID), m.getString(Tag.PatientName));
        }
        assertEquals(Map.of("P1", "ALPHA^ONE", "P3", "GAMMA^THREE"), byId);

        // C-MOVE of study 2.25.100.3 (3 instances) to our SCP
        Attributes mk = new Attributes();
        mk.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        mk.setString(Tag.StudyInstanceUID, VR.UI, "2.25.100.3");
        DicomClient.RetrieveResult moved =
            c.move(UID.StudyRootQueryRetrieveInformationModelMove, mk, "STRATA");
        assertEquals(Status.SUCCESS, moved.status(), peer.log());
        assertEquals(3, moved.completed());
        assertEquals(0, moved.failed());
        assertEquals(0, moved.warning());
        Map<String, byte[]> arrived = new TreeMap<>();
        for (ReceivingServer.Received r : dest.received) {
          arrived.put(r.sopInstanceUid(), Files.readAllBytes(r.file()));
        }
        assertEquals(List.of("2.25.100.3.1.1", "2.25.100.3.1.2", "2.25.100.3.1.3"), keys(arrived));
        for (var e : arrived.entrySet()) {
          assertArrayEquals(
              SampleFiles.dataset(Part10File.read(archive.files.get(e.getKey()))), e.getValue());
        }

        // C-MOVE Patient Root to an unknown destination: A801
        Attributes pm = new Attributes();
        pm.setString(Tag.QueryRetrieveLevel, VR.CS, "PATIENT");
        pm.setString(Tag.PatientID, VR.LO, "P3");
        DicomClient.RetrieveResult unknown =
            c.move(UID.PatientRootQueryRetrieveInformationModelMove, pm, "NOWHERE");
        assertEquals(Status.MOVE_DESTINATION_UNKNOWN, unknown.status());
        assertEquals(3, dest.received.size());
      }

      // C-GET of patient P1 (3 instances) on one association, as SCP of the storage class
      Map<String, byte[]> got = new ConcurrentHashMap<>();
      var get =
          DicomClient.proposal()
              .add(UID.PatientRootQueryRetrieveInformationModelGet, UID.ExplicitVRLittleEndian)
              .retrieveStorage(TestFiles.SC, UID.ExplicitVRLittleEndian);
      try (DicomClient c = connect(port, get)) {
        Attributes gk = new Attributes();
        gk.setString(Tag.QueryRetrieveLevel, VR.CS, "PATIENT");
        gk.setString(Tag.PatientID, VR.LO, "P1");
        DicomClient.RetrieveResult r =
            c.get(
                UID.PatientRootQueryRetrieveInformationModelGet,
                gk,
                (rq, data) -> {
                  got.put(rq.sopInstanceUid(), data.readAllBytes());
                  return Status.SUCCESS;
                });
        assertEquals(Status.SUCCESS, r.status(), peer.log());
        assertEquals(3, r.completed());
        assertEquals(0, r.failed());
      }
      assertEquals(List.of("2.25.100.1.1.1", "2.25.100.1.1.2", "2.25.100.2.1.1"), keys(got));
      for (var e : got.entrySet()) {
        assertArrayEquals(
            SampleFiles.dataset(Part10File.read(archive.files.get(e.getKey()))), e.getValue());
      }
      assertTrue(dest.server.awaitIdle(java.time.Duration.ofSeconds(30)));
    }
  }

  private static List<String> keys(Map<String, byte[]> m) {
    return new TreeMap<>(m).keySet().stream().toList();
  }
}
