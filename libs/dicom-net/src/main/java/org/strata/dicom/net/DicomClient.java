package org.strata.dicom.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.dict.UIDs;
import org.strata.dicom.io.TransferSyntax;
import org.strata.dicom.net.pdu.AAssociateRQ;
import org.strata.dicom.net.pdu.PresentationContextRQ;
import org.strata.dicom.net.pdu.RoleSelection;
import org.strata.dicom.net.pdu.UserIdentityRQ;
import org.strata.dicom.net.pdu.UserInformation;

/**
 * A DICOM SCU on one association: connect and negotiate, then C-ECHO and C-STORE (one operation at
 * a time, asynchronous operations window 1), then release. Any failure of the association (I/O,
 * protocol error, DIMSE timeout) aborts it.
 *
 * <pre>{@code
 * var proposal = DicomClient.proposal().verification().add(file1).add(file2);
 * try (DicomClient c = DicomClient.connect("127.0.0.1", 11112, "ME", "ARCHIVE", proposal, opts)) {
 *   c.echo();
 *   int status = c.store(file1);
 * }
 * }</pre>
 */
public final class DicomClient implements Closeable {

  /** Connection options. */
  /**
   * Connection options.
   *
   * @param tls null for plain TCP; otherwise DICOM TLS (PS3.15 B.1/B.9) with this configuration
   */
  public record Options(
      AssociationConfig config,
      Duration connectTimeout,
      UserIdentityRQ userIdentity,
      TlsConfig tls) {
    public static final Options DEFAULTS =
        new Options(AssociationConfig.DEFAULTS, Duration.ofSeconds(10), null, null);

    public Options withConfig(AssociationConfig c) {
      return new Options(c, connectTimeout, userIdentity, tls);
    }

    public Options withUserIdentity(UserIdentityRQ id) {
      return new Options(config, connectTimeout, id, tls);
    }

    public Options withTls(TlsConfig t) {
      return new Options(config, connectTimeout, userIdentity, t);
    }
  }

  /** Presentation contexts to propose: abstract syntax to transfer syntaxes, in order. */
  public static final class Proposal {
    private final Map<String, Set<String>> bySyntaxes = new LinkedHashMap<>();
    private final List<PresentationContextRQ> contexts = new ArrayList<>();
    private final Map<String, RoleSelection> roles = new LinkedHashMap<>();

    /** One context for {@code abstractSyntax} with these transfer syntaxes. */
    public Proposal add(String abstractSyntax, String... transferSyntaxes) {
      String key = abstractSyntax + "|" + String.join(",", transferSyntaxes);
      if (bySyntaxes.putIfAbsent(key, Set.of()) == null) {
        int id = 2 * contexts.size() + 1;
        if (id > 255) {
          throw new IllegalStateException("more than 128 presentation contexts");
        }
        contexts.add(new PresentationContextRQ(id, abstractSyntax, List.of(transferSyntaxes)));
      }
      return this;
    }

    /** Verification with explicit and implicit VR little endian. */
    public Proposal verification() {
      return add(UID.Verification, UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);
    }

    /** A context for the file's SOP class in the file's transfer syntax (we send it as is). */
    public Proposal add(Part10File file) {
      return add(file.sopClassUid(), file.transferSyntaxUid());
    }

    /**
     * SCP/SCU role selection for {@code sopClass}: the roles we propose to take (PS3.7 D.3.3.4).
     */
    public Proposal role(String sopClass, boolean scu, boolean scp) {
      roles.put(sopClass, new RoleSelection(sopClass, scu, scp));
      return this;
    }

    /**
     * A storage context in which we take the SCP role only: what a C-GET SCU proposes for each SOP
     * class it wants to receive (the C-STORE sub-operations come back on this association).
     */
    public Proposal retrieveStorage(String sopClass, String... transferSyntaxes) {
      return add(sopClass, transferSyntaxes).role(sopClass, false, true);
    }

    /** Storage Commitment Push Model as SCU (explicit and implicit VR little endian). */
    public Proposal storageCommitment() {
      return add(
          UID.StorageCommitmentPushModel, UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);
    }

    public List<PresentationContextRQ> contexts() {
      return List.copyOf(contexts);
    }

    public List<RoleSelection> roleSelections() {
      return List.copyOf(roles.values());
    }
  }

  public static Proposal proposal() {
    return new Proposal();
  }

  private final Association association;

  private DicomClient(Association association) {
    this.association = association;
  }

