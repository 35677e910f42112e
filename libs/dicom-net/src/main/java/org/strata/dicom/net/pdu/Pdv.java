package org.strata.dicom.net.pdu;

/**
 * Presentation data value item of a P-DATA-TF PDU (PS3.8 9.3.5.1 and Annex E). The payload is a
 * view on {@code buffer} (the PDU's bytes, not copied).
 *
 * @param presentationContextId 1..255, odd
 * @param header message control header: bit 0 set = command, bit 1 set = last fragment
 */
public record Pdv(int presentationContextId, int header, byte[] buffer, int offset, int length) {
  public static final int COMMAND = 0x01;
  public static final int LAST = 0x02;

  public boolean command() {
    return (header & COMMAND) != 0;
  }

  public boolean last() {
    return (header & LAST) != 0;
  }
}
