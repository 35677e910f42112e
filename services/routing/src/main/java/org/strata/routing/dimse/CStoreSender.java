package org.strata.routing.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;
import org.strata.dicom.UID;
import org.strata.dicom.codec.Transcoder;
import org.strata.dicom.deid.Deidentifier;
import org.strata.dicom.net.DicomClient;
import org.strata.dicom.net.KnownAes;
import org.strata.dicom.net.NoPresentationContextException;
import org.strata.dicom.net.StoredDataSet;
import org.strata.dicom.net.pdu.AAbortException;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.events.RoutingJob;
import org.strata.routing.config.RoutingConfig;
import org.strata.routing.service.OutgoingObjects;
import org.strata.routing.service.Progress;
import org.strata.routing.service.RulesDocument.Destination;
import org.strata.routing.service.SendOutcome;
import org.strata.routing.service.Sender;

/**
 * C-STORE SCU to a DIMSE destination: one association per attempt, for each SOP class and stored
 * transfer syntax of the job one presentation context with that syntax and one with the native
 * syntaxes dicom-core can transcode it to (ADR 0063). Each instance is sent as stored when the
 * destination accepts its syntax, else transcoded while it streams; an instance it accepts in
 * neither fails the attempt with that reason. A job that de-identifies sends de-identified copies
 * (new UIDs; ADR 0050).
 */
@ApplicationScoped
public class CStoreSender implements Sender {
  private static final Logger LOG = Logger.getLogger(CStoreSender.class);

  private final KnownAeDirectory knownAes;
  private final OutgoingObjects objects;
  private final String callingAe;
  private final CommitmentProof commitment;

  CStoreSender(
      KnownAeDirectory knownAes,
      OutgoingObjects objects,
      RoutingConfig config,
      CommitmentProof commitment) {
    this.knownAes = knownAes;
    this.objects = objects;
    this.callingAe = config.callingAeTitle();
    this.commitment = commitment;
  }

  @Override
  public SendOutcome send(
      RoutingJob job, Destination destination, BooleanSupplier cancelled, Progress progress) {
    List<RoutingJob.Instance> todo = job.instances();
    if (todo.isEmpty()) {
      return SendOutcome.done(
          0); // a record left with nothing to send (written before the fix below)
    }
    Deidentifier deid;
    try {
      deid = objects.deidentifier(job, destination);
    } catch (OutgoingObjects.KeyUnavailable e) {
      return SendOutcome.failed(0, todo, e.getMessage());
    }
    // The SOP Instance UIDs as sent (de-identification replaces them): what commitment names.
    Map<String, String> sentAs = new HashMap<>();
    String host;
    int port;
    var dimse = destination.dimse();
    try {
      if (dimse.host() != null) {
        host = dimse.host();
        port = dimse.port();
      } else {
        KnownAes.KnownAe ae = knownAes.find(dimse.aeTitle());
        if (ae == null) {
          return SendOutcome.failed(0, todo, "AE not in the known-AE file (or without address)");
        }
        host = ae.host();
        port = ae.port();
      }
    } catch (IOException | IllegalArgumentException e) {
      return SendOutcome.failed(0, todo, "known-AE file not readable: " + e.getMessage());
    }
    DicomClient.Proposal proposal = DicomClient.proposal();
    long pairs =
        todo.stream().map(i -> i.sopClassUid() + "|" + i.transferSyntaxUid()).distinct().count();
    // with the transcoding contexts while all fit in the 128 a proposal may hold (PS3.8 9.3.2.2)
    boolean transcoding = 2 * pairs + 1 <= 128;
    for (RoutingJob.Instance i : todo) {
      proposal.add(i.sopClassUid(), i.transferSyntaxUid());
      String[] natives = transcodableTo(i.transferSyntaxUid());
      if (transcoding && natives.length > 0) {
        proposal.add(i.sopClassUid(), natives);
      }
    }
    if (dimse.commitOrDefault()) {
      proposal.storageCommitment();
    }
    int sent = 0;
    CommitmentReports.Pending committing = null;
    try (DicomClient client =
        DicomClient.connect(
            host, port, callingAe, dimse.aeTitle(), proposal, DicomClient.Options.DEFAULTS)) {
      for (RoutingJob.Instance i : todo) {
        if (cancelled.getAsBoolean()) {
          return SendOutcome.cancelled(sent);
        }
        int status;
        String syntax = syntaxFor(client, i);
        try (OutgoingObjects.Outgoing out = objects.prepare(i, deid);
            InputStream dataSet =
                syntax.equals(i.transferSyntaxUid())
                    ? StoredDataSet.open(out.open())
                    : TranscodedDataSet.open(out.open(), syntax)) {
          status = client.store(i.sopClassUid(), out.sopInstanceUid(), syntax, dataSet);
          sentAs.put(i.sopInstanceUid(), out.sopInstanceUid());
        }
        if (!successOrWarning(status)) {
          return SendOutcome.failed(
              sent,
              todo.subList(sent, todo.size()),
              String.format("C-STORE refused with status %04X", status));
        }
        sent++;
        progress.confirmed(sent);
        LOG.debugf("sent %s to %s", i.sopInstanceUid(), destination.name());
      }
      if (!dimse.commitOrDefault()) {
        return SendOutcome.done(sent);
      }
      committing = commitment.request(client, dimse.aeTitle(), todo, sentAs);
    } catch (CommitmentProof.Refused e) {
      return SendOutcome.failed(0, todo, e.getMessage());
    } catch (IOException | RuntimeException e) {
      return stopped(todo, sent, dimse.commitOrDefault(), committing, sentAs, reason(e));
    }
    // the association is released: the destination reports on one it opens (ADR 0052)
    return commitment.outcome(committing, todo, sentAs);
  }

