package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.dicom.net.pdu.UserIdentityRQ;

/** Our SCP against DCMTK's SCUs, and our SCU against DCMTK's storescp. */
class DcmtkInteropTest {

  @TempDir Path tmp;

  /**
   * storescu options that make it propose the file's own transfer syntax first, the test AE of
   * {@link ReceivingServer} whose preference takes it, and the storescp option that prefers it.
   */
  private record Proposal(String storescuOption, String calledAE, String storescpOption) {}

  private static Proposal proposalFor(String ts) {
    return switch (ts) {
      case UID.ImplicitVRLittleEndian -> new Proposal("-xi", "STRATA", "+xi");
      case UID.ExplicitVRLittleEndian -> new Proposal("-xe", "STRATA", "+xe");
      case UID.ExplicitVRBigEndian -> new Proposal("-xb", "STRATA_BE", "+xb");
      case UID.DeflatedExplicitVRLittleEndian -> new Proposal("-xd", "STRATA_DEF", "+xd");
      case "1.2.840.10008.1.2.4.50" -> new Proposal("-xy", "STRATA_C", "+xy");
      case "1.2.840.10008.1.2.4.51" -> new Proposal("-xx", "STRATA_C", "+xx");
      case "1.2.840.10008.1.2.4.70" -> new Proposal("-xs", "STRATA_C", "+xs");
      case "1.2.840.10008.1.2.4.80" -> new Proposal("-xt", "STRATA_C", "+xt");
      case "1.2.840.10008.1.2.4.81" -> new Proposal("-xu", "STRATA_C", "+xu");
      case "1.2.840.10008.1.2.4.90" -> new Proposal("-xv", "STRATA_C", "+xv");
      case "1.2.840.10008.1.2.4.91" -> new Proposal("-xw", "STRATA_C", "+xw");
      case "1.2.840.10008.1.2.5" -> new Proposal("-xr", "STRATA_C", "+xr");
      default -> null;
    };
  }

  /**
   * Files of pydicom's test_files that storescu itself refuses, with the reason it prints: a
   * failure for another reason (e.g. a rejection by our SCP) fails the test.
   */
  private static final Map<String, String> STORESCU_REFUSES =
      Map.ofEntries(
          Map.entry("MR_truncated.dcm", "premature end of stream"),
          Map.entry("rtplan_truncated.dcm", "premature end of stream"),
          Map.entry("SC_rgb_jpeg.dcm", "Bad DICOM file"),
          Map.entry("UN_sequence.dcm", "No SOP Class or Instance UID"),
          Map.entry("nested_priv_SQ.dcm", "No SOP Class or Instance UID"),
          Map.entry("no_meta_group_length.dcm", "No SOP Class or Instance UID"),
          Map.entry("priv_SQ.dcm", "No SOP Class or Instance UID"),
          Map.entry("rtdose_rle.dcm", "No SOP Class or Instance UID"),
          Map.entry("rtdose_rle_1frame.dcm", "No SOP Class or Instance UID"),
          // this DCMTK's storescu does not know Segmentation Storage (1.2.840.10008.5.1.4.1.1.66.4)
          Map.entry("liver_1frame.dcm", "No presentation context for: (SG)"),
          Map.entry("liver_expb_1frame.dcm", "No presentation context for: (SG)"));

