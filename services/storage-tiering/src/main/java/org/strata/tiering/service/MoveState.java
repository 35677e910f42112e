package org.strata.tiering.service;

/**
 * The steps of a move (ADR 0031), each committed to the journal before the next begins. The source
 * is deleted only in {@link #SWITCHED}, i.e. after the copy was verified and the index points at
 * it.
 */
public enum MoveState {
  /** Planned: nothing copied yet (a copy interrupted here is done again). */
  PLANNED,
  /** Copied to the target tier, not verified yet. */
  COPIED,
  /** The copy has the size and SHA-256 ingest recorded; the index is not told yet. */
  VERIFIED,
  /** InstanceMoved is acknowledged by Kafka; waiting for the index to show the copy. */
  SWITCH_REQUESTED,
  /** The index points at the copy; the source goes after the grace period. */
  SWITCHED,
  /** Finished: only the copy is left. */
  DONE,
  /** The copy did not verify: it was removed, the source kept, the index never told. */
  REFUSED,
  /**
   * The index no longer pointed at the source (deleted, a newer version): the copy was removed, the
   * source left as it was.
   */
  ROLLED_BACK;

  public boolean finished() {
    return this == DONE || this == REFUSED || this == ROLLED_BACK;
  }
}