  /**
   * The attempt stopped on a fault. Once every instance was answered with success, a fault after
   * them (a peer that aborts or drops the connection instead of releasing) does not undo the
   * delivery: the job is done, or waits for its commitment report if it was asked for. Before, such
   * an attempt failed with nothing left to send, and every later attempt failed on the empty job.
   */
  private SendOutcome stopped(
      List<RoutingJob.Instance> todo,
      int sent,
      boolean commit,
      CommitmentReports.Pending committing,
      Map<String, String> sentAs,
      String reason) {
    if (committing != null) {
      return commitment.outcome(committing, todo, sentAs);
    }
    if (sent < todo.size()) {
      return SendOutcome.failed(sent, todo.subList(sent, todo.size()), reason);
    }
    return commit ? SendOutcome.failed(0, todo, reason) : SendOutcome.done(sent);
  }

  /** Native syntaxes the transcoder writes, in our order of preference. */
  private static final List<String> NATIVE =
      List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);

  /** The native syntaxes an object stored in {@code stored} can be transcoded to (not itself). */
  static String[] transcodableTo(String stored) {
    return NATIVE.stream()
        .filter(ts -> !ts.equals(stored) && Transcoder.canTranscode(stored, ts))
        .toArray(String[]::new);
  }

  /**
   * The syntax to send {@code i} in: as stored when the destination accepted that, else the first
   * native one it accepted that the object can be transcoded to; else as stored, which the C-STORE
   * refuses (no presentation context) with the reason.
   */
  private static String syntaxFor(DicomClient client, RoutingJob.Instance i) {
    String stored = i.transferSyntaxUid();
    if (client.association().findContext(i.sopClassUid(), stored) != null) {
      return stored;
    }
    for (String ts : transcodableTo(stored)) {
      if (client.association().findContext(i.sopClassUid(), ts) != null) {
        return ts;
      }
    }
    return stored;
  }

  /** Why an attempt stopped, in the job's reason (never PHI). */
  private static String reason(Exception e) {
    return switch (e) {
      case AAssociateRJException rj -> "association rejected: " + rj.getMessage();
      case AAbortException abort -> "association aborted: " + abort.getMessage();
      case NoPresentationContextException none ->
          "the destination accepts a SOP class neither in its stored transfer syntax nor in one"
              + " it can be transcoded to";
      case TranscodedDataSet.Failed failed -> "transcoding failed: " + failed.getMessage();
      default -> "C-STORE failed: " + e.getClass().getSimpleName();
    };
  }

  /** PS3.7 C.4.2.1.4: 0000 success, 0001 and Bxxx warnings (stored, with a remark). */
  static boolean successOrWarning(int status) {
    return status == 0x0000 || status == 0x0001 || (status & 0xF000) == 0xB000;
  }
}
