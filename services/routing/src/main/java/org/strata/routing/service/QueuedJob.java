package org.strata.routing.service;

import java.time.Instant;
import org.strata.events.RoutingJob;

/**
 * A job held by a destination's queue: its record, the order it arrived in, and how to take its
 * record off the Kafka queue once the job is finished (sent, dead-lettered, retried or cancelled).
 */
final class QueuedJob {
  final RoutingJob job;
  final long sequence;
  final Runnable acknowledge;
  final Object partition;

  /** Instances of the record on the queue confirmed by an attempt a crash interrupted. */
  final int confirmedBefore;

  volatile boolean cancelled;
  volatile Instant notBefore;

  QueuedJob(
      RoutingJob job, long sequence, Runnable acknowledge, Object partition, int confirmedBefore) {
    this.job = job;
    this.confirmedBefore = confirmedBefore;
    this.sequence = sequence;
    this.acknowledge = acknowledge;
    this.partition = partition;
    this.notBefore = job.notBefore();
  }

  boolean ready(Instant now) {
    return notBefore == null || !now.isBefore(notBefore);
  }
}
