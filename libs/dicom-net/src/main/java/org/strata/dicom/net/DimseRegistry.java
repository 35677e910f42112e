package org.strata.dicom.net;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.strata.dicom.UID;

/**
 * DIMSE request handlers keyed by SOP Class UID. The Verification SOP class (C-ECHO SCP) is built
 * in. {@link #dispatch} answers requests nobody handles with 0122 (SOP class not supported).
 */
public final class DimseRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(DimseRegistry.class);

  private final Map<String, DimseRequestHandler> handlers = new ConcurrentHashMap<>();

  /** Handlers of one command of a SOP class (key "uid/field"), consulted first. */
  private final Map<String, DimseRequestHandler> byCommand = new ConcurrentHashMap<>();

  public DimseRegistry() {
    register(UID.Verification, DimseRegistry::echo);
  }

  public DimseRegistry register(String sopClassUid, DimseRequestHandler handler) {
    handlers.put(sopClassUid, handler);
    return this;
  }

  /**
   * Registers {@code handler} for one command of a SOP class only (e.g. N-ACTION-RQ and
   * N-EVENT-REPORT-RQ of Storage Commitment handled by different parts of an application).
   */
  public DimseRegistry register(String sopClassUid, int commandField, DimseRequestHandler handler) {
    byCommand.put(sopClassUid + "/" + commandField, handler);
    return this;
  }

  /**
   * Storage Commitment Push Model SCP: N-ACTION-RQ answered, {@code handler} asked, the report sent
   * on the requesting association if still open, else on a new association to the requestor's
   * address from {@code requestors}.
   */
  public DimseRegistry registerStorageCommitment(
      StorageCommitmentHandler handler, AeDirectory requestors, DicomClient.Options options) {
    return registerStorageCommitment(
        handler, requestors, options, StorageCommitmentScp.ReportDelivery.SAME_ASSOCIATION_IF_OPEN);
  }

  public DimseRegistry registerStorageCommitment(
      StorageCommitmentHandler handler,
      AeDirectory requestors,
      DicomClient.Options options,
      StorageCommitmentScp.ReportDelivery delivery) {
    return register(
        StorageCommitment.SOP_CLASS,
        Dimse.N_ACTION_RQ,
        StorageCommitmentScp.nAction(handler, requestors, options, delivery, this));
  }

  /**
   * Storage Commitment SCU: receives reports (N-EVENT-REPORT-RQ) the SCP sends on an association it
   * opens to us. The AE needs {@link TransferCapability#storageCommitment()}.
   */
  public DimseRegistry registerStorageCommitmentReports(StorageCommitmentListener listener) {
    return register(
        StorageCommitment.SOP_CLASS,
        Dimse.N_EVENT_REPORT_RQ,
        StorageCommitmentScp.nEventReport(listener));
  }

  /** Registers {@code handler} for every storage SOP class of the dictionary. */
  public DimseRegistry registerStorage(CStoreHandler handler) {
    DimseRequestHandler h = storageScp(handler);
    for (String sop : TransferCapability.storageSopClasses()) {
      register(sop, h);
    }
    return this;
  }

  /** Registers a C-FIND SCP for Patient Root and Study Root Query/Retrieve FIND. */
  public DimseRegistry registerFind(CFindHandler handler) {
    DimseRequestHandler h = QueryRetrieveScp.find(handler);
    register(UID.PatientRootQueryRetrieveInformationModelFind, h);
    return register(UID.StudyRootQueryRetrieveInformationModelFind, h);
  }

  /** Registers a C-MOVE SCP for Patient Root and Study Root Query/Retrieve MOVE. */
  public DimseRegistry registerMove(
      RetrieveHandler handler, MoveDestinations destinations, DicomClient.Options options) {
    DimseRequestHandler h = QueryRetrieveScp.move(handler, destinations, options);
    register(UID.PatientRootQueryRetrieveInformationModelMove, h);
    return register(UID.StudyRootQueryRetrieveInformationModelMove, h);
  }

  /** Registers a C-GET SCP for Patient Root and Study Root Query/Retrieve GET. */
  public DimseRegistry registerGet(RetrieveHandler handler) {
    DimseRequestHandler h = QueryRetrieveScp.get(handler);
    register(UID.PatientRootQueryRetrieveInformationModelGet, h);
    return register(UID.StudyRootQueryRetrieveInformationModelGet, h);
  }

  public DimseRequestHandler handler(String sopClassUid) {
    return handlers.get(sopClassUid);
  }

  private static void echo(Association as, PresentationContext pc, CommandSet rq, InputStream data)
      throws IOException, DimseException {
    if (rq.commandField() != Dimse.C_ECHO_RQ) {
      throw new DimseException(Status.UNRECOGNIZED_OPERATION, "only C-ECHO for Verification");
    }
    as.writeMessage(pc, CommandSet.responseTo(rq, Status.SUCCESS, null), null);
  }

  /** A C-STORE SCP around {@code handler}: the response goes out after the handler returns. */
  public static DimseRequestHandler storageScp(CStoreHandler handler) {
    return (as, pc, rq, data) -> {
      if (rq.commandField() != Dimse.C_STORE_RQ) {
        throw new DimseException(
            Status.UNRECOGNIZED_OPERATION, Dimse.name(rq.commandField()) + " not supported");
      }
      if (data == null) {
        throw new DimseException(Status.CANNOT_UNDERSTAND, "C-STORE-RQ without data set");
      }
      if (rq.affectedSopInstanceUid() == null) {
        throw new DimseException(Status.MISTYPED_ARGUMENT, "no Affected SOP Instance UID");
      }
      int status = handler.store(new CStoreHandler.StoreRequest(as, pc, rq), data);
      drain(data); // what the handler left unread, before the response
      as.writeMessage(pc, CommandSet.responseTo(rq, status, null), null);
    };
  }

  /**
   * Serves one request: finds the handler, runs it, answers with the status of a {@link
   * DimseException} (or 0110 for an unexpected error) when it did not respond. Failures of the
   * association itself propagate.
   */
  public void dispatch(Association as, Association.Message msg) throws IOException {
    CommandSet rq = msg.command();
    PresentationContext pc = msg.presentationContext();
    int field = rq.commandField();
    if (!Dimse.isRequest(field)) {
      LOG.debug("{}: ignored unexpected {}", as, rq);
      return;
    }
    if (field == Dimse.C_CANCEL_RQ) {
      return; // no operation to cancel: requests are served one at a time
    }
    String sop = rq.sopClassUid();
    DimseRequestHandler h = null;
    if (sop != null) {
      if (!byCommand.isEmpty()) {
        h = byCommand.get(sop + "/" + field);
      }
      if (h == null) {
        h = handlers.get(sop);
      }
    }
    int status;
    String comment;
    Throwable cause = null;
    try {
      if (h == null) {
        throw new DimseException(Status.SOP_CLASS_NOT_SUPPORTED, "SOP class not supported");
      }
      if (!sop.equals(pc.abstractSyntax())) {
        throw new DimseException(
            Status.SOP_CLASS_NOT_SUPPORTED, "SOP class differs from the presentation context");
      }
      h.onDimseRQ(as, pc, rq, msg.data());
      return;
    } catch (DimseException e) {
      status = e.status();
      comment = e.errorComment();
    } catch (IOException e) {
      if (!as.isEstablished()) {
        throw e;
      }
      status = field == Dimse.C_STORE_RQ ? Status.OUT_OF_RESOURCES : Status.PROCESSING_FAILURE;
      comment = "I/O error";
      cause = e;
    } catch (RuntimeException e) {
      if (!as.isEstablished()) {
        throw e;
      }
      status = Status.PROCESSING_FAILURE;
      comment = "processing failure";
      cause = e;
    }
    if (cause != null) {
      LOG.warn("{}: {} failed: {}", as, Dimse.name(field), cause.toString());
    }
    if (msg.data() != null) {
      drain(msg.data());
    }
    as.writeMessage(pc, CommandSet.responseTo(rq, status, comment), null);
  }

  private static void drain(InputStream in) throws IOException {
    byte[] sink = new byte[8192];
    while (in.read(sink) >= 0) {
      // discard
    }
  }
}
