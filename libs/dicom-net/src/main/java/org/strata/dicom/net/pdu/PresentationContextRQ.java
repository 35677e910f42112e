package org.strata.dicom.net.pdu;

import java.util.List;

/**
 * Presentation context item of an A-ASSOCIATE-RQ (item type 0x20, PS3.8 9.3.2.2).
 *
 * @param id odd number 1..255
 * @param abstractSyntax the SOP class (or meta SOP class) UID
 * @param transferSyntaxes proposed transfer syntax UIDs, at least one
 */
public record PresentationContextRQ(int id, String abstractSyntax, List<String> transferSyntaxes) {
  public PresentationContextRQ {
    transferSyntaxes = List.copyOf(transferSyntaxes);
  }
}
