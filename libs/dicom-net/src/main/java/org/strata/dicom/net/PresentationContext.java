package org.strata.dicom.net;

/**
 * An accepted presentation context of an established association.
 *
 * @param id the context id (odd, 1..255)
 * @param abstractSyntax SOP class UID
 * @param transferSyntax the one transfer syntax both sides agreed on
 */
public record PresentationContext(int id, String abstractSyntax, String transferSyntax) {}
