package org.strata.dicom.net.pdu;

/** A-RELEASE-RQ PDU (PS3.8 9.3.6). */
public record AReleaseRQ() implements Pdu {
  public static final AReleaseRQ INSTANCE = new AReleaseRQ();

  @Override
  public int type() {
    return TYPE_RELEASE_RQ;
  }
}
