package org.strata.index.service;

/** A deletion refused: a legal hold is in force on the study (ADR 0043). */
public class StudyHeldException extends RuntimeException {
  private final String holdReason;

  public StudyHeldException(String holdReason) {
    super("the study is under a legal hold", null, false, false);
    this.holdReason = holdReason;
  }

  /** The hold's reason, as whoever placed it gave it. */
  public String holdReason() {
    return holdReason;
  }
}
