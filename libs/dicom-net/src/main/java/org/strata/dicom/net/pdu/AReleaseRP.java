package org.strata.dicom.net.pdu;

/** A-RELEASE-RP PDU (PS3.8 9.3.7). */
public record AReleaseRP() implements Pdu {
  public static final AReleaseRP INSTANCE = new AReleaseRP();

  @Override
  public int type() {
    return TYPE_RELEASE_RP;
  }
}
