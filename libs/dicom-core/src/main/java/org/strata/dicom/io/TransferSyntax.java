package org.strata.dicom.io;

import org.strata.dicom.UID;

/**
 * How a data set is encoded on the wire, as far as a parser cares (PS3.5 section 10).
 *
 * @param uid the Transfer Syntax UID
 * @param explicitVR whether each element carries its VR
 * @param bigEndian byte order of lengths and binary values
 * @param deflated whether the data set after the file meta information is raw deflate data
 * @param encapsulated whether pixel data is expected as fragments (compressed syntaxes)
 */
public record TransferSyntax(
    String uid, boolean explicitVR, boolean bigEndian, boolean deflated, boolean encapsulated) {

  public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
      new TransferSyntax(UID.ImplicitVRLittleEndian, false, false, false, false);
  public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
      new TransferSyntax(UID.ExplicitVRLittleEndian, true, false, false, false);
  public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
      new TransferSyntax(UID.ExplicitVRBigEndian, true, true, false, false);
  public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
      new TransferSyntax(UID.DeflatedExplicitVRLittleEndian, true, false, true, false);

  /**
   * The encoding of {@code uid}. Every UID other than the four native ones is read as explicit VR
   * little endian with encapsulated pixel data: that is what all compressed syntaxes are (PS3.5
   * 10.4 and Annex A.4); the JPIP deflated one (1.2.840.10008.1.2.4.95) is also deflated.
   */
  public static TransferSyntax of(String uid) {
    String u = uid == null ? "" : uid.strip();
    return switch (u) {
      case UID.ImplicitVRLittleEndian -> IMPLICIT_VR_LITTLE_ENDIAN;
      case UID.ExplicitVRLittleEndian -> EXPLICIT_VR_LITTLE_ENDIAN;
      case UID.ExplicitVRBigEndian -> EXPLICIT_VR_BIG_ENDIAN;
      case UID.DeflatedExplicitVRLittleEndian -> DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN;
      case UID.JPIPReferencedDeflate -> new TransferSyntax(u, true, false, true, false);
      case UID.JPIPReferenced -> new TransferSyntax(u, true, false, false, false);
      default -> new TransferSyntax(u, true, false, false, true);
    };
  }
}
