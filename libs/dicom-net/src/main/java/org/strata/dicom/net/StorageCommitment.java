package org.strata.dicom.net;

import java.util.ArrayList;
import java.util.List;
import org.strata.dicom.Attributes;
import org.strata.dicom.Sequence;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;

/**
 * Storage Commitment Push Model (PS3.4 Annex J): the request (N-ACTION-RQ, action type 1) and the
 * result (N-EVENT-REPORT-RQ, event type 1 when every instance is committed, 2 when some failed),
 * their data sets, and the command sets of both services.
 */
public final class StorageCommitment {
  public static final String SOP_CLASS = UID.StorageCommitmentPushModel;

  /** The well-known SOP instance every request and report addresses. */
  public static final String SOP_INSTANCE = UID.StorageCommitmentPushModelInstance;

  public static final int ACTION_REQUEST = 1;
  public static final int EVENT_SUCCESS = 1;
  public static final int EVENT_FAILURES = 2;

  // Failure Reason (0008,1197) values, PS3.3 C.14.1.1
  public static final int PROCESSING_FAILURE = 0x0110;
  public static final int NO_SUCH_OBJECT_INSTANCE = 0x0112;
  public static final int RESOURCE_LIMITATION = 0x0213;
  public static final int REFERENCED_SOP_CLASS_NOT_SUPPORTED = 0x0122;
  public static final int CLASS_INSTANCE_CONFLICT = 0x0119;
  public static final int DUPLICATE_TRANSACTION_UID = 0x0131;

  private StorageCommitment() {}

  /** A referenced SOP instance. */
  public record Reference(String sopClassUid, String sopInstanceUid) {}

  /** An instance that could not be committed, with its Failure Reason. */
  public record Failure(String sopClassUid, String sopInstanceUid, int reason) {}

  /** The request: a transaction and the instances whose storage is to be committed. */
  public record Request(String transactionUid, List<Reference> references) {
    public Request {
      references = List.copyOf(references);
    }

    /** The Storage Commitment Request data set (PS3.4 J.3.2.1.1). */
    public Attributes toAttributes() {
      Attributes a = new Attributes();
      a.setString(Tag.TransactionUID, VR.UI, transactionUid);
      Sequence seq = a.newSequence(Tag.ReferencedSOPSequence);
      for (Reference r : references) {
        Attributes item = seq.addItem();
        item.setString(Tag.ReferencedSOPClassUID, VR.UI, r.sopClassUid());
        item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, r.sopInstanceUid());
      }
      return a;
    }

