package org.strata.routing.service;

/**
 * Told by a {@link Sender} of the instances the destination has confirmed during an attempt (ADR
 * 0062), so that a crash in the middle of a large job does not send the confirmed ones again.
 */
@FunctionalInterface
public interface Progress {
  /** For attempts whose delivery is proven only at their end (Storage Commitment, QIDO-RS). */
  Progress NONE = confirmed -> {};

  /** The first {@code confirmed} instances of the attempt's job are delivered. */
  void confirmed(int confirmed);
}
