package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.net.DicomClient;
import org.strata.dicom.net.Status;
import org.strata.query.dimse.QueryRetrieveServer;
import org.strata.testkit.PlatformTestResource;

/**
 * A C-FIND, C-MOVE or C-GET identifier with a NUL character inside a key (which no indexed value
 * holds, ADR 0023) is answered with A900 naming the key, and the association goes on serving.
 * Before, a C-FIND reached PostgreSQL with it and was answered 0110 (processing failure, a warning
 * in the log); C-MOVE and C-GET dropped the NUL and matched another UID than the one sent.
 */
@QuarkusTest
@TestProfile(DimseQueryRetrieveTest.DimseProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class DimseUnholdableKeysTest {
  private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

  @Inject QueryRetrieveServer scp;

  @BeforeEach
  void knownDataSet() throws Exception {
    DimseTestData.ensureLoaded();
  }

  @Test
  void aNulInAFindKeyIsRefusedAndTheAssociationGoesOn() throws Exception {
    try (DicomClient c = connect()) {
      for (Attributes keys :
          new Attributes[] {
            keys("STUDY", Tag.PatientID, VR.LO, "PID\u0000X"),
            keys("STUDY", Tag.PatientName, VR.PN, "Doe\u0000*"),
            keys("SERIES", Tag.StudyInstanceUID, VR.UI, "1.2.3\u0000.4")
          }) {
        DicomClient.FindResult r = c.find(UID.StudyRootQueryRetrieveInformationModelFind, keys);
        assertEquals(
            Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS,
            r.status(),
            Integer.toHexString(r.status()));
        assertEquals(0, r.matches().size());
      }
      // Still serving on the same association: the known study is found.
      DicomClient.FindResult ok =
          c.find(
              UID.StudyRootQueryRetrieveInformationModelFind,
              keys("STUDY", Tag.StudyInstanceUID, VR.UI, DimseTestData.CT_STUDY));
      assertEquals(Status.SUCCESS, ok.status());
      assertEquals(1, ok.matches().size());
      c.release();
    }
  }

  @Test
  void aNulInARetrieveKeyIsRefused() throws Exception {
    try (DicomClient c = connect()) {
      DicomClient.RetrieveResult move =
          c.move(
              UID.StudyRootQueryRetrieveInformationModelMove,
              keys("STUDY", Tag.StudyInstanceUID, VR.UI, DimseTestData.CT_STUDY + "\u0000\\1.2"),
              "STORESCP");
      assertEquals(
          Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS,
          move.status(),
          Integer.toHexString(move.status()));
      DicomClient.RetrieveResult get =
          c.get(
              UID.StudyRootQueryRetrieveInformationModelGet,
              keys("STUDY", Tag.StudyInstanceUID, VR.UI, "1.2\u0000.3"),
              (request, data) -> Status.SUCCESS);
      assertEquals(
          Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS,
          get.status(),
          Integer.toHexString(get.status()));
      c.release();
    }
  }

  private static Attributes keys(String level, int tag, VR vr, String value) {
    Attributes keys = new Attributes();
    keys.setString(Tag.QueryRetrieveLevel, VR.CS, level);
    keys.setString(tag, vr, value);
    if (tag != Tag.StudyInstanceUID) {
      keys.setString(Tag.StudyInstanceUID, VR.UI, "");
    }
    return keys;
  }

  private DicomClient connect() throws IOException {
    return DicomClient.connect(
        "127.0.0.1",
        scp.port(),
        "FINDSCU",
        "STRATA-QR",
        DicomClient.proposal()
            .add(UID.StudyRootQueryRetrieveInformationModelFind, EXPLICIT_LE)
            .add(UID.StudyRootQueryRetrieveInformationModelMove, EXPLICIT_LE)
            .add(UID.StudyRootQueryRetrieveInformationModelGet, EXPLICIT_LE),
        DicomClient.Options.DEFAULTS);
  }
}