  /**
   * Connects and negotiates.
   *
   * @throws org.strata.dicom.net.pdu.AAssociateRJException if the peer rejects
   */
  public static DicomClient connect(
      String host, int port, String callingAE, String calledAE, Proposal proposal, Options options)
      throws IOException {
    AAssociateRQ rq =
        new AAssociateRQ(
            1,
            AeTitles.check(calledAE),
            AeTitles.check(callingAE),
            Implementation.APPLICATION_CONTEXT,
            proposal.contexts(),
            new UserInformation(
                options.config().maxPduLength(),
                Implementation.CLASS_UID,
                Implementation.VERSION_NAME,
                null,
                null,
                proposal.roleSelections(),
                options.userIdentity(),
                null));
    if (rq.presentationContexts().isEmpty()) {
      throw new IllegalArgumentException("no presentation context proposed");
    }
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), (int) options.connectTimeout().toMillis());
      if (options.tls() != null) {
        socket = options.tls().clientHandshake(socket, host, port, options.connectTimeout());
      }
      return new DicomClient(Association.request(socket, options.config(), rq));
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  public Association association() {
    return association;
  }

  /** C-ECHO; returns the status. */
  public int echo() throws IOException {
    PresentationContext pc = association.findContext(UID.Verification, null);
    if (pc == null) {
      throw new NoPresentationContextException("Verification not accepted by the peer");
    }
    CommandSet rq = CommandSet.cEchoRQ(association.nextMessageId());
    return exchange(pc, rq, null).status();
  }

  /**
   * C-STORE of a Part 10 file's data set, sent as is: the peer must have accepted the file's SOP
   * class in the file's transfer syntax ({@link NoPresentationContextException} otherwise; no
   * transcoding). Returns the response status (failures too).
   */
  public int store(Part10File file) throws IOException {
    PresentationContext pc = contextFor(file.sopClassUid(), file.transferSyntaxUid());
    long length = java.nio.file.Files.size(file.path()) - file.datasetOffset();
    if ((length & 1) != 0 && !TransferSyntax.of(file.transferSyntaxUid()).deflated()) {
      // a DICOM data set has an even length; peers refuse odd PDV fragments (DCMTK aborts)
      throw new IOException(
          "data set of odd length " + length + " (truncated or corrupt file): not sent");
    }
    try (InputStream in = file.openDataset()) {
      return store(pc, file.sopClassUid(), file.sopInstanceUid(), in);
    }
  }

  public int store(java.nio.file.Path path) throws IOException {
    return store(Part10File.read(path));
  }

  /**
   * C-STORE of a data set stream (no file meta information) encoded in {@code transferSyntax}.
   * Returns the response status.
   */
  public int store(
      String sopClassUid, String sopInstanceUid, String transferSyntax, InputStream dataSet)
      throws IOException {
    return store(contextFor(sopClassUid, transferSyntax), sopClassUid, sopInstanceUid, dataSet);
  }

  private int store(PresentationContext pc, String sopClass, String sopInstance, InputStream in)
      throws IOException {
    CommandSet rq =
        CommandSet.cStoreRQ(
            association.nextMessageId(), sopClass, sopInstance, Dimse.PRIORITY_MEDIUM);
    boolean deflated = TransferSyntax.of(pc.transferSyntax()).deflated();
    return exchange(
            pc,
            rq,
            out -> {
              long n = in.transferTo(out);
              if (deflated && (n & 1) != 0) {
                // PDV fragments must have even lengths (PS3.5 A.5: an odd deflated stream is
                // padded with one trailing NUL, which inflating ignores)
                out.write(0);
              }
            })
        .status();
  }

  /** A C-STORE sub-operation of a C-MOVE: the request names the move originator. */
  int storeSubOperation(
      String sopClassUid,
      String sopInstanceUid,
      String transferSyntax,
      InputStream dataSet,
      String moveOriginatorAE,
      int moveOriginatorMessageId)
      throws IOException {
    PresentationContext pc = contextFor(sopClassUid, transferSyntax);
    CommandSet rq =
        CommandSet.cStoreRQ(
                association.nextMessageId(), sopClassUid, sopInstanceUid, Dimse.PRIORITY_MEDIUM)
            .setText(Tag.MoveOriginatorApplicationEntityTitle, moveOriginatorAE)
            .setUS(Tag.MoveOriginatorMessageID, moveOriginatorMessageId);
    return exchange(pc, rq, dataSet::transferTo).status();
  }

  /** The outcome of a C-FIND: the final status and the matches received before it. */
  public record FindResult(int status, List<Attributes> matches, boolean cancelled) {}

  /**
   * C-FIND on an accepted context of {@code informationModel} (e.g. {@code
   * UID.StudyRootQueryRetrieveInformationModelFind}): sends {@code keys}, collects every match.
   */
  public FindResult find(String informationModel, Attributes keys) throws IOException {
    List<Attributes> matches = new ArrayList<>();
    int status = find(informationModel, keys, m -> matches.add(m) || true);
    return new FindResult(status, List.copyOf(matches), status == Status.CANCEL);
  }

  /**
   * C-FIND with a callback per match: when it returns false, a C-CANCEL-RQ is sent and matches
   * still arriving are ignored. Returns the final status (FE00 after a cancel, unless the SCP had
   * finished first).
   */
  public FindResult find(String informationModel, Attributes keys, int maxMatches)
      throws IOException {
    List<Attributes> matches = new ArrayList<>();
    int status =
        find(
            informationModel,
            keys,
            m -> {
              matches.add(m);
              return matches.size() < maxMatches;
            });
    return new FindResult(status, List.copyOf(matches), status == Status.CANCEL);
  }

  /** C-FIND; {@code onMatch} returns false to cancel. Returns the final status. */
  public int find(String informationModel, Attributes keys, Predicate<Attributes> onMatch)
      throws IOException {
    PresentationContext pc = association.findContext(informationModel, null);
    if (pc == null) {
      throw new NoPresentationContextException(
          "no accepted presentation context for " + name(informationModel));
    }
    CommandSet rq =
        CommandSet.queryRetrieveRQ(
            Dimse.C_FIND_RQ,
            association.nextMessageId(),
            informationModel,
            Dimse.PRIORITY_MEDIUM,
            null);
    boolean cancelled = false;
    try {
      association.writeMessage(pc, rq, Identifier.writer(keys, pc.transferSyntax()));
      while (true) {
        Association.Message m = association.readMessage();
        if (m == null) {
          throw new IOException("association released by the peer before the response");
        }
        CommandSet rsp = m.command();
        if (rsp.messageIdBeingRespondedTo() != rq.messageId()
            || rsp.commandField() != Dimse.C_FIND_RSP) {
          throw new IOException("response " + rsp + " does not match request " + rq);
        }
        if (!Status.isPending(rsp.status())) {
          return rsp.status();
        }
        if (m.data() == null || cancelled) {
          continue;
        }
        Attributes match;
        try {
          match = Identifier.read(m.data(), pc.transferSyntax());
        } catch (DimseException e) {
          throw new IOException("C-FIND-RSP with an unreadable identifier", e);
        }
        if (!onMatch.test(match)) {
          cancelled = true;
          association.writeMessage(pc, CommandSet.cCancelRQ(rq.messageId()), null);
        }
      }
    } catch (IOException | RuntimeException e) {
      association.abort();
      throw e;
    }
  }

  /**
   * The outcome of a C-MOVE or C-GET: the final status, the sub-operation counts of the final
   * response (-1 where the SCP left one out; remaining is only sent after a cancel) and its Failed
   * SOP Instance UID List.
   */
  public record RetrieveResult(
      int status,
      int remaining,
      int completed,
      int failed,
      int warning,
      List<String> failedInstances) {}

  /** Sees each Pending response of a C-MOVE or C-GET; returning false sends a C-CANCEL-RQ. */
  @FunctionalInterface
  public interface RetrieveProgress {
    boolean onPending(int remaining, int completed, int failed, int warning);
  }

  /**
   * C-MOVE on an accepted context of {@code informationModel} (e.g. {@code
   * UID.StudyRootQueryRetrieveInformationModelMove}): the SCP sends the matches to {@code
   * destination} over an association of its own. Waits for the final response.
   */
  public RetrieveResult move(String informationModel, Attributes keys, String destination)
      throws IOException {
    return move(informationModel, keys, destination, null);
  }

  /** C-MOVE with a progress callback that can cancel (null: none). */
  public RetrieveResult move(
      String informationModel, Attributes keys, String destination, RetrieveProgress progress)
      throws IOException {
    PresentationContext pc = requireContext(informationModel);
    CommandSet rq =
        CommandSet.queryRetrieveRQ(
            Dimse.C_MOVE_RQ,
            association.nextMessageId(),
            informationModel,
            Dimse.PRIORITY_MEDIUM,
            AeTitles.check(destination));
    return retrieve(pc, rq, keys, null, progress);
  }

  /**
   * C-GET on an accepted context of {@code informationModel}: the SCP sends the matches back on
   * this association as C-STORE sub-operations, each handed to {@code onStore} (the C-STORE-RSP
   * carries its status). Propose the storage contexts with {@link Proposal#retrieveStorage}.
   */
  public RetrieveResult get(String informationModel, Attributes keys, CStoreHandler onStore)
      throws IOException {
    return get(informationModel, keys, onStore, null);
  }

  /** C-GET with a progress callback that can cancel (null: none). */
  public RetrieveResult get(
      String informationModel, Attributes keys, CStoreHandler onStore, RetrieveProgress progress)
      throws IOException {
    PresentationContext pc = requireContext(informationModel);
    CommandSet rq =
        CommandSet.queryRetrieveRQ(
            Dimse.C_GET_RQ,
            association.nextMessageId(),
            informationModel,
            Dimse.PRIORITY_MEDIUM,
            null);
    return retrieve(pc, rq, keys, new DimseRegistry().registerStorage(onStore), progress);
  }

  private RetrieveResult retrieve(
      PresentationContext pc,
      CommandSet rq,
      Attributes keys,
      DimseRegistry storageScp,
      RetrieveProgress progress)
      throws IOException {
    boolean cancelled = false;
    try {
      association.writeMessage(pc, rq, Identifier.writer(keys, pc.transferSyntax()));
      while (true) {
        Association.Message m = association.readMessage();
        if (m == null) {
          throw new IOException("association released by the peer before the response");
        }
        CommandSet rsp = m.command();
        if (Dimse.isRequest(rsp.commandField())) {
          if (storageScp == null || rsp.commandField() != Dimse.C_STORE_RQ) {
            throw new IOException("unexpected " + Dimse.name(rsp.commandField()) + " during " + rq);
          }
          storageScp.dispatch(association, m); // a C-GET sub-operation
          continue;
        }
        if (rsp.messageIdBeingRespondedTo() != rq.messageId()
            || rsp.commandField() != (rq.commandField() | 0x8000)) {
          throw new IOException("response " + rsp + " does not match request " + rq);
        }
        if (Status.isPending(rsp.status())) {
          if (progress != null
              && !cancelled
              && !progress.onPending(
                  rsp.getInt(Tag.NumberOfRemainingSuboperations, -1),
                  rsp.getInt(Tag.NumberOfCompletedSuboperations, -1),
                  rsp.getInt(Tag.NumberOfFailedSuboperations, -1),
                  rsp.getInt(Tag.NumberOfWarningSuboperations, -1))) {
            cancelled = true;
            association.writeMessage(pc, CommandSet.cCancelRQ(rq.messageId()), null);
          }
          continue;
        }
        List<String> failedUids = List.of();
        if (m.data() != null) {
          try {
            Attributes id = Identifier.read(m.data(), pc.transferSyntax());
            String[] uids = id.getStrings(Tag.FailedSOPInstanceUIDList);
            failedUids = uids == null ? List.of() : List.of(uids);
          } catch (DimseException e) {
            throw new IOException("final response with an unreadable identifier", e);
          }
        }
        return new RetrieveResult(
            rsp.status(),
            rsp.getInt(Tag.NumberOfRemainingSuboperations, -1),
            rsp.getInt(Tag.NumberOfCompletedSuboperations, -1),
            rsp.getInt(Tag.NumberOfFailedSuboperations, -1),
            rsp.getInt(Tag.NumberOfWarningSuboperations, -1),
            failedUids);
      }
    } catch (IOException | RuntimeException e) {
      association.abort();
      throw e;
    }
  }

  /**
   * Storage commitment request (N-ACTION-RQ, Storage Commitment Push Model); returns the
   * N-ACTION-RSP status. The result comes later: on this association ({@link
   * #awaitStorageCommitmentResult}) or on one the SCP opens to our {@link DicomServer} (see {@link
   * DimseRegistry#registerStorageCommitmentReports}).
   */
  public int requestStorageCommitment(StorageCommitment.Request request) throws IOException {
    PresentationContext pc = requireContext(StorageCommitment.SOP_CLASS);
    CommandSet rq = StorageCommitment.nActionRQ(association.nextMessageId());
    return exchange(pc, rq, Identifier.writer(request.toAttributes(), pc.transferSyntax()))
        .status();
  }

  /**
   * Waits on this association for the storage commitment report (N-EVENT-REPORT-RQ) and answers it.
   * Returns null if the SCP releases the association first (it then reports on a new one). Bounded
   * by the idle timeout of {@link AssociationConfig}, after which the association is aborted.
   */
  public StorageCommitment.Result awaitStorageCommitmentResult() throws IOException {
    try {
      Association.Message m = association.readMessage();
      if (m == null) {
        return null;
      }
      CommandSet rq = m.command();
      if (rq.commandField() != Dimse.N_EVENT_REPORT_RQ
          || !StorageCommitment.SOP_CLASS.equals(rq.affectedSopClassUid())
          || m.data() == null) {
        throw new IOException("expected a storage commitment N-EVENT-REPORT-RQ, got " + rq);
      }
      StorageCommitment.Result result;
      try {
        result =
            StorageCommitment.Result.of(
                Identifier.read(m.data(), m.presentationContext().transferSyntax()));
      } catch (DimseException e) {
        association.writeMessage(
            m.presentationContext(),
            StorageCommitment.nEventReportRSP(rq, e.status(), e.errorComment()),
            null);
        throw new IOException("unreadable storage commitment report", e);
      }
      association.writeMessage(
          m.presentationContext(),
          StorageCommitment.nEventReportRSP(rq, Status.SUCCESS, null),
          null);
      return result;
    } catch (IOException | RuntimeException e) {
      association.abort();
      throw e;
    }
  }

  /** The SCP's report on an association it opened (N-EVENT-REPORT-RQ); returns the status. */
  int sendStorageCommitmentResult(StorageCommitment.Result result) throws IOException {
    PresentationContext pc = requireContext(StorageCommitment.SOP_CLASS);
    CommandSet rq =
        StorageCommitment.nEventReportRQ(association.nextMessageId(), result.eventTypeId());
    return exchange(pc, rq, Identifier.writer(result.toAttributes(), pc.transferSyntax())).status();
  }

  private PresentationContext requireContext(String abstractSyntax)
      throws NoPresentationContextException {
    PresentationContext pc = association.findContext(abstractSyntax, null);
    if (pc == null) {
      throw new NoPresentationContextException(
          "no accepted presentation context for " + name(abstractSyntax));
    }
    return pc;
  }

  private PresentationContext contextFor(String sopClass, String ts)
      throws NoPresentationContextException {
    PresentationContext pc = association.findContext(sopClass, ts);
    if (pc != null) {
      return pc;
    }
    Set<String> accepted = new LinkedHashSet<>();
    for (PresentationContext c : association.presentationContexts()) {
      if (c.abstractSyntax().equals(sopClass)) {
        accepted.add(name(c.transferSyntax()));
      }
    }
    throw new NoPresentationContextException(
        accepted.isEmpty()
            ? "no accepted presentation context for " + name(sopClass)
            : "the peer accepted "
                + name(sopClass)
                + " only in "
                + accepted
                + ", not in "
                + name(ts)
                + "; transcoding is not supported");
  }

  private static String name(String uid) {
    String n = UIDs.nameOf(uid);
    return n == null ? uid : n + " (" + uid + ")";
  }

  /** Sends a request and waits for its response; aborts the association on any failure. */
  private CommandSet exchange(PresentationContext pc, CommandSet rq, Association.DataWriter data)
      throws IOException {
    try {
      association.writeMessage(pc, rq, data);
      while (true) {
        Association.Message m = association.readMessage();
        if (m == null) {
          throw new IOException("association released by the peer before the response");
        }
        CommandSet rsp = m.command();
        if (Dimse.isRequest(rsp.commandField())) {
          throw new IOException("unexpected " + Dimse.name(rsp.commandField()) + " from the SCP");
        }
        if (rsp.messageIdBeingRespondedTo() != rq.messageId()
            || rsp.commandField() != (rq.commandField() | 0x8000)) {
          throw new IOException("response " + rsp + " does not match request " + rq);
        }
        if (Status.isPending(rsp.status())) {
          continue;
        }
        return rsp;
      }
    } catch (IOException | RuntimeException e) {
      association.abort();
      throw e;
    }
  }

  /** Releases the association (A-RELEASE). */
  public void release() throws IOException {
    association.release();
  }

  public void abort() {
    association.abort();
  }

  /** Releases if still established. */
  @Override
  public void close() throws IOException {
    association.close();
  }
}
