package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;

/**
 * Our C-MOVE and C-GET SCU against our SCP with a sub-operation failing: the final status, the
 * counts and the Failed SOP Instance UID List reach the caller.
 */
class RetrieveScuTest {
  @TempDir Path tmp;

  static final String FAILING = "2.25.100.3.1.2";

  private static Attributes study(String uid) {
    Attributes k = new Attributes();
    k.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
    k.setString(Tag.StudyInstanceUID, VR.UI, uid);
    return k;
  }

  /** A C-STORE handler keeping what it gets, failing one instance with A700. */
  private static CStoreHandler failingOne(Set<String> stored) {
    return (rq, data) -> {
      data.readAllBytes();
      if (rq.sopInstanceUid().equals(FAILING)) {
        throw new DimseException(Status.OUT_OF_RESOURCES, "disk full");
      }
      stored.add(rq.sopInstanceUid());
      return Status.SUCCESS;
    };
  }

  @Test
  void moveAndGetReportFailures() throws Exception {
    QrArchive archive = new QrArchive(tmp.resolve("archive"));
    Set<String> moved = ConcurrentHashMap.newKeySet();
    try (DicomServer dest =
            DicomServer.builder()
                .bind("127.0.0.1", 0)
                .storageAE("PARTIAL")
                .registry(new DimseRegistry().registerStorage(failingOne(moved)))
                .build()
                .start();
        DicomServer qr =
            archive.server(
                archive.findHandler(),
                MoveDestinations.of(
                    Map.of("PARTIAL", new InetSocketAddress("127.0.0.1", dest.port()))))) {
      var proposal =
          DicomClient.proposal()
              .add(UID.StudyRootQueryRetrieveInformationModelMove, UID.ExplicitVRLittleEndian)
              .add(UID.StudyRootQueryRetrieveInformationModelGet, UID.ExplicitVRLittleEndian)
              .retrieveStorage(TestFiles.SC, UID.ExplicitVRLittleEndian);
      Set<String> got = ConcurrentHashMap.newKeySet();
      try (DicomClient c =
          DicomClient.connect(
              "127.0.0.1", qr.port(), "ME", "QRSCP", proposal, DicomClient.Options.DEFAULTS)) {
        DicomClient.RetrieveResult m =
            c.move(UID.StudyRootQueryRetrieveInformationModelMove, study("2.25.100.3"), "PARTIAL");
        assertEquals(new DicomClient.RetrieveResult(0xB000, -1, 2, 1, 0, List.of(FAILING)), m);
        assertEquals(Set.of("2.25.100.3.1.1", "2.25.100.3.1.3"), moved);

        DicomClient.RetrieveResult g =
            c.get(
                UID.StudyRootQueryRetrieveInformationModelGet,
                study("2.25.100.3"),
                failingOne(got));
        assertEquals(new DicomClient.RetrieveResult(0xB000, -1, 2, 1, 0, List.of(FAILING)), g);
        assertEquals(Set.of("2.25.100.3.1.1", "2.25.100.3.1.3"), got);

        // all fine, several operations on one association
        DicomClient.RetrieveResult ok =
            c.get(
                UID.StudyRootQueryRetrieveInformationModelGet,
                study("2.25.100.1"),
                (rq, data) -> {
                  data.readAllBytes();
                  got.add(rq.sopInstanceUid());
                  return Status.SUCCESS;
                });
        assertEquals(new DicomClient.RetrieveResult(0, -1, 2, 0, 0, List.of()), ok);
        assertTrue(got.containsAll(Set.of("2.25.100.1.1.1", "2.25.100.1.1.2")));
      }
      // cancel after the first Pending response: FE00; one or two sub-operations done, depending
      // on whether the C-CANCEL-RQ overtakes the second C-STORE; the rest is reported remaining
      try (DicomClient c =
          DicomClient.connect(
              "127.0.0.1", qr.port(), "ME", "QRSCP", proposal, DicomClient.Options.DEFAULTS)) {
        Set<String> some = ConcurrentHashMap.newKeySet();
        java.util.List<Integer> pendingRemaining = new java.util.ArrayList<>();
        DicomClient.RetrieveResult r =
            c.get(
                UID.StudyRootQueryRetrieveInformationModelGet,
                study("2.25.100.3"),
                (rq, data) -> {
                  data.readAllBytes();
                  some.add(rq.sopInstanceUid());
                  return Status.SUCCESS;
                },
                (remaining, completed, failed, warning) -> {
                  pendingRemaining.add(remaining);
                  return false;
                });
        assertEquals(Status.CANCEL, r.status());
        assertEquals(List.of(2), pendingRemaining.subList(0, 1));
        assertTrue(r.completed() == 1 || r.completed() == 2, r.toString());
        assertEquals(3 - r.completed(), r.remaining());
        assertEquals(r.completed(), some.size());
        assertEquals(
            Status.SUCCESS,
            c.move(UID.StudyRootQueryRetrieveInformationModelMove, study("2.25.100.4"), "PARTIAL")
                .status()); // the association goes on
      }
      assertTrue(qr.awaitIdle(Duration.ofSeconds(30)));
      assertTrue(dest.awaitIdle(Duration.ofSeconds(30)));
    }
  }
}
