package org.strata.routing.service;

import java.time.Duration;
import java.time.Instant;

/**
 * One destination's circuit breaker: after {@code threshold} failed attempts in a row it opens, and
 * no job of the destination starts (none is charged an attempt) until {@code openFor} has passed;
 * then one trial job runs (half open): success closes it, failure opens it again.
 */
public final class CircuitBreaker {
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  private final int threshold;
  private final Duration openFor;
  private int failuresInARow;
  private Instant openUntil;
  private boolean trialRunning;

  public CircuitBreaker(int threshold, Duration openFor) {
    this.threshold = threshold;
    this.openFor = openFor;
  }

  /** Whether a job may start now; a true in the half-open state admits the one trial. */
  public synchronized boolean tryAcquire(Instant now) {
    if (openUntil == null) {
      return true;
    }
    if (now.isBefore(openUntil) || trialRunning) {
      return false;
    }
    trialRunning = true;
    return true;
  }

  /** When a job may start at the earliest (now when closed). */
  public synchronized Instant openUntil() {
    return openUntil;
  }

  public synchronized void succeeded() {
    failuresInARow = 0;
    openUntil = null;
    trialRunning = false;
  }

  public synchronized void failed(Instant now) {
    failuresInARow++;
    trialRunning = false;
    if (failuresInARow >= threshold) {
      openUntil = now.plus(openFor);
    }
  }

  /** A job that ended neither way (cancelled) frees the trial slot. */
  public synchronized void released() {
    trialRunning = false;
  }

  public synchronized State state(Instant now) {
    if (openUntil == null) {
      return State.CLOSED;
    }
    return now.isBefore(openUntil) ? State.OPEN : State.HALF_OPEN;
  }
}
