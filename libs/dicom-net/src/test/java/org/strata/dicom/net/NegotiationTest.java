package org.strata.dicom.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.dicom.UID;
import org.strata.dicom.net.pdu.AAssociateAC;
import org.strata.dicom.net.pdu.AAssociateRQ;
import org.strata.dicom.net.pdu.PresentationContextAC;
import org.strata.dicom.net.pdu.PresentationContextRQ;
import org.strata.dicom.net.pdu.RoleSelection;
import org.strata.dicom.net.pdu.UserIdentityRQ;
import org.strata.dicom.net.pdu.UserInformation;

class NegotiationTest {
  static final String CT = UID.CTImageStorage;
  static final String JPEG = "1.2.840.10008.1.2.4.50";

  static AAssociateRQ rq(UserInformation ui, PresentationContextRQ... pcs) {
    return new AAssociateRQ(1, "SCP", "SCU", Implementation.APPLICATION_CONTEXT, List.of(pcs), ui);
  }

  static UserInformation plain() {
    return new UserInformation(16384, "1.2.3", null);
  }

  static ApplicationEntity storage() {
    List<TransferCapability> caps = new java.util.ArrayList<>(TransferCapability.storageScp());
    caps.add(TransferCapability.verificationScp());
    caps.add(
        new TransferCapability(
            UID.MRImageStorage, TransferCapability.Role.SCU, List.of(UID.ImplicitVRLittleEndian)));
    return new ApplicationEntity("SCP", caps);
  }

  @Test
  void ourPreferenceOrderWins() {
    AAssociateAC ac =
        Negotiation.negotiate(
            rq(
                plain(),
                new PresentationContextRQ(
                    1, CT, List.of(UID.ImplicitVRLittleEndian, JPEG, UID.ExplicitVRLittleEndian)),
                new PresentationContextRQ(3, CT, List.of(JPEG)),
                new PresentationContextRQ(5, CT, List.of("1.2.3.4.5.6")),
                new PresentationContextRQ(7, "1.2.3.4", List.of(UID.ImplicitVRLittleEndian)),
                new PresentationContextRQ(8, CT, List.of(UID.ImplicitVRLittleEndian)),
                new PresentationContextRQ(9, CT, List.of(UID.ImplicitVRLittleEndian)),
                new PresentationContextRQ(9, CT, List.of(UID.ImplicitVRLittleEndian))),
            storage(),
            32768,
            null);
    List<PresentationContextAC> r = ac.presentationContexts();
    assertEquals(7, r.size(), "one result per proposed context");
    assertEquals(new PresentationContextAC(1, 0, UID.ExplicitVRLittleEndian), r.get(0));
    assertEquals(new PresentationContextAC(3, 0, JPEG), r.get(1));
    assertEquals(PresentationContextAC.TRANSFER_SYNTAXES_NOT_SUPPORTED, r.get(2).result());
    assertEquals(PresentationContextAC.ABSTRACT_SYNTAX_NOT_SUPPORTED, r.get(3).result());
    assertEquals(PresentationContextAC.NO_REASON, r.get(4).result(), "even id");
    assertEquals(0, r.get(5).result());
    assertEquals(PresentationContextAC.NO_REASON, r.get(6).result(), "duplicate id");
    assertEquals(32768, ac.userInformation().maxLength());
    assertEquals(Implementation.CLASS_UID, ac.userInformation().implementationClassUid());
    assertNull(ac.userInformation().asyncOpsInvoked(), "no window proposed, none answered");
  }

  @Test
  void asynchronousWindowIsAnsweredOneOne() {
    UserInformation ui = new UserInformation(0, "1.2.3", null, 5, 0, List.of(), null, null);
    AAssociateAC ac =
        Negotiation.negotiate(
            rq(
                ui,
                new PresentationContextRQ(
                    1, UID.Verification, List.of(UID.ImplicitVRLittleEndian))),
            storage(),
            16384,
            null);
    assertEquals(1, ac.userInformation().asyncOpsInvoked());
    assertEquals(1, ac.userInformation().asyncOpsPerformed());
  }

  @Test
  void roleSelection() {
    UserInformation ui =
        new UserInformation(
            0,
            "1.2.3",
            null,
            null,
            null,
            List.of(
                new RoleSelection(CT, true, true),
                new RoleSelection(UID.MRImageStorage, false, true),
                new RoleSelection(UID.Verification, false, true)),
            null,
            null);
    AAssociateAC ac =
        Negotiation.negotiate(
            rq(
                ui,
                new PresentationContextRQ(1, CT, List.of(UID.ImplicitVRLittleEndian)),
                new PresentationContextRQ(
                    3,
                    UID.MRImageStorage,
                    List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian)),
                new PresentationContextRQ(
                    5, UID.Verification, List.of(UID.ImplicitVRLittleEndian))),
            storage(),
            16384,
            null);
    // CT: we are SCP only, so the requestor may be SCU, not SCP
    assertEquals(new RoleSelection(CT, true, false), ac.userInformation().roleSelection(CT));
    assertEquals(0, ac.presentationContexts().get(0).result());
    // MR: we are SCU for it, the requestor proposes to be SCP: accepted with our SCU syntaxes
    assertEquals(
        new RoleSelection(UID.MRImageStorage, false, true),
        ac.userInformation().roleSelection(UID.MRImageStorage));
    assertEquals(
        new PresentationContextAC(3, 0, UID.ImplicitVRLittleEndian),
        ac.presentationContexts().get(1));
    // Verification: requestor only wants to be SCP, we are SCP: no role fits
    assertEquals(PresentationContextAC.USER_REJECTION, ac.presentationContexts().get(2).result());
  }

  @Test
  void userIdentityResponseOnlyWhenRequestedAndAuthenticated() {
    UserInformation asks =
        new UserInformation(
            0, "1.2.3", null, null, null, List.of(), UserIdentityRQ.jwt("token", true), null);
    PresentationContextRQ pc =
        new PresentationContextRQ(1, UID.Verification, List.of(UID.ImplicitVRLittleEndian));
    var user = new UserIdentityAuthenticator.AuthenticatedUser("bob", new byte[] {9});
    AAssociateAC ac = Negotiation.negotiate(rq(asks, pc), storage(), 16384, user);
    assertEquals(1, ac.userInformation().userIdentityAC().serverResponse().length);
    assertNull(
        Negotiation.negotiate(rq(asks, pc), storage(), 16384, null)
            .userInformation()
            .userIdentityAC());
    UserInformation silent =
        new UserInformation(
            0, "1.2.3", null, null, null, List.of(), UserIdentityRQ.jwt("token", false), null);
    assertNull(
        Negotiation.negotiate(rq(silent, pc), storage(), 16384, user)
            .userInformation()
            .userIdentityAC());
  }

  @Test
  void dictionaryCapabilities() {
    assertTrue(TransferCapability.storageSopClasses().contains(CT));
    assertTrue(TransferCapability.storageSopClasses().size() > 100);
    assertTrue(!TransferCapability.storageSopClasses().contains(UID.Verification));
    List<String> ts = TransferCapability.allTransferSyntaxes();
    assertEquals(UID.ExplicitVRLittleEndian, ts.get(0));
    assertEquals(UID.ImplicitVRLittleEndian, ts.get(1));
    assertTrue(ts.contains(UID.ExplicitVRBigEndian) && ts.contains(JPEG));
  }
}
