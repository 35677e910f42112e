package org.strata.routing.service;

/** Where a job stands. */
public enum JobState {
  /** Queued (new or waiting for its backoff). */
  PENDING,
  /** Being sent. */
  IN_FLIGHT,
  /** Every instance delivered. */
  SENT,
  /** The last attempt failed; another one is queued. */
  FAILED,
  /** Given up after the maximum attempts: on the dead-letter topic with its last reason. */
  DEAD,
  /** Cancelled by an operator: never retried. */
  CANCELLED
}
