package org.strata.bench.chaos;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.strata.bench.Part10Writer;
import org.strata.dicom.net.DicomClient;

/**
 * A C-STORE SCU on the project's own DICOM client: associations of up to ten instances, each data
 * set sent exactly as generated, every response status (or the lack of one) written to the ledger.
 */
final class CStoreSender implements Runnable {
  private static final int PER_ASSOCIATION = 10;

  private final int port;
  private final String calledAe;
  private final Sending sending;

  CStoreSender(int port, String calledAe, Sending sending) {
    this.port = port;
    this.calledAe = calledAe;
    this.sending = sending;
  }

  @Override
  public void run() {
    while (sending.goOn()) {
      DicomClient client;
      try {
        client =
            DicomClient.connect(
                "127.0.0.1",
                port,
                "CHAOS",
                calledAe,
                DicomClient.proposal().add(ChaosInstances.CT, Part10Writer.EXPLICIT_LE),
                DicomClient.Options.DEFAULTS);
      } catch (IOException | RuntimeException e) {
        // No association, no instance on its way: try again shortly.
        Sending.pause();
        continue;
      }
      boolean healthy = true;
      for (int i = 0; i < PER_ASSOCIATION && healthy && sending.goOn(); i++) {
        healthy = storeOne(client);
      }
      try {
        if (healthy) {
          client.release();
        } else {
          client.abort();
        }
      } catch (IOException | RuntimeException e) {
        // the association is gone either way
      }
    }
  }

  /** Sends one instance; false when the association is no longer usable. */
  private boolean storeOne(DicomClient client) {
    ChaosInstances.Instance instance = sending.instances().next();
    String sentIn = sending.phase().get();
    long sentAt = System.nanoTime();
    byte[] file = instance.file();
    int offset = instance.datasetOffset();
    Ledger.Outcome outcome;
    String detail;
    boolean usable = true;
    try {
      int status =
          client.store(
              ChaosInstances.CT,
              instance.sop(),
              Part10Writer.EXPLICIT_LE,
              new ByteArrayInputStream(file, offset, file.length - offset));
      // Success (0000) and the warnings (Bxxx) store the instance; anything else does not.
      boolean stored = status == 0 || (status & 0xF000) == 0xB000;
      outcome = stored ? Ledger.Outcome.ACKNOWLEDGED : Ledger.Outcome.REFUSED;
      detail = String.format("status %04X", status);
    } catch (IOException | RuntimeException e) {
      outcome = Ledger.Outcome.REFUSED;
      detail = "no answer: " + e;
      usable = false;
    }
    sending.record("C-STORE", instance, sentIn, sentAt, outcome, detail);
    return usable;
  }
}
