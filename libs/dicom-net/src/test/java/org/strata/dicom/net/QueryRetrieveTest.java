package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;

/** Our C-FIND SCU against our C-FIND SCP. */
class QueryRetrieveTest {
  static final String STUDY_FIND = UID.StudyRootQueryRetrieveInformationModelFind;

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

  private DicomClient connect(String... transferSyntaxes) throws Exception {
    var proposal =
        DicomClient.proposal()
            .add(STUDY_FIND, transferSyntaxes)
            .add(UID.PatientRootQueryRetrieveInformationModelFind, UID.ImplicitVRLittleEndian);
    return DicomClient.connect(
        "127.0.0.1", server.port(), "SCU", "QRSCP", proposal, DicomClient.Options.DEFAULTS);
  }

  private static Attributes studyKeys(String patientId) {
    Attributes k = new Attributes();
    k.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
    k.setString(Tag.PatientID, VR.LO, patientId);
    k.set(Tag.StudyInstanceUID, VR.UI, null);
    k.set(Tag.StudyDescription, VR.LO, null);
    return k;
  }

  private static Set<String> values(List<Attributes> l, int tag) {
    Set<String> s = new TreeSet<>();
    l.forEach(a -> s.add(a.getString(tag)));
    return s;
  }

  @Test
  void findCollectsMatchesInEveryIdentifierEncoding() throws Exception {
    QrArchive archive = new QrArchive(tmp);
    server = archive.server(archive.findHandler(), ae -> null);
    for (String ts :
        List.of(
            UID.ImplicitVRLittleEndian,
            UID.ExplicitVRLittleEndian,
            UID.DeflatedExplicitVRLittleEndian)) {
      try (DicomClient c = connect(ts)) {
        assertEquals(ts, c.association().findContext(STUDY_FIND, null).transferSyntax());
        DicomClient.FindResult r = c.find(STUDY_FIND, studyKeys("P*"));
        assertEquals(Status.SUCCESS, r.status());
        assertEquals(
            Set.of("2.25.100.1", "2.25.100.2", "2.25.100.3", "2.25.100.4"),
            values(r.matches(), Tag.StudyInstanceUID),
            ts);
        assertEquals(
            Set.of("CT HEAD", "CT CHEST", "MR KNEE", "US ABDOMEN"),
            values(r.matches(), Tag.StudyDescription));
        // a second query on the same association, no match
        r = c.find(STUDY_FIND, studyKeys("NOBODY"));
        assertEquals(Status.SUCCESS, r.status());
        assertEquals(0, r.matches().size());
      }
    }
    assertEquals(6, archive.streamsClosed.get());
  }

  @Test
  void cancelEndsAnEndlessFind() throws Exception {
    QrArchive archive = new QrArchive(tmp);
    server = archive.server(archive.endlessHandler(), ae -> null);
    try (DicomClient c = connect(UID.ExplicitVRLittleEndian)) {
      DicomClient.FindResult r = c.find(STUDY_FIND, studyKeys("*"), 3);
      assertEquals(Status.CANCEL, r.status());
      assertTrue(r.cancelled());
      assertEquals(3, r.matches().size());
      assertEquals("2.25.999.1", r.matches().get(0).getString(Tag.StudyInstanceUID));
      // the association is still usable
      assertEquals(Status.CANCEL, c.find(STUDY_FIND, studyKeys("*"), 1).status());
    }
    assertTrue(server.awaitIdle(Duration.ofSeconds(30)));
    assertEquals(2, archive.streamsClosed.get());
  }

  @Test
  void warningsAndFailures() throws Exception {
    QrArchive archive = new QrArchive(tmp);
    server =
        archive.server(
            (rq, keys) ->
                switch (keys.getString(Tag.PatientID)) {
                  case "WARN" ->
                      Stream.of(new CFindHandler.Match(keys, true), CFindHandler.Match.of(keys));
                  case "FAIL_LATE" ->
                      Stream.of(1, 2)
                          .map(
                              i -> {
                                if (i == 2) {
                                  throw new UncheckedDimseException(
                                      Status.OUT_OF_RESOURCES, "too many");
                                }
                                return CFindHandler.Match.of(keys);
                              });
                  default -> throw new DimseException(0xC123, "unable");
                },
            ae -> null);
    try (DicomClient c = connect(UID.ExplicitVRLittleEndian)) {
      // FF01 (optional keys not supported) is a Pending status too
      DicomClient.FindResult r = c.find(STUDY_FIND, studyKeys("WARN"));
      assertEquals(Status.SUCCESS, r.status());
      assertEquals(2, r.matches().size());
      r = c.find(STUDY_FIND, studyKeys("FAIL_LATE"));
      assertEquals(Status.OUT_OF_RESOURCES, r.status());
      assertEquals(1, r.matches().size());
      r = c.find(STUDY_FIND, studyKeys("OTHER"));
      assertEquals(0xC123, r.status());
      assertEquals(0, r.matches().size());
      // a C-CANCEL with no operation outstanding is ignored
      c.association()
          .writeMessage(
              c.association().findContext(STUDY_FIND, null), CommandSet.cCancelRQ(99), null);
      assertEquals(Status.SUCCESS, c.find(STUDY_FIND, studyKeys("WARN")).status());
    }
  }
}
