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
import org.strata.dicom.UID;
import org.strata.dicom.dict.UIDs;
import org.strata.dicom.io.TransferSyntax;
import org.strata.dicom.net.pdu.AAssociateRQ;
import org.strata.dicom.net.pdu.PresentationContextRQ;
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
  public record Options(
      AssociationConfig config, Duration connectTimeout, UserIdentityRQ userIdentity) {
    public static final Options DEFAULTS =
        new Options(AssociationConfig.DEFAULTS, Duration.ofSeconds(10), null);

    public Options withConfig(AssociationConfig c) {
      return new Options(c, connectTimeout, userIdentity);
    }

    public Options withUserIdentity(UserIdentityRQ id) {
      return new Options(config, connectTimeout, id);
    }
  }

  /** Presentation contexts to propose: abstract syntax to transfer syntaxes, in order. */
  public static final class Proposal {
    private final Map<String, Set<String>> bySyntaxes = new LinkedHashMap<>();
    private final List<PresentationContextRQ> contexts = new ArrayList<>();

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

    public List<PresentationContextRQ> contexts() {
      return List.copyOf(contexts);
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
                List.of(),
                options.userIdentity(),
                null));
    if (rq.presentationContexts().isEmpty()) {
      throw new IllegalArgumentException("no presentation context proposed");
    }
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), (int) options.connectTimeout().toMillis());
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
