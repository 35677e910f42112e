package org.strata.dicom.net.pdu;

import java.util.List;

/**
 * A-ASSOCIATE-AC PDU (PS3.8 9.3.3): one result per proposed presentation context. The AE titles
 * echo the request's and are not tested when received.
 */
public record AAssociateAC(
    int protocolVersion,
    String calledAE,
    String callingAE,
    String applicationContext,
    List<PresentationContextAC> presentationContexts,
    UserInformation userInformation)
    implements Pdu {

  public AAssociateAC {
    presentationContexts = List.copyOf(presentationContexts);
  }

  @Override
  public int type() {
    return TYPE_ASSOCIATE_AC;
  }

  public PresentationContextAC presentationContext(int id) {
    for (PresentationContextAC pc : presentationContexts) {
      if (pc.id() == id) {
        return pc;
      }
    }
    return null;
  }
}