    /**
     * Reads a request data set.
     *
     * @throws DimseException 0120 (missing attribute) without Transaction UID or references
     */
    public static Request of(Attributes a) throws DimseException {
      String tx = a.getString(Tag.TransactionUID);
      if (tx == null || tx.isEmpty()) {
        throw new DimseException(Status.MISSING_ATTRIBUTE, "no Transaction UID");
      }
      List<Attributes> items = a.getItems(Tag.ReferencedSOPSequence);
      if (items.isEmpty()) {
        throw new DimseException(Status.MISSING_ATTRIBUTE, "no Referenced SOP Sequence");
      }
      List<Reference> refs = new ArrayList<>(items.size());
      for (Attributes item : items) {
        String cuid = item.getString(Tag.ReferencedSOPClassUID);
        String iuid = item.getString(Tag.ReferencedSOPInstanceUID);
        if (cuid == null || iuid == null) {
          throw new DimseException(Status.MISSING_ATTRIBUTE, "incomplete Referenced SOP item");
        }
        refs.add(new Reference(cuid, iuid));
      }
      return new Request(tx, refs);
    }
  }

  /** The outcome of a transaction: what is committed and what failed. */
  public record Result(String transactionUid, List<Reference> committed, List<Failure> failed) {
    public Result {
      committed = List.copyOf(committed);
      failed = List.copyOf(failed);
    }

    /** Event Type ID: 1 when nothing failed, else 2. */
    public int eventTypeId() {
      return failed.isEmpty() ? EVENT_SUCCESS : EVENT_FAILURES;
    }

    /** Every reference of {@code request} failed with {@code reason}. */
    public static Result allFailed(Request request, int reason) {
      List<Failure> f = new ArrayList<>();
      for (Reference r : request.references()) {
        f.add(new Failure(r.sopClassUid(), r.sopInstanceUid(), reason));
      }
      return new Result(request.transactionUid(), List.of(), f);
    }

    /** The event information data set (PS3.4 J.3.3.1.1 and J.3.3.1.2). */
    public Attributes toAttributes() {
      Attributes a = new Attributes();
      a.setString(Tag.TransactionUID, VR.UI, transactionUid);
      if (!committed.isEmpty()) {
        Sequence seq = a.newSequence(Tag.ReferencedSOPSequence);
        for (Reference r : committed) {
          Attributes item = seq.addItem();
          item.setString(Tag.ReferencedSOPClassUID, VR.UI, r.sopClassUid());
          item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, r.sopInstanceUid());
        }
      }
      if (!failed.isEmpty()) {
        Sequence seq = a.newSequence(Tag.FailedSOPSequence);
        for (Failure f : failed) {
          Attributes item = seq.addItem();
          item.setString(Tag.ReferencedSOPClassUID, VR.UI, f.sopClassUid());
          item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, f.sopInstanceUid());
          item.set(
              Tag.FailureReason, VR.US, new byte[] {(byte) f.reason(), (byte) (f.reason() >>> 8)});
        }
      }
      return a;
    }

    /**
     * Reads an event information data set.
     *
     * @throws DimseException 0120 (missing attribute) without Transaction UID
     */
    public static Result of(Attributes a) throws DimseException {
      String tx = a.getString(Tag.TransactionUID);
      if (tx == null || tx.isEmpty()) {
        throw new DimseException(Status.MISSING_ATTRIBUTE, "no Transaction UID");
      }
      List<Reference> ok = new ArrayList<>();
      for (Attributes item : a.getItems(Tag.ReferencedSOPSequence)) {
        ok.add(
            new Reference(
                item.getString(Tag.ReferencedSOPClassUID),
                item.getString(Tag.ReferencedSOPInstanceUID)));
      }
      List<Failure> failed = new ArrayList<>();
      for (Attributes item : a.getItems(Tag.FailedSOPSequence)) {
        failed.add(
            new Failure(
                item.getString(Tag.ReferencedSOPClassUID),
                item.getString(Tag.ReferencedSOPInstanceUID),
                item.getInt(Tag.FailureReason, PROCESSING_FAILURE)));
      }
      return new Result(tx, ok, failed);
    }
  }

  // ------------------------------------------------------------------ command sets

  static CommandSet nActionRQ(int messageId) {
    return new CommandSet()
        .setUID(Tag.RequestedSOPClassUID, SOP_CLASS)
        .setUS(Tag.CommandField, Dimse.N_ACTION_RQ)
        .setUS(Tag.MessageID, messageId)
        .setUS(Tag.CommandDataSetType, Dimse.DATA_SET_PRESENT)
        .setUID(Tag.RequestedSOPInstanceUID, SOP_INSTANCE)
        .setUS(Tag.ActionTypeID, ACTION_REQUEST);
  }

  static CommandSet nActionRSP(CommandSet rq, int status, String comment) {
    return CommandSet.responseTo(rq, status, comment)
        .setUID(Tag.AffectedSOPInstanceUID, SOP_INSTANCE)
        .setUS(Tag.ActionTypeID, ACTION_REQUEST);
  }

  static CommandSet nEventReportRQ(int messageId, int eventTypeId) {
    return new CommandSet()
        .setUID(Tag.AffectedSOPClassUID, SOP_CLASS)
        .setUS(Tag.CommandField, Dimse.N_EVENT_REPORT_RQ)
        .setUS(Tag.MessageID, messageId)
        .setUS(Tag.CommandDataSetType, Dimse.DATA_SET_PRESENT)
        .setUID(Tag.AffectedSOPInstanceUID, SOP_INSTANCE)
        .setUS(Tag.EventTypeID, eventTypeId);
  }

  static CommandSet nEventReportRSP(CommandSet rq, int status, String comment) {
    CommandSet rsp = CommandSet.responseTo(rq, status, comment);
    int type = rq.getInt(Tag.EventTypeID, -1);
    if (type >= 0) {
      rsp.setUS(Tag.EventTypeID, type);
    }
    return rsp;
  }
}
