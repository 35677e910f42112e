package org.strata.audit.chain;

/**
 * The outcome of verifying a chain: how much was checked and the first broken record, if any.
 *
 * @param valid no break found
 * @param records records checked
 * @param checkpoints signed checkpoints checked (signature and head hash)
 * @param lastCheckpoint the count of the last checkpoint, {@code 0} without one
 * @param firstBreak the first broken record, or {@code null} when valid
 */
public record VerificationReport(
    boolean valid, long records, int checkpoints, long lastCheckpoint, Break firstBreak) {

  /** What is wrong at a position of the chain. */
  public enum Kind {
    /** The record's content, digest or hash was changed after it was appended. */
    EDITED,
    /** Records are missing at this position (deleted). */
    MISSING,
    /**
     * The record is in the wrong place: its hash follows from another record than its predecessor.
     */
    REORDERED,
    /** Records after this position are missing, though a checkpoint or the head counted them. */
    TRUNCATED,
    /** A checkpoint's signature does not verify with the trusted key its key id names. */
    FORGED_CHECKPOINT,
    /**
     * A checkpoint names a key id that is not among the trusted keys: signed by a key that was
     * never this trail's, or by a retired key whose public key is not kept for verification.
     */
    UNKNOWN_KEY
  }

  /**
   * @param seq the position of the first broken record (for TRUNCATED, the first missing one)
   * @param kind what is wrong
   * @param detail an explanation without record content (no PHI)
   */
  public record Break(long seq, Kind kind, String detail) {}

  static VerificationReport valid(long records, int checkpoints, long lastCheckpoint) {
    return new VerificationReport(true, records, checkpoints, lastCheckpoint, null);
  }

  static VerificationReport broken(
      long records, int checkpoints, long lastCheckpoint, long seq, Kind kind, String detail) {
    return new VerificationReport(
        false, records, checkpoints, lastCheckpoint, new Break(seq, kind, detail));
  }
}
