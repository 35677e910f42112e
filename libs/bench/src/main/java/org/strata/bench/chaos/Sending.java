package org.strata.bench.chaos;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What every sender shares: its own instances, the ledger, the phase of the run (the victim of the
 * moment) and whether to go on.
 */
record Sending(
    ChaosInstances instances, Ledger ledger, Supplier<String> phase, BooleanSupplier running) {

  boolean goOn() {
    return running.getAsBoolean();
  }

  /** Writes one answer to the ledger; after a refusal, pauses briefly (no retry storm). */
  void record(
      String channel,
      ChaosInstances.Instance instance,
      String sentIn,
      long sentAt,
      Ledger.Outcome outcome,
      String detail) {
    ledger.record(
        new Ledger.Entry(
            sentIn,
            channel,
            outcome,
            instance.study(),
            instance.series(),
            instance.sop(),
            instance.datasetSha256(),
            detail,
            sentAt,
            System.nanoTime()));
    if (outcome == Ledger.Outcome.REFUSED) {
      pause();
    }
  }

  static void pause() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
