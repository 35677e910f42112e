package org.strata.dicom.net;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.strata.dicom.UID;
import org.strata.dicom.net.pdu.AAssociateAC;
import org.strata.dicom.net.pdu.AAssociateRQ;
import org.strata.dicom.net.pdu.PresentationContextAC;
import org.strata.dicom.net.pdu.PresentationContextRQ;
import org.strata.dicom.net.pdu.RoleSelection;
import org.strata.dicom.net.pdu.UserIdentityAC;
import org.strata.dicom.net.pdu.UserInformation;

/**
 * Acceptor side presentation context negotiation (PS3.8 7.1.1.13, PS3.7 D.3.3.4): every proposed
 * context gets a result; the transfer syntax is the first of our list (our preference) that the
 * peer proposed.
 */
public final class Negotiation {
  private Negotiation() {}

  /**
   * @param rq the request
   * @param ae the local AE and its capabilities
   * @param maxPduLength the maximum P-DATA-TF length we receive
   * @param user the authenticated user (a server response is sent if the requestor asked)
   */
  public static AAssociateAC negotiate(
      AAssociateRQ rq,
      ApplicationEntity ae,
      int maxPduLength,
      UserIdentityAuthenticator.AuthenticatedUser user) {
    Map<String, List<TransferCapability>> bySop = new LinkedHashMap<>();
    for (TransferCapability tc : ae.capabilities()) {
      bySop.computeIfAbsent(tc.sopClassUid(), k -> new ArrayList<>()).add(tc);
    }
    UserInformation rqInfo = rq.userInformation();
    List<PresentationContextAC> results = new ArrayList<>();
    Map<String, RoleSelection> roleReplies = new LinkedHashMap<>();
    Set<Integer> seenIds = new HashSet<>();
    for (PresentationContextRQ pc : rq.presentationContexts()) {
      String firstTs =
          pc.transferSyntaxes().isEmpty()
              ? UID.ImplicitVRLittleEndian
              : pc.transferSyntaxes().get(0);
      if ((pc.id() & 1) == 0 || !seenIds.add(pc.id())) {
        results.add(new PresentationContextAC(pc.id(), PresentationContextAC.NO_REASON, firstTs));
        continue;
      }
      List<TransferCapability> caps = bySop.get(pc.abstractSyntax());
      if (caps == null) {
        results.add(
            new PresentationContextAC(
                pc.id(), PresentationContextAC.ABSTRACT_SYNTAX_NOT_SUPPORTED, firstTs));
        continue;
      }
      TransferCapability scp = find(caps, TransferCapability.Role.SCP);
      TransferCapability scu = find(caps, TransferCapability.Role.SCU);
      RoleSelection proposed = rqInfo.roleSelection(pc.abstractSyntax());
      boolean requestorScu;
      boolean requestorScp;
      if (proposed == null) {
        requestorScu = scp != null;
        requestorScp = false;
      } else {
        requestorScu = proposed.scu() && scp != null;
        requestorScp = proposed.scp() && scu != null;
        roleReplies.putIfAbsent(
            pc.abstractSyntax(),
            new RoleSelection(pc.abstractSyntax(), requestorScu, requestorScp));
      }
      if (!requestorScu && !requestorScp) {
        results.add(
            new PresentationContextAC(pc.id(), PresentationContextAC.USER_REJECTION, firstTs));
        continue;
      }
      TransferCapability cap = requestorScu ? scp : scu;
      String chosen = null;
      for (String ts : cap.transferSyntaxes()) {
        if (pc.transferSyntaxes().contains(ts)) {
          chosen = ts;
          break;
        }
      }
      results.add(
          chosen == null
              ? new PresentationContextAC(
                  pc.id(), PresentationContextAC.TRANSFER_SYNTAXES_NOT_SUPPORTED, firstTs)
              : new PresentationContextAC(pc.id(), PresentationContextAC.ACCEPTANCE, chosen));
    }
    UserIdentityAC identityAC = null;
    if (user != null
        && rqInfo.userIdentityRQ() != null
        && rqInfo.userIdentityRQ().positiveResponseRequested()) {
      identityAC = new UserIdentityAC(user.serverResponse());
    }
    UserInformation ours =
        new UserInformation(
            maxPduLength,
            Implementation.CLASS_UID,
            Implementation.VERSION_NAME,
            rqInfo.hasAsyncOpsWindow() ? 1 : null,
            rqInfo.hasAsyncOpsWindow() ? 1 : null,
            List.copyOf(roleReplies.values()),
            null,
            identityAC);
    return new AAssociateAC(
        1, rq.calledAE(), rq.callingAE(), Implementation.APPLICATION_CONTEXT, results, ours);
  }

  private static TransferCapability find(List<TransferCapability> caps, TransferCapability.Role r) {
    for (TransferCapability tc : caps) {
      if (tc.role() == r) {
        return tc;
      }
    }
    return null;
  }
}