  @Test
  void echoscuGetsSuccessFromOurScp() throws Exception {
    assumeTrue(Dcmtk.available("echoscu"), "dcmtk missing");
    try (ReceivingServer rs =
        new ReceivingServer(tmp, AssociationConfig.DEFAULTS, UserIdentityAuthenticator.NONE)) {
      Dcmtk.Result r =
          Dcmtk.run(
              Dcmtk.cmd("echoscu", "-aet", "DCMTK", "-aec", "STRATA", "127.0.0.1", "" + rs.port()));
      assertEquals(0, r.exitCode(), r.output());
      // 128 contexts with up to 38 transfer syntaxes each, repeated C-ECHO on one association
      r =
          Dcmtk.run(
              Dcmtk.cmd(
                  "echoscu",
                  "-v",
                  "-ppc",
                  "128",
                  "-pts",
                  "38",
                  "--repeat",
                  "5",
                  "-aec",
                  "STRATA",
                  "127.0.0.1",
                  "" + rs.port()));
      assertEquals(0, r.exitCode(), r.output());
      assertEquals(5, countOccurrences(r.output(), "Received Echo Response (Success)"), r.output());
      // unknown called AE title: rejected with reason 7
      r = Dcmtk.run(Dcmtk.cmd("echoscu", "-aec", "NOBODY", "127.0.0.1", "" + rs.port()));
      assertTrue(r.exitCode() != 0);
      assertTrue(r.output().contains("Called AE Title Not Recognized"), r.output());
      assertTrue(rs.server.awaitIdle(Duration.ofSeconds(30)));
      assertEquals(0, rs.server.activeAssociations());
    }
  }

  @Test
  void storescuSampleFilesArriveByteForByte() throws Exception {
    assumeTrue(Dcmtk.available("storescu") && SampleFiles.available(), "dcmtk or pydicom missing");
    Map<String, String> outcome = new TreeMap<>();
    int identical = 0;
    int asStorescuSends = 0;
    Set<String> tsCovered = new HashSet<>();
    try (ReceivingServer rs =
        new ReceivingServer(
            tmp.resolve("ours"), AssociationConfig.DEFAULTS, UserIdentityAuthenticator.NONE)) {
      for (Path file : SampleFiles.topLevel()) {
        String name = file.getFileName().toString();
        Part10File meta;
        try {
          meta = Part10File.read(file);
        } catch (IOException e) {
          continue; // no file meta information: storescu would have to guess; not sent
        }
        Proposal p = proposalFor(meta.transferSyntaxUid());
        assertTrue(p != null, "no proposal for " + meta.transferSyntaxUid() + " of " + name);
        rs.received.clear();
        Dcmtk.Result r = storescu(p.storescuOption(), p.calledAE(), rs.port(), file);
        if (STORESCU_REFUSES.containsKey(name)) {
          assertTrue(
              r.exitCode() != 0 && r.output().contains(STORESCU_REFUSES.get(name)),
              name + ": " + r.output());
          assertEquals(0, rs.received.size(), name);
          continue;
        }
        assertEquals(0, r.exitCode(), name + ": " + r.output());
        assertEquals(1, rs.received.size(), name);
        ReceivingServer.Received got = rs.received.get(0);
        assertEquals(meta.transferSyntaxUid(), got.transferSyntax(), name);
        assertEquals(meta.sopClassUid(), got.sopClassUid(), name);
        assertEquals(
            DicomInputStream.readFile(file).getString(Tag.SOPInstanceUID),
            got.sopInstanceUid(),
            name);
        byte[] actual = Files.readAllBytes(got.file());
        byte[] source = SampleFiles.dataset(meta);
        boolean deflated = meta.transferSyntaxUid().equals(UID.DeflatedExplicitVRLittleEndian);
        if (deflated) {
          actual = TestFiles.inflate(actual);
          source = TestFiles.inflate(source);
        }
        tsCovered.add(meta.transferSyntaxUid());
        if (java.util.Arrays.equals(source, actual)) {
          identical++;
          outcome.put(name, "identical to the file");
          continue;
        }
        // storescu re-encoded the data set (it sends its in-memory model, e.g. without group
        // lengths): what DCMTK's own storescp receives bit-preserving must be what we received
        byte[] reference = referenceReception(file, p, deflated);
        assertArrayEquals(reference, actual, name + ": differs from what storescp receives");
        asStorescuSends++;
        outcome.put(name, "identical to storescp's reception (storescu re-encodes)");
      }
      assertTrue(rs.server.awaitIdle(Duration.ofSeconds(30)));
      assertEquals(0, rs.server.activeAssociations());
    }
    outcome.forEach((k, v) -> System.out.println("storescu " + k + ": " + v));
    System.out.println(
        "storescu: "
            + identical
            + " identical to the file, "
            + asStorescuSends
            + " to storescp's reception");
    // a floor, so that a regression that makes storescu fail silently cannot pass
    assertTrue(
        identical + asStorescuSends >= 45, "only " + (identical + asStorescuSends) + " files");
    assertTrue(
        tsCovered.containsAll(
            List.of(
                UID.ImplicitVRLittleEndian,
                UID.ExplicitVRLittleEndian,
                UID.ExplicitVRBigEndian,
                UID.DeflatedExplicitVRLittleEndian,
                "1.2.840.10008.1.2.4.50",
                "1.2.840.10008.1.2.4.90",
                "1.2.840.10008.1.2.5")),
        "transfer syntaxes covered: " + tsCovered);
  }

