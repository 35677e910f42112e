package org.strata.routing.dimse;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.strata.dicom.net.ApplicationEntity;
import org.strata.dicom.net.Association;
import org.strata.dicom.net.DicomServer;
import org.strata.dicom.net.DimseException;
import org.strata.dicom.net.DimseRegistry;
import org.strata.dicom.net.Status;
import org.strata.dicom.net.StorageCommitment;
import org.strata.dicom.net.TransferCapability;
import org.strata.routing.config.RoutingConfig;

/**
 * Routing's DICOM listener for Storage Commitment reports (PS3.4 J.3.3): a destination asked to
 * commit what an attempt sent answers with an N-EVENT-REPORT on an association it opens to
 * routing's AE (its calling AE title, {@code strata.routing.commitment-port}). Each report
 * completes the attempt waiting for its Transaction UID; a report for no waiting transaction, or
 * from another AE than the one asked, is refused (0110) and changes nothing.
 */
@ApplicationScoped
public class CommitmentReports {
  private static final Logger LOG = Logger.getLogger(CommitmentReports.class);

  private final RoutingConfig config;
  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
  private DicomServer server;

  CommitmentReports(RoutingConfig config) {
    this.config = config;
  }

  void start(@Observes StartupEvent event) throws IOException {
    if (config.commitmentPort().isEmpty()) {
      return;
    }
    List<TransferCapability> caps = new ArrayList<>(TransferCapability.storageCommitment());
    caps.add(TransferCapability.verificationScp());
    server =
        DicomServer.builder()
            .bind(config.commitmentHost(), config.commitmentPort().get())
            .applicationEntity(new ApplicationEntity(config.callingAeTitle(), caps))
            .registry(new DimseRegistry().registerStorageCommitmentReports(this::onReport))
            .build()
            .start();
    LOG.infof(
        "storage commitment reports for %s accepted on %s:%d",
        config.callingAeTitle(), config.commitmentHost(), server.port());
  }

  void stop(@Observes ShutdownEvent event) {
    if (server != null) {
      server.close();
    }
  }

  /** Whether reports can reach routing at all (a listener is configured). */
  public boolean listening() {
    return server != null;
  }

  /** Expects the report of a transaction from {@code peerAe}; before the request is sent. */
  public Pending expect(String transactionUid, String peerAe) {
    Waiting w = new Waiting(peerAe, new CompletableFuture<>());
    waiting.put(transactionUid, w);
    return new Pending(transactionUid, w.result());
  }

  /** A transaction whose report is awaited. */
  public final class Pending {
    private final String transactionUid;
    private final CompletableFuture<StorageCommitment.Result> result;

    private Pending(String transactionUid, CompletableFuture<StorageCommitment.Result> result) {
      this.transactionUid = transactionUid;
      this.result = result;
    }

    /** The report, or null when none came within {@code timeout}. */
    public StorageCommitment.Result await(Duration timeout) throws InterruptedException {
      try {
        return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        return null;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      } finally {
        forget();
      }
    }

    /** No report is awaited any more (the request failed, or the wait ended). */
    public void forget() {
      waiting.remove(transactionUid);
    }
  }

  private void onReport(Association association, StorageCommitment.Result result)
      throws DimseException {
    Waiting w = waiting.get(result.transactionUid());
    if (w == null || !w.peerAe().equals(association.callingAE())) {
      LOG.debugf(
          "storage commitment report %s from %s matches no waiting attempt",
          result.transactionUid(), association.callingAE());
      throw new DimseException(Status.PROCESSING_FAILURE, "no such transaction awaited");
    }
    w.result().complete(result);
  }

  private record Waiting(String peerAe, CompletableFuture<StorageCommitment.Result> result) {}

  /** A fresh Transaction UID (2.25 form, PS3.5 B.2): unguessable, so reports cannot be forged. */
  public static String newTransactionUid() {
    java.util.UUID u = java.util.UUID.randomUUID();
    java.math.BigInteger n =
        new java.math.BigInteger(
            1,
            java.nio.ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits())
                .array());
    return "2.25." + n;
  }
}
