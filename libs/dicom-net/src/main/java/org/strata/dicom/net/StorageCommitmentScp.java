package org.strata.dicom.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.strata.dicom.Tag;

/**
 * Storage Commitment Push Model, both ends of the report (PS3.4 J.3): the SCP's N-ACTION handler
 * that answers, asks a {@link StorageCommitmentHandler} and sends the N-EVENT-REPORT; and the SCU's
 * N-EVENT-REPORT handler for reports arriving on an association the SCP opened.
 */
public final class StorageCommitmentScp {
  private static final Logger LOG = LoggerFactory.getLogger(StorageCommitmentScp.class);

  /** Where the SCP sends the report. */
  public enum ReportDelivery {
    /**
     * On the requesting association if it is still open when the result is known, else on a new
     * association to the requestor (the default).
     */
    SAME_ASSOCIATION_IF_OPEN,
    /**
     * Always on a new association to the requestor (what most PACS and IHE RAD-10 peers expect).
     */
    NEW_ASSOCIATION
  }

  private StorageCommitmentScp() {}

  /**
   * The SCP's N-ACTION-RQ handler.
   *
   * @param requestors where requestors listen, by AE title, for reports on a new association
   * @param options for that association; we propose the SCP role there (role selection)
   * @param registry serves requests the peer sends while the report awaits its response
   */
  static DimseRequestHandler nAction(
      StorageCommitmentHandler handler,
      AeDirectory requestors,
      DicomClient.Options options,
      ReportDelivery delivery,
      DimseRegistry registry) {
    return (as, pc, rq, data) -> {
      if (!StorageCommitment.SOP_INSTANCE.equals(rq.getString(Tag.RequestedSOPInstanceUID))) {
        throw new DimseException(Status.NO_SUCH_OBJECT_INSTANCE, "not the well-known instance");
      }
      if (rq.getInt(Tag.ActionTypeID, -1) != StorageCommitment.ACTION_REQUEST) {
        throw new DimseException(Status.NO_SUCH_ACTION_TYPE, "action type not supported");
      }
      if (data == null) {
        throw new DimseException(Status.MISSING_ATTRIBUTE, "N-ACTION-RQ without action data");
      }
      StorageCommitment.Request request =
          StorageCommitment.Request.of(Identifier.read(data, pc.transferSyntax()));
      as.writeMessage(pc, StorageCommitment.nActionRSP(rq, Status.SUCCESS, null), null);
      LOG.debug(
          "{}: storage commitment of {} instances, transaction {}",
          as,
          request.references().size(),
          request.transactionUid());
      // From here on nothing may escape: the N-ACTION has been answered.
      StorageCommitment.Result result;
      try {
        result = handler.commit(as, request);
      } catch (IOException | RuntimeException e) {
        LOG.warn("{}: storage commitment handler failed: {}", as, e.toString());
        result = StorageCommitment.Result.allFailed(request, StorageCommitment.PROCESSING_FAILURE);
      }
      boolean sent = false;
      if (delivery == ReportDelivery.SAME_ASSOCIATION_IF_OPEN && as.isEstablished()) {
        try {
          sent = reportOnSameAssociation(as, pc, result, registry);
        } catch (IOException e) {
          LOG.info(
              "{}: storage commitment report on the same association failed: {}", as, e.toString());
        }
      }
      if (!sent) {
        sent = reportOnNewAssociation(as.calledAE(), as.callingAE(), result, requestors, options);
      }
      if (!sent) {
        LOG.warn("{}: storage commitment report to {} could not be delivered", as, as.callingAE());
      }
      if (!as.isEstablished()) {
        // the requestor released while we reported elsewhere: the dispatcher's loop ends
        LOG.debug("{}: ended while the storage commitment report was sent", as);
      }
    };
  }

  /** True if the peer answered the report on the requesting association. */
  private static boolean reportOnSameAssociation(
      Association as,
      PresentationContext pc,
      StorageCommitment.Result result,
      DimseRegistry registry)
      throws IOException {
    // whatever already arrived (a release, another request) comes first
    Association.Message waiting;
    while ((waiting = as.pollMessage()) != null) {
      registry.dispatch(as, waiting);
    }
    if (!as.isEstablished()) {
      return false;
    }
    CommandSet rq = StorageCommitment.nEventReportRQ(as.nextMessageId(), result.eventTypeId());
    as.writeMessage(pc, rq, Identifier.writer(result.toAttributes(), pc.transferSyntax()));
    while (true) {
      Association.Message m = as.readMessage();
      if (m == null) {
        return false; // released without answering: send it again on a new association
      }
      CommandSet c = m.command();
      if (Dimse.isRequest(c.commandField())) {
        registry.dispatch(as, m); // the window is per direction: the peer may invoke meanwhile
      } else if (c.commandField() == Dimse.N_EVENT_REPORT_RSP
          && c.messageIdBeingRespondedTo() == rq.messageId()) {
        logReportStatus(as, c.status());
        return true;
      } else {
        LOG.debug("{}: ignored {} while awaiting N-EVENT-REPORT-RSP", as, c);
      }
    }
  }

  private static boolean reportOnNewAssociation(
      String ourAE,
      String requestorAE,
      StorageCommitment.Result result,
      AeDirectory requestors,
      DicomClient.Options options) {
    InetSocketAddress address = requestors == null ? null : requestors.lookup(requestorAE);
    if (address == null) {
      LOG.warn("storage commitment requestor {} has no known address", requestorAE);
      return false;
    }
    var proposal =
        DicomClient.proposal().storageCommitment().role(StorageCommitment.SOP_CLASS, false, true);
    try (DicomClient c =
        DicomClient.connect(
            address.getHostString(), address.getPort(), ourAE, requestorAE, proposal, options)) {
      int status = c.sendStorageCommitmentResult(result);
      logReportStatus(c.association(), status);
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.info("storage commitment report to {} failed: {}", requestorAE, e.toString());
      return false;
    }
  }

  private static void logReportStatus(Association as, int status) {
    if (!Status.isSuccess(status)) {
      LOG.info("{}: N-EVENT-REPORT-RSP status {}", as, Status.hex(status));
    }
  }

  /** The SCU's N-EVENT-REPORT-RQ handler for reports on an association the SCP opened. */
  static DimseRequestHandler nEventReport(StorageCommitmentListener listener) {
    return (as, pc, rq, data) -> {
      int type = rq.getInt(Tag.EventTypeID, -1);
      if (type != StorageCommitment.EVENT_SUCCESS && type != StorageCommitment.EVENT_FAILURES) {
        throw new DimseException(Status.NO_SUCH_EVENT_TYPE, "event type not supported");
      }
      if (data == null) {
        throw new DimseException(Status.MISSING_ATTRIBUTE, "N-EVENT-REPORT-RQ without data");
      }
      StorageCommitment.Result result =
          StorageCommitment.Result.of(Identifier.read(data, pc.transferSyntax()));
      listener.onResult(as, result);
      as.writeMessage(pc, StorageCommitment.nEventReportRSP(rq, Status.SUCCESS, null), null);
    };
  }
}