  private Dcmtk.Result storescu(String option, String calledAE, int port, Path... files)
      throws Exception {
    List<String> cmd =
        Dcmtk.cmd("storescu", "-aet", "DCMTK", option, "-aec", calledAE, "127.0.0.1", "" + port);
    for (Path f : files) {
      cmd.add(f.toString());
    }
    return Dcmtk.run(cmd);
  }

  /** The data set DCMTK's storescp (+B) receives when storescu sends {@code file}. */
  private byte[] referenceReception(Path file, Proposal p, boolean deflated) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "ref");
    try (StoreScpProcess scp = new StoreScpProcess(dir, "REF", p.storescpOption())) {
      Dcmtk.Result r = storescu(p.storescuOption(), "REF", scp.port, file);
      assertEquals(0, r.exitCode(), r.output());
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.toList();
      assertEquals(1, files.size(), "storescp output " + files);
      byte[] ds = SampleFiles.dataset(Part10File.read(files.get(0)));
      return deflated ? TestFiles.inflate(ds) : ds;
    }
  }

  @Test
  void storescuSendsThousandInstancesOnOneAssociation() throws Exception {
    assumeTrue(Dcmtk.available("storescu"), "dcmtk missing");
    Path src = Files.createDirectories(tmp.resolve("generated"));
    Map<String, byte[]> expected = new HashMap<>();
    for (int i = 1; i <= 1000; i++) {
      String uid = "2.25.4242." + i;
      byte[] content = TestFiles.smallInstance(uid, i);
      TestFiles.write(src, "gen" + i + ".dcm", content);
      expected.put(uid, SampleFiles.dataset(Part10File.read(src.resolve("gen" + i + ".dcm"))));
    }
    try (ReceivingServer rs =
        new ReceivingServer(
            tmp.resolve("ours"), AssociationConfig.DEFAULTS, UserIdentityAuthenticator.NONE)) {
      Dcmtk.Result r =
          Dcmtk.run(
              Dcmtk.cmd(
                  "storescu",
                  "-aec",
                  "STRATA",
                  "+sd",
                  "127.0.0.1",
                  "" + rs.port(),
                  src.toString()));
      assertEquals(0, r.exitCode(), r.output());
      assertEquals(1000, rs.received.size());
      assertEquals(1, rs.associations.size(), "all on one association");
      Set<String> seen = new HashSet<>();
      for (ReceivingServer.Received got : rs.received) {
        assertTrue(seen.add(got.sopInstanceUid()), "duplicate " + got.sopInstanceUid());
        assertArrayEquals(
            expected.get(got.sopInstanceUid()),
            Files.readAllBytes(got.file()),
            got.sopInstanceUid());
      }
      assertTrue(rs.server.awaitIdle(Duration.ofSeconds(30)));
    }
  }

  @Test
  void storescuUserIdentityIsAuthenticated() throws Exception {
    assumeTrue(Dcmtk.available("storescu"), "dcmtk missing");
    Path file = TestFiles.write(tmp, "one.dcm", TestFiles.smallInstance("2.25.77.1", 1));
    UserIdentityAuthenticator auth =
        (id, rq) -> {
          if (id != null
              && id.type() == UserIdentityRQ.USERNAME_PASSCODE
              && id.primaryText().equals("alice")
              && id.secondaryText().equals("s3cret")) {
            return new UserIdentityAuthenticator.AuthenticatedUser("alice", null);
          }
          throw UserIdentityAuthenticator.reject();
        };
    try (ReceivingServer rs =
        new ReceivingServer(tmp.resolve("ours"), AssociationConfig.DEFAULTS, auth)) {
      Dcmtk.Result ok =
          Dcmtk.run(
              Dcmtk.cmd(
                  "storescu",
                  "-aec",
                  "STRATA",
                  "-usr",
                  "alice",
                  "-pwd",
                  "s3cret",
                  "-rsp",
                  "127.0.0.1",
                  "" + rs.port(),
                  file.toString()));
      assertEquals(0, ok.exitCode(), ok.output());
      assertEquals(1, rs.received.size());
      assertEquals("alice", rs.received.get(0).association().user().name());
      Dcmtk.Result bad =
          Dcmtk.run(
              Dcmtk.cmd(
                  "storescu",
                  "-aec",
                  "STRATA",
                  "-usr",
                  "alice",
                  "-pwd",
                  "wrong",
                  "127.0.0.1",
                  "" + rs.port(),
                  file.toString()));
      assertTrue(bad.exitCode() != 0);
      assertTrue(bad.output().contains("Association Rejected"), bad.output());
      Dcmtk.Result none =
          Dcmtk.run(
              Dcmtk.cmd(
                  "storescu", "-aec", "STRATA", "127.0.0.1", "" + rs.port(), file.toString()));
      assertTrue(none.exitCode() != 0, none.output());
      assertEquals(1, rs.received.size());
      assertTrue(rs.server.awaitIdle(Duration.ofSeconds(30)));
    }
  }

  @Test
  void ourScuAgainstStorescp() throws Exception {
    assumeTrue(Dcmtk.available("storescp") && SampleFiles.available(), "dcmtk or pydicom missing");
    List<Part10File> files = new ArrayList<>();
    for (Path f : SampleFiles.topLevel()) {
      try {
        files.add(Part10File.read(f));
      } catch (IOException e) {
        // no file meta information: nothing to send as is
      }
    }
    Path out = Files.createDirectories(tmp.resolve("storescp"));
    int stored = 0;
    int refused = 0;
    int oddLength = 0;
    Map<String, Part10File> lastSent = new HashMap<>();
    try (StoreScpProcess scp = new StoreScpProcess(out, "STORESCP", "+xa")) {
      // in batches: at most 128 presentation contexts per association
      DicomClient.Proposal proposal = DicomClient.proposal().verification();
      files.forEach(proposal::add);
      AssociationConfig small = AssociationConfig.DEFAULTS.withMaxPduLength(16384);
      try (DicomClient c =
          DicomClient.connect(
              "127.0.0.1",
              scp.port,
              "STRATA_SCU",
              "STORESCP",
              proposal,
              DicomClient.Options.DEFAULTS.withConfig(small))) {
        assertEquals(Status.SUCCESS, c.echo());
        // storescp announces 16384 (its default): the maximum we fragment to
        assertEquals(16384, c.association().sendPduLength());
        for (Part10File f : files) {
          if (c.association().findContext(f.sopClassUid(), f.transferSyntaxUid()) == null) {
            // storescp does not know the SOP class (e.g. Segmentation in this DCMTK)
            assertThrows(NoPresentationContextException.class, () -> c.store(f));
            refused++;
            continue;
          }
          long length = Files.size(f.path()) - f.datasetOffset();
          if ((length & 1) != 0
              && !f.transferSyntaxUid().equals(UID.DeflatedExplicitVRLittleEndian)) {
            IOException e = assertThrows(IOException.class, () -> c.store(f));
            assertTrue(e.getMessage().contains("odd length"), e.getMessage());
            assertTrue(c.association().isEstablished());
            oddLength++;
            continue;
          }
          int status;
          try {
            status = c.store(f);
          } catch (IOException e) {
            throw new AssertionError(f.path() + " failed; storescp said:\n" + scp.log(), e);
          }
          assertEquals(Status.SUCCESS, status, f.path().getFileName().toString());
          lastSent.put(f.sopInstanceUid(), f);
          stored++;
        }
        c.release();
        assertEquals(State.Sta1, c.association().state());
      }
    }
    // storescp names files <modality>.<SOP Instance UID>; several samples share UIDs, so compare
    // the last received file of each UID with the last sent file of that UID
    int compared = 0;
    try (Stream<Path> s = Files.list(out)) {
      for (Path p : s.toList()) {
        Part10File got = Part10File.read(p);
        Part10File sent = lastSent.get(got.sopInstanceUid());
        assertTrue(sent != null, "unexpected " + p.getFileName());
        assertEquals(sent.transferSyntaxUid(), got.transferSyntaxUid());
        byte[] expected = SampleFiles.dataset(sent);
        byte[] actual = SampleFiles.dataset(got);
        if (sent.transferSyntaxUid().equals(UID.DeflatedExplicitVRLittleEndian)) {
          // an odd deflated stream is sent with one padding NUL
          expected = TestFiles.inflate(expected);
          actual = TestFiles.inflate(actual);
        }
        assertArrayEquals(expected, actual, sent.path().toString());
        compared++;
      }
    }
    System.out.println(
        "our SCU -> storescp: "
            + stored
            + " stored, "
            + refused
            + " SOP classes refused, "
            + oddLength
            + " odd-length data sets refused, "
            + compared
            + " files compared");
    assertTrue(stored >= 50, "stored " + stored);
    assertEquals(lastSent.size(), compared);
    assertTrue(compared >= 30, "compared " + compared);
  }

  @Test
  void ourScuReportsTranscodingAsUnsupported() throws Exception {
    assumeTrue(Dcmtk.available("storescp"), "dcmtk missing");
    Path file = TestFiles.write(tmp, "impl.dcm", TestFiles.smallInstance("2.25.88.1", 1));
    Path out = Files.createDirectories(tmp.resolve("storescp"));
    try (StoreScpProcess scp = new StoreScpProcess(out, "STORESCP")) {
      DicomClient.Proposal proposal =
          DicomClient.proposal().add(TestFiles.SC, UID.ExplicitVRLittleEndian);
      try (DicomClient c =
          DicomClient.connect(
              "127.0.0.1",
              scp.port,
              "STRATA_SCU",
              "STORESCP",
              proposal,
              DicomClient.Options.DEFAULTS)) {
        NoPresentationContextException e =
            assertThrows(NoPresentationContextException.class, () -> c.store(file));
        assertTrue(e.getMessage().contains("transcoding is not supported"), e.getMessage());
        assertTrue(c.association().isEstablished(), "association stays usable");
      }
    }
  }

  @Test
  void ourScuIsRejectedByStorescp() throws Exception {
    assumeTrue(Dcmtk.available("storescp"), "dcmtk missing");
    Path out = Files.createDirectories(tmp.resolve("storescp"));
    try (StoreScpProcess scp = new StoreScpProcess(out, "STORESCP", "--refuse")) {
      AAssociateRJException e =
          assertThrows(
              AAssociateRJException.class,
              () ->
                  DicomClient.connect(
                      "127.0.0.1",
                      scp.port,
                      "ME",
                      "STORESCP",
                      DicomClient.proposal().verification(),
                      DicomClient.Options.DEFAULTS));
      assertEquals(AAssociateRJ.RESULT_PERMANENT, e.result());
    }
  }

  private static int countOccurrences(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
