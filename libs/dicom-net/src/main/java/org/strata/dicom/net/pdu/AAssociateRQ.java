package org.strata.dicom.net.pdu;

import java.util.List;

/**
 * A-ASSOCIATE-RQ PDU (PS3.8 9.3.2). AE titles are kept without their space padding.
 *
 * @param protocolVersion bit field, bit 0 (version 1) must be set
 */
public record AAssociateRQ(
    int protocolVersion,
    String calledAE,
    String callingAE,
    String applicationContext,
    List<PresentationContextRQ> presentationContexts,
    UserInformation userInformation)
    implements Pdu {

  public AAssociateRQ {
    presentationContexts = List.copyOf(presentationContexts);
  }

  @Override
  public int type() {
    return TYPE_ASSOCIATE_RQ;
  }

  public PresentationContextRQ presentationContext(int id) {
    for (PresentationContextRQ pc : presentationContexts) {
      if (pc.id() == id) {
        return pc;
      }
    }
    return null;
  }
}
