package org.strata.routing.service;

import java.util.function.BooleanSupplier;
import org.strata.events.RoutingJob;
import org.strata.routing.service.RulesDocument.Destination;

/** Sends a job's instances to one kind of destination (C-STORE, STOW-RS). */
public interface Sender {

  /**
   * One attempt: sends the job's instances in order, stops at the first failure (the rest is left
   * for the next attempt) and between instances when {@code cancelled} turns true. Never throws:
   * every fault is a {@link SendOutcome#failed} with a reason. Each instance the destination
   * confirms is told to {@code progress} (the count so far, in order).
   */
  SendOutcome send(
      RoutingJob job, Destination destination, BooleanSupplier cancelled, Progress progress);
}
