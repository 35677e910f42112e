package org.strata.routing.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.strata.dicom.net.DicomClient;
import org.strata.dicom.net.StorageCommitment;
import org.strata.events.RoutingJob;
import org.strata.routing.config.RoutingConfig;
import org.strata.routing.service.SendOutcome;

/**
 * Proof of delivery to a DIMSE destination with {@code commit: true} (ADR 0052): after the last
 * C-STORE of an attempt, a Storage Commitment request (N-ACTION) for every instance it sent; the
 * association is then released, so the destination reports (N-EVENT-REPORT) on one it opens to
 * {@link CommitmentReports}. The attempt delivers only what the report says is committed; the rest
 * is left for the next attempt with the failure reasons.
 */
@ApplicationScoped
public class CommitmentProof {
  private final CommitmentReports reports;
  private final Duration timeout;

  CommitmentProof(CommitmentReports reports, RoutingConfig config) {
    this.reports = reports;
    this.timeout = config.commitmentTimeout();
  }

  /** The request could not be made: why (never PHI). */
  public static final class Refused extends Exception {
    Refused(String reason) {
      super(reason);
    }
  }

  /**
   * Asks the destination, on the association of the C-STOREs, to commit {@code sent}, named by the
   * SOP Instance UIDs they were sent with ({@code sentAs}: de-identification replaces them).
   */
  public CommitmentReports.Pending request(
      DicomClient client, String peerAe, List<RoutingJob.Instance> sent, Map<String, String> sentAs)
      throws Refused {
    if (!reports.listening()) {
      throw new Refused(
          "storage commitment: no listener for the reports (strata.routing.commitment-port)");
    }
    String transactionUid = CommitmentReports.newTransactionUid();
    CommitmentReports.Pending pending = reports.expect(transactionUid, peerAe);
    List<StorageCommitment.Reference> refs =
        sent.stream()
            .map(i -> new StorageCommitment.Reference(i.sopClassUid(), uidAsSent(i, sentAs)))
            .toList();
    int status;
    try {
      status = client.requestStorageCommitment(new StorageCommitment.Request(transactionUid, refs));
    } catch (IOException | RuntimeException e) {
      pending.forget();
      // everything is sent but nothing proven: the whole attempt is sent again
      throw new Refused("storage commitment request failed: " + e.getClass().getSimpleName());
    }
    if (status != 0) {
      pending.forget();
      throw new Refused(String.format("storage commitment refused with status %04X", status));
    }
    return pending;
  }

  /**
   * Waits for the report (the association of the request released) and turns it into the attempt's
   * outcome: every instance committed, or the ones that were not left to send again.
   */
  public SendOutcome outcome(
      CommitmentReports.Pending pending,
      List<RoutingJob.Instance> sent,
      Map<String, String> sentAs) {
    StorageCommitment.Result result;
    try {
      result = pending.await(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SendOutcome.failed(0, sent, "interrupted");
    }
    if (result == null) {
      return SendOutcome.failed(0, sent, "storage commitment: no report within " + timeout);
    }
    Set<String> committed =
        result.committed().stream()
            .map(StorageCommitment.Reference::sopInstanceUid)
            .collect(Collectors.toSet());
    List<RoutingJob.Instance> left =
        sent.stream().filter(i -> !committed.contains(uidAsSent(i, sentAs))).toList();
    if (left.isEmpty()) {
      return SendOutcome.done(sent.size());
    }
    Set<String> reasons = new TreeSet<>();
    for (StorageCommitment.Failure f : result.failed()) {
      reasons.add(String.format("%04X", f.reason()));
    }
    return SendOutcome.failed(
        sent.size() - left.size(),
        left,
        "storage commitment: "
            + left.size()
            + " of the "
            + sent.size()
            + " instances sent not committed"
            + (reasons.isEmpty() ? "" : " (failure reason " + String.join(", ", reasons) + ")"));
  }

  private static String uidAsSent(RoutingJob.Instance i, Map<String, String> sentAs) {
    return sentAs.getOrDefault(i.sopInstanceUid(), i.sopInstanceUid());
  }
}
