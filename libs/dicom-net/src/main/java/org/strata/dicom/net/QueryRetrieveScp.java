package org.strata.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;

/**
 * C-FIND, C-MOVE and C-GET SCPs around {@link CFindHandler} and {@link RetrieveHandler} (PS3.4
 * Annex C, PS3.7 9.1.2-9.1.4). One operation at a time per association: between responses (and
 * sub-operations) the association is polled for a C-CANCEL-RQ; any other request meanwhile is a
 * violation of the negotiated asynchronous operations window (1) and aborts the association.
 */
public final class QueryRetrieveScp {
  private static final Logger LOG = LoggerFactory.getLogger(QueryRetrieveScp.class);

  private QueryRetrieveScp() {}

  // ------------------------------------------------------------------ C-FIND

  /** A C-FIND SCP: Pending per match, C-CANCEL between matches, then Success. */
  public static DimseRequestHandler find(CFindHandler handler) {
    return (as, pc, rq, data) -> {
      requireCommand(rq, Dimse.C_FIND_RQ);
      Attributes keys = identifier(data, pc);
      QueryRequest request = new QueryRequest(as, pc, rq);
      Stream<CFindHandler.Match> found = handler.find(request, keys);
      int sent = 0;
      try (Stream<CFindHandler.Match> matches = found == null ? Stream.empty() : found) {
        Iterator<CFindHandler.Match> it = matches.iterator();
        while (true) {
          if (cancelled(as, rq)) {
            LOG.debug("{}: C-FIND cancelled after {} matches", as, sent);
            as.writeMessage(pc, CommandSet.responseTo(rq, Status.CANCEL, null), null);
            return;
          }
          CFindHandler.Match m;
          try {
            if (!it.hasNext()) {
              break;
            }
            m = it.next();
          } catch (UncheckedDimseException e) {
            throw e.getCause();
          } catch (RuntimeException e) {
            LOG.warn("{}: C-FIND handler failed after {} matches: {}", as, sent, e.toString());
            throw new DimseException(Status.UNABLE_TO_PROCESS, "unable to process", e);
          }
          int status = m.optionalKeysUnsupported() ? Status.PENDING_WARNING : Status.PENDING;
          as.writeMessage(
              pc,
              CommandSet.responseTo(rq, status, null).withDataSet(true),
              Identifier.writer(m.identifier(), pc.transferSyntax()));
          sent++;
        }
      }
      as.writeMessage(pc, CommandSet.responseTo(rq, Status.SUCCESS, null), null);
    };
  }

  // ------------------------------------------------------------------ C-MOVE and C-GET

  /**
   * A C-MOVE SCP: sends the instances over a new association from the called AE title to the move
   * destination resolved by {@code destinations} (unknown: A801).
   */
  public static DimseRequestHandler move(
      RetrieveHandler handler, MoveDestinations destinations, DicomClient.Options options) {
    return (as, pc, rq, data) -> {
      requireCommand(rq, Dimse.C_MOVE_RQ);
      String dest = rq.getString(Tag.MoveDestination);
      if (dest == null || dest.isEmpty()) {
        throw new DimseException(Status.MOVE_DESTINATION_UNKNOWN, "no move destination");
      }
      Attributes keys = identifier(data, pc);
      InetSocketAddress address = destinations.lookup(dest);
      if (address == null) {
        throw new DimseException(Status.MOVE_DESTINATION_UNKNOWN, "move destination unknown");
      }
      List<RetrieveHandler.Instance> instances =
          handler.retrieve(new QueryRequest(as, pc, rq), keys);
      Progress p = new Progress(as, pc, rq, instances.size());
      if (instances.isEmpty()) {
        p.finish();
        return;
      }
      DicomClient client;
      try {
        client =
            DicomClient.connect(
                address.getHostString(),
                address.getPort(),
                as.calledAE(),
                dest,
                proposalFor(instances),
                options);
      } catch (IOException e) {
        LOG.info("{}: C-MOVE to {} failed to associate: {}", as, dest, e.toString());
        for (RetrieveHandler.Instance i : instances) {
          p.failed(i);
        }
        p.finish();
        return;
      }
      try {
        for (RetrieveHandler.Instance inst : instances) {
          if (cancelled(as, rq)) {
            p.cancel();
            return;
          }
          if (!client.association().isEstablished()) {
            p.failed(inst);
            continue;
          }
          int status;
          try (InputStream in = inst.dataSet().open()) {
            status =
                client.storeSubOperation(
                    inst.sopClassUid(),
                    inst.sopInstanceUid(),
                    inst.transferSyntax(),
                    in,
                    as.callingAE(),
                    rq.messageId());
          } catch (NoPresentationContextException e) {
            LOG.debug("{}: C-MOVE sub-operation not sent: {}", as, e.getMessage());
            status = Status.UNABLE_TO_PERFORM_SUB_OPERATIONS;
          } catch (IOException e) {
            LOG.info("{}: C-MOVE sub-operation failed: {}", as, e.toString());
            status = Status.UNABLE_TO_PERFORM_SUB_OPERATIONS;
          }
          p.record(inst, status);
        }
      } finally {
        if (client.association().isEstablished()) {
          try {
            client.release();
          } catch (IOException e) {
            LOG.debug("{}: release of the C-MOVE sub-association failed: {}", as, e.toString());
          }
        } else {
          client.abort();
        }
      }
      p.finish();
    };
  }

