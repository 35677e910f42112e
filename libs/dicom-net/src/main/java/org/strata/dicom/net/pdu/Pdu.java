package org.strata.dicom.net.pdu;

/**
 * A protocol data unit of the DICOM upper layer (PS3.8 section 9.3). Value types only: reading and
 * writing are in {@link PduReader} and {@link PduWriter}.
 */
public sealed interface Pdu
    permits AAssociateRQ, AAssociateAC, AAssociateRJ, PDataTF, AReleaseRQ, AReleaseRP, AAbort {

  int TYPE_ASSOCIATE_RQ = 0x01;
  int TYPE_ASSOCIATE_AC = 0x02;
  int TYPE_ASSOCIATE_RJ = 0x03;
  int TYPE_P_DATA_TF = 0x04;
  int TYPE_RELEASE_RQ = 0x05;
  int TYPE_RELEASE_RP = 0x06;
  int TYPE_ABORT = 0x07;

  /** The PDU-type byte. */
  int type();

  /** Short name for logs, e.g. "A-ASSOCIATE-RQ". */
  static String name(int type) {
    return switch (type) {
      case TYPE_ASSOCIATE_RQ -> "A-ASSOCIATE-RQ";
      case TYPE_ASSOCIATE_AC -> "A-ASSOCIATE-AC";
      case TYPE_ASSOCIATE_RJ -> "A-ASSOCIATE-RJ";
      case TYPE_P_DATA_TF -> "P-DATA-TF";
      case TYPE_RELEASE_RQ -> "A-RELEASE-RQ";
      case TYPE_RELEASE_RP -> "A-RELEASE-RP";
      case TYPE_ABORT -> "A-ABORT";
      default -> String.format("PDU type 0x%02X", type);
    };
  }
}
