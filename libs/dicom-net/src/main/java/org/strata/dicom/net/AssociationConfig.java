package org.strata.dicom.net;

import java.time.Duration;
import org.strata.dicom.net.pdu.PduReader;

/**
 * Limits and timers of one association.
 *
 * @param maxPduLength the maximum P-DATA-TF length we receive (announced in our user information)
 * @param maxSendPduLength cap on the P-DATA-TF length we send, applied below the peer's maximum
 *     (and used alone when the peer announces 0, "unlimited")
 * @param maxAssociateLength hard limit for a received A-ASSOCIATE-RQ/AC PDU
 * @param artimTimeout the ARTIM timer: awaiting A-ASSOCIATE-RQ (Sta2, counted from the connection),
 *     A-ASSOCIATE-AC/RJ (Sta5), A-RELEASE-RP (Sta7, Sta10, Sta11), the transport close (Sta13), and
 *     the rest of any PDU once its first byte has arrived; a deadline, not a per-read timeout
 * @param idleTimeout how long an established association may stay silent while we wait for the peer
 *     (Sta6: until the first byte of the next PDU, also between PDUs of a data set); then A-ABORT
 * @param writeTimeout how long one PDU write may block because the peer does not read; then the
 *     connection is closed (no A-ABORT can get through) and the write fails
 */
public record AssociationConfig(
    int maxPduLength,
    int maxSendPduLength,
    int maxAssociateLength,
    Duration artimTimeout,
    Duration idleTimeout,
    Duration writeTimeout) {

  public static final int MIN_PDU_LENGTH = 4096;

  public static final AssociationConfig DEFAULTS =
      new AssociationConfig(
          64 * 1024,
          1 << 20,
          PduReader.DEFAULT_MAX_ASSOCIATE_LENGTH,
          Duration.ofSeconds(30),
          Duration.ofSeconds(120),
          Duration.ofSeconds(60));

  /**
   * For an SCP facing peers it does not control: a connection must deliver its A-ASSOCIATE-RQ
   * within 10 s (ARTIM, also for the rest of a started PDU, the A-RELEASE-RP and the transport
   * close), an established association that says nothing for 30 s is aborted (as Orthanc's
   * DicomScpTimeout). A requestor keeps {@link #DEFAULTS}: a remote SCP may take minutes between
   * the responses of a C-MOVE.
   */
  public static final AssociationConfig SERVER_DEFAULTS =
      DEFAULTS.withArtimTimeout(Duration.ofSeconds(10)).withIdleTimeout(Duration.ofSeconds(30));

  public AssociationConfig {
    if (maxPduLength < MIN_PDU_LENGTH || maxPduLength > PduReader.HARD_MAX_PDATA_LENGTH) {
      throw new IllegalArgumentException("maxPduLength out of range: " + maxPduLength);
    }
    if (maxSendPduLength < MIN_PDU_LENGTH || maxSendPduLength > PduReader.HARD_MAX_PDATA_LENGTH) {
      throw new IllegalArgumentException("maxSendPduLength out of range: " + maxSendPduLength);
    }
    if (maxAssociateLength < 1024) {
      throw new IllegalArgumentException("maxAssociateLength too small: " + maxAssociateLength);
    }
    if (artimTimeout.isNegative() || artimTimeout.isZero()) {
      throw new IllegalArgumentException("artimTimeout must be positive");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive");
    }
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("writeTimeout must be positive");
    }
  }

  public AssociationConfig withMaxPduLength(int max) {
    return new AssociationConfig(
        max, maxSendPduLength, maxAssociateLength, artimTimeout, idleTimeout, writeTimeout);
  }

  public AssociationConfig withMaxSendPduLength(int max) {
    return new AssociationConfig(
        maxPduLength, max, maxAssociateLength, artimTimeout, idleTimeout, writeTimeout);
  }

  public AssociationConfig withArtimTimeout(Duration d) {
    return new AssociationConfig(
        maxPduLength, maxSendPduLength, maxAssociateLength, d, idleTimeout, writeTimeout);
  }

  public AssociationConfig withIdleTimeout(Duration d) {
    return new AssociationConfig(
        maxPduLength, maxSendPduLength, maxAssociateLength, artimTimeout, d, writeTimeout);
  }

  public AssociationConfig withWriteTimeout(Duration d) {
    return new AssociationConfig(
        maxPduLength, maxSendPduLength, maxAssociateLength, artimTimeout, idleTimeout, d);
  }
}
