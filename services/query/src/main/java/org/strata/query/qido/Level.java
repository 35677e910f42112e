package org.strata.query.qido;

/** The QIDO-RS query levels, highest first. */
public enum Level {
  STUDY,
  SERIES,
  INSTANCE;

  /** Whether this level is {@code other} or below it (an instance is at or below a series). */
  boolean atOrBelow(Level other) {
    return ordinal() >= other.ordinal();
  }
}