  /**
   * A C-GET SCP: sends the instances as C-STORE sub-operations on the requesting association, on
   * presentation contexts the requestor accepted as SCP (SCP/SCU role selection).
   */
  public static DimseRequestHandler get(RetrieveHandler handler) {
    return (as, pc, rq, data) -> {
      requireCommand(rq, Dimse.C_GET_RQ);
      Attributes keys = identifier(data, pc);
      List<RetrieveHandler.Instance> instances =
          handler.retrieve(new QueryRequest(as, pc, rq), keys);
      Progress p = new Progress(as, pc, rq, instances.size());
      boolean cancel = false;
      for (RetrieveHandler.Instance inst : instances) {
        if (cancel || cancelled(as, rq)) {
          p.cancel();
          return;
        }
        PresentationContext spc = as.findContext(inst.sopClassUid(), inst.transferSyntax());
        if (spc == null) {
          LOG.debug("{}: C-GET sub-operation without an accepted context", as);
          p.failed(inst);
          continue;
        }
        InputStream in;
        try {
          in = inst.dataSet().open();
        } catch (IOException e) {
          LOG.info("{}: C-GET instance cannot be read: {}", as, e.toString());
          p.failed(inst);
          continue;
        }
        CommandSet store =
            CommandSet.cStoreRQ(
                as.nextMessageId(),
                inst.sopClassUid(),
                inst.sopInstanceUid(),
                Dimse.PRIORITY_MEDIUM);
        try (in) {
          as.writeMessage(spc, store, in::transferTo);
        }
        // the C-STORE-RSP; a C-CANCEL-RQ may come first
        int status = -1;
        while (status < 0) {
          Association.Message m = as.readMessage();
          if (m == null) {
            throw new IOException("association released during C-GET");
          }
          CommandSet c = m.command();
          if (c.commandField() == Dimse.C_CANCEL_RQ) {
            cancel |= c.messageIdBeingRespondedTo() == rq.messageId();
          } else if (c.commandField() == Dimse.C_STORE_RSP
              && c.messageIdBeingRespondedTo() == store.messageId()) {
            status = c.status();
          } else {
            as.abort();
            throw new IOException("unexpected " + c + " while awaiting a C-STORE-RSP of C-GET");
          }
        }
        p.record(inst, status);
      }
      if (cancel) {
        p.cancel();
        return;
      }
      p.finish();
    };
  }

  /** Counts sub-operations and sends the Pending and final responses of C-MOVE and C-GET. */
  private static final class Progress {
    private final Association as;
    private final PresentationContext pc;
    private final CommandSet rq;
    private int remaining;
    private int completed;
    private int failed;
    private int warning;
    private final List<String> failedUids = new ArrayList<>();

    Progress(Association as, PresentationContext pc, CommandSet rq, int total) {
      this.as = as;
      this.pc = pc;
      this.rq = rq;
      this.remaining = total;
    }

    int remaining() {
      return remaining;
    }

