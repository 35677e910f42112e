package org.strata.query.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.strata.dicom.net.StorageCommitment;
import org.strata.dicom.net.StorageCommitment.Failure;
import org.strata.dicom.net.StorageCommitment.Reference;

/**
 * Decides Storage Commitment requests from the index: an instance is committed when the index holds
 * it for the requestor's tenant with an object location — the index only learns of objects that are
 * durable in S3 with their event acknowledged, so that is the archive's promise.
 *
 * <p>A modality usually asks for commitment straight after its C-STOREs, while the index may still
 * be applying their events (a few milliseconds, up to about a second under load): instances not
 * found yet are looked up again until {@code wait} has passed before they are reported as failed.
 * The report is sent after the N-ACTION response, so the wait delays nothing else.
 */
@ApplicationScoped
public class CommitmentDecider {
  private static final Logger LOG = Logger.getLogger(CommitmentDecider.class);
  private static final int CHUNK = 1000;

  private final RetrieveLocator locator;

  public CommitmentDecider(RetrieveLocator locator) {
    this.locator = locator;
  }

  public StorageCommitment.Result decide(
      String tenant, StorageCommitment.Request request, Duration wait) {
    // SOP Instance UID to the SOP Class UID the index holds for it
    Map<String, String> held = new HashMap<>();
    Set<String> missing = new LinkedHashSet<>();
    request.references().forEach(r -> missing.add(r.sopInstanceUid()));
    long deadline = System.nanoTime() + wait.toNanos();
    long pause = 50;
    while (true) {
      lookUp(tenant, missing, held);
      missing.removeAll(held.keySet());
      if (missing.isEmpty() || System.nanoTime() >= deadline) {
        break;
      }
      sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
      pause = Math.min(pause * 2, 1000);
    }
    List<Reference> committed = new ArrayList<>();
    List<Failure> failed = new ArrayList<>();
    for (Reference r : request.references()) {
      String sopClass = held.get(r.sopInstanceUid());
      if (sopClass == null) {
        failed.add(
            new Failure(
                r.sopClassUid(), r.sopInstanceUid(), StorageCommitment.NO_SUCH_OBJECT_INSTANCE));
      } else if (!sopClass.equals(r.sopClassUid())) {
        failed.add(
            new Failure(
                r.sopClassUid(), r.sopInstanceUid(), StorageCommitment.CLASS_INSTANCE_CONFLICT));
      } else {
        committed.add(r);
      }
    }
    LOG.debugf(
        "storage commitment %s: %d committed, %d failed",
        request.transactionUid(), committed.size(), failed.size());
    return new StorageCommitment.Result(request.transactionUid(), committed, failed);
  }

  private void lookUp(String tenant, Set<String> sops, Map<String, String> held) {
    List<String> all = new ArrayList<>(sops);
    for (int i = 0; i < all.size(); i += CHUNK) {
      String[] chunk = all.subList(i, Math.min(all.size(), i + CHUNK)).toArray(String[]::new);
      for (RetrieveLocator.Located l : locator.find(tenant, null, null, null, chunk)) {
        held.put(l.sopInstanceUid(), l.sopClassUid());
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