    void failed(RetrieveHandler.Instance inst) {
      remaining--;
      failed++;
      failedUids.add(inst.sopInstanceUid());
    }

    /** Counts a sub-operation's status and sends a Pending response if more follow. */
    void record(RetrieveHandler.Instance inst, int status) throws IOException {
      if (Status.isSuccess(status)) {
        remaining--;
        completed++;
      } else if (Status.isWarning(status)) {
        remaining--;
        warning++;
      } else {
        failed(inst);
      }
      if (remaining > 0) {
        as.writeMessage(pc, counts(Status.PENDING, true), null);
      }
    }

    void cancel() throws IOException {
      LOG.debug("{}: {} cancelled, {} remaining", as, Dimse.name(rq.commandField()), remaining);
      send(Status.CANCEL, true);
    }

    void finish() throws IOException {
      int status;
      if (failed == 0 && warning == 0) {
        status = Status.SUCCESS;
      } else if (completed == 0 && warning == 0) {
        status = Status.UNABLE_TO_PERFORM_SUB_OPERATIONS;
      } else {
        status = Status.SUB_OPERATIONS_COMPLETE_WITH_FAILURES;
      }
      send(status, false);
    }

    private void send(int status, boolean withRemaining) throws IOException {
      CommandSet rsp = counts(status, withRemaining);
      if (failedUids.isEmpty()) {
        as.writeMessage(pc, rsp, null);
        return;
      }
      // the Failed SOP Instance UID List (0008,0058) in an identifier
      Attributes id = new Attributes();
      id.setString(Tag.FailedSOPInstanceUIDList, VR.UI, failedUids.toArray(String[]::new));
      as.writeMessage(pc, rsp.withDataSet(true), Identifier.writer(id, pc.transferSyntax()));
    }

    private CommandSet counts(int status, boolean withRemaining) {
      CommandSet rsp = CommandSet.responseTo(rq, status, null);
      if (withRemaining) {
        rsp.setUS(Tag.NumberOfRemainingSuboperations, remaining);
      }
      rsp.setUS(Tag.NumberOfCompletedSuboperations, completed);
      rsp.setUS(Tag.NumberOfFailedSuboperations, failed);
      rsp.setUS(Tag.NumberOfWarningSuboperations, warning);
      return rsp;
    }
  }

  // ------------------------------------------------------------------ helpers

  private static DicomClient.Proposal proposalFor(List<RetrieveHandler.Instance> instances) {
    Set<String> pairs = new LinkedHashSet<>();
    DicomClient.Proposal proposal = DicomClient.proposal();
    for (RetrieveHandler.Instance i : instances) {
      if (pairs.size() < 128 && pairs.add(i.sopClassUid() + "|" + i.transferSyntax())) {
        proposal.add(i.sopClassUid(), i.transferSyntax());
      }
    }
    return proposal;
  }

  private static void requireCommand(CommandSet rq, int field) throws DimseException {
    if (rq.commandField() != field) {
      throw new DimseException(
          Status.UNRECOGNIZED_OPERATION, Dimse.name(rq.commandField()) + " not supported");
    }
  }

  private static Attributes identifier(InputStream data, PresentationContext pc)
      throws IOException, DimseException {
    if (data == null) {
      throw new DimseException(Status.UNABLE_TO_PROCESS, "request without identifier");
    }
    return Identifier.read(data, pc.transferSyntax());
  }

  /**
   * True if a C-CANCEL-RQ for {@code rq} has arrived. A C-CANCEL for another message id is ignored;
   * any other message aborts the association (only one operation may be outstanding).
   */
  static boolean cancelled(Association as, CommandSet rq) throws IOException {
    while (true) {
      Association.Message m = as.pollMessage();
      if (m == null) {
        if (!as.isEstablished()) {
          throw new IOException("association ended during " + Dimse.name(rq.commandField()));
        }
        return false;
      }
      CommandSet c = m.command();
      if (c.commandField() != Dimse.C_CANCEL_RQ) {
        as.abort();
        throw new IOException(
            "peer sent " + c + " during " + Dimse.name(rq.commandField()) + ", aborted");
      }
      if (c.messageIdBeingRespondedTo() == rq.messageId()) {
        return true;
      }
    }
  }
}
