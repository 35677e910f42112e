package org.strata.dicom.net;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.strata.dicom.net.pdu.AAbort;
import org.strata.dicom.net.pdu.AAbortException;
import org.strata.dicom.net.pdu.AAssociateAC;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.dicom.net.pdu.AAssociateRQ;
import org.strata.dicom.net.pdu.AReleaseRP;
import org.strata.dicom.net.pdu.AReleaseRQ;
import org.strata.dicom.net.pdu.PDataTF;
import org.strata.dicom.net.pdu.Pdu;
import org.strata.dicom.net.pdu.PduReader;
import org.strata.dicom.net.pdu.PduWriter;
import org.strata.dicom.net.pdu.Pdv;
import org.strata.dicom.net.pdu.PresentationContextAC;
import org.strata.dicom.net.pdu.PresentationContextRQ;
import org.strata.dicom.net.pdu.UserInformation;

/**
 * One DICOM association over one TCP connection, driven by the PS3.8 state machine ({@link State}).
 *
 * <p>Threading: blocking I/O, one owner thread that reads (the server's per-association virtual
 * thread, or the client's caller). Incoming PDVs are pulled from the socket only when the owner
 * asks for them, so a slow consumer of a data set stream slows the peer down through TCP
 * (back-pressure) and nothing is buffered beyond one PDU. The fragmenting and reassembly of a
 * message are {@link PDataOutputStream} and {@link PDataInputStream}; this class keeps the state
 * machine, the timers and the socket. Writes are serialized by a lock and may come from any thread;
 * {@link #abort()} may be called from any thread.
 *
 * <p>Timers: the ARTIM timer and the idle timeout are socket read timeouts chosen by state (see
 * {@link AssociationConfig}). Protocol errors (malformed, unrecognized or unexpected PDUs) send
 * A-ABORT with the PS3.8 reason and end in {@link AAbortException}.
 */
public final class Association implements Closeable {

  private static final Logger LOG = LoggerFactory.getLogger(Association.class);
  private static final AtomicInteger SERIAL = new AtomicInteger();

  /** Writes a data set into the fragmenting stream of a message. */
  @FunctionalInterface
  public interface DataWriter {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * A received DIMSE message: its command, and the data set stream if the command announces one (to
   * be read before the next message; what is left is skipped).
   */
  public record Message(
      PresentationContext presentationContext, CommandSet command, InputStream data) {}

  private final Socket socket;
  private final boolean requestor;
  private final AssociationConfig config;
  private final PduReader reader;
  private final PduWriter writer;
  private final DeadlineInputStream timedIn;
  private final InputStream socketIn;
  private final long connectedAt = System.nanoTime();
  private volatile AssociationListener listener = AssociationListener.NONE;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ArrayDeque<Pdv> pending = new ArrayDeque<>();
  private final AtomicInteger messageIds = new AtomicInteger();
  private final Map<Integer, PresentationContext> contexts = new LinkedHashMap<>();
  private final String name;
  private final PDataInputStream.PdvSource pdvSource =
      new PDataInputStream.PdvSource() {
        @Override
        public Pdv nextInMessage() throws IOException {
          return nextPdv(true);
        }

        @Override
        public IOException protocolError(int reason, String message) {
          return Association.this.protocolError(reason, message);
        }
      };
  private volatile State state;
  private AAssociateRQ request;
  private AAssociateAC acceptance;
  private int sendPduLength;
  private UserIdentityAuthenticator.AuthenticatedUser user;
  private PDataInputStream openData;
  private byte[] sendBuffer; // one per association, used under the write lock
  private volatile long writeStarted; // System.nanoTime() | 1 while inside a socket write, else 0
  private volatile boolean writeTimedOut;

  private Association(Socket socket, boolean requestor, AssociationConfig config, State initial)
      throws IOException {
    this.socket = socket;
    this.requestor = requestor;
    this.config = config;
    socket.setTcpNoDelay(true);
    this.timedIn = new DeadlineInputStream(socket);
    this.socketIn = new java.io.BufferedInputStream(timedIn, 64 * 1024);
    this.reader = new PduReader(socketIn, config.maxPduLength(), config.maxAssociateLength());
    this.writer =
        new PduWriter(new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
    this.state = initial;
    this.name = (requestor ? "scu-" : "scp-") + SERIAL.incrementAndGet();
    WriteWatchdog.watch(this);
  }

  // ------------------------------------------------------------------ establishment

  /**
   * Requests an association over a connected socket (Sta4 to Sta5 to Sta6).
   *
   * @throws AAssociateRJException if the peer rejects
   * @throws AAbortException if the peer aborts, or on a protocol error
   */
  public static Association request(Socket socket, AssociationConfig config, AAssociateRQ rq)
      throws IOException {
    Association as = new Association(socket, true, config, State.Sta4);
    try {
      as.request = rq;
      as.sendPdu(rq);
      as.state = State.Sta5;
      Pdu pdu = as.readPdu();
      switch (pdu) {
        case AAssociateAC ac -> as.established(ac, rq.userInformation(), ac.userInformation());
        case AAssociateRJ rj -> {
          as.state = State.Sta1;
          as.closeSocket();
          throw new AAssociateRJException(rj);
        }
        case AAbort a -> throw as.abortReceived(a);
        default -> throw as.unexpected(pdu);
      }
      return as;
    } catch (IOException | RuntimeException e) {
      as.closeSocket();
      throw e;
    }
  }

  /** An acceptor on a freshly accepted connection (Sta2: ARTIM runs until the request). */
  static Association acceptor(Socket socket, AssociationConfig config) throws IOException {
    return new Association(socket, false, config, State.Sta2);
  }

  /** Sta2: awaits the A-ASSOCIATE-RQ; then Sta3, awaiting {@link #accept} or {@link #reject}. */
  AAssociateRQ readRequest() throws IOException {
    Pdu pdu = readPdu();
    switch (pdu) {
      case AAssociateRQ rq -> {
        request = rq;
        state = State.Sta3;
        return rq;
      }
      case AAbort a -> throw abortReceived(a);
      default -> throw unexpected(pdu);
    }
  }

  /** Sta3 to Sta6. */
  void accept(AAssociateAC ac, UserIdentityAuthenticator.AuthenticatedUser user)
      throws IOException {
    requireState(State.Sta3);
    this.user = user;
    sendPdu(ac);
    established(ac, request.userInformation(), ac.userInformation());
  }

  /** Sta3 to Sta13, then waits (ARTIM) for the peer to close. */
  void reject(AAssociateRJ rj) throws IOException {
    requireState(State.Sta3);
    sendPdu(rj);
    state = State.Sta13;
    awaitTransportClose();
  }

  private void established(AAssociateAC ac, UserInformation rqInfo, UserInformation acInfo) {
    this.acceptance = ac;
    for (PresentationContextAC pc : ac.presentationContexts()) {
      PresentationContextRQ proposed = request.presentationContext(pc.id());
      if (pc.accepted() && proposed != null) {
        contexts.put(
            pc.id(),
            new PresentationContext(pc.id(), proposed.abstractSyntax(), pc.transferSyntax()));
      }
    }
    long peerMax = requestor ? acInfo.maxLength() : rqInfo.maxLength();
    long ours = config.maxSendPduLength();
    long len = peerMax <= 0 ? ours : Math.min(peerMax, ours);
    sendPduLength = (int) Math.max(len, 7);
    state = State.Sta6;
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "{}: established {} -> {}, {} of {} contexts accepted, send PDU length {}",
          name,
          request.callingAE(),
          request.calledAE(),
          contexts.size(),
          request.presentationContexts().size(),
          sendPduLength);
    }
  }

  // ------------------------------------------------------------------ accessors

  public State state() {
    return state;
  }

  public boolean isEstablished() {
    return state == State.Sta6;
  }

  public boolean isRequestor() {
    return requestor;
  }

  public String callingAE() {
    return request == null ? null : request.callingAE();
  }

  public String calledAE() {
    return request == null ? null : request.calledAE();
  }

  public AAssociateRQ associateRQ() {
    return request;
  }

  public AAssociateAC associateAC() {
    return acceptance;
  }

  /** The connection (an {@link javax.net.ssl.SSLSocket} with DICOM TLS). */
  Socket socket() {
    return socket;
  }

  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) socket.getRemoteSocketAddress();
  }

  /** The peer's IP address as text, or null when not connected. */
  public String remoteIp() {
    InetSocketAddress a = remoteAddress();
    return a == null || a.getAddress() == null ? null : a.getAddress().getHostAddress();
  }

  /** Whether the association runs over DICOM TLS. */
  public boolean isTls() {
    return socket instanceof javax.net.ssl.SSLSocket;
  }

  /** The authenticated user of an accepted association; null when anonymous. */
  public UserIdentityAuthenticator.AuthenticatedUser user() {
    return user;
  }

  /** Accepted presentation contexts, in the order of the proposal. */
  public List<PresentationContext> presentationContexts() {
    return List.copyOf(contexts.values());
  }

  public PresentationContext presentationContext(int id) {
    return contexts.get(id);
  }

  /** The first accepted context for the abstract syntax in the transfer syntax, or null. */
  public PresentationContext findContext(String abstractSyntax, String transferSyntax) {
    for (PresentationContext pc : contexts.values()) {
      if (pc.abstractSyntax().equals(abstractSyntax)
          && (transferSyntax == null || pc.transferSyntax().equals(transferSyntax))) {
        return pc;
      }
    }
    return null;
  }

  /** The P-DATA-TF length we send (the peer's maximum, capped by ours). */
  public int sendPduLength() {
    return sendPduLength;
  }

  public int nextMessageId() {
    int id = messageIds.incrementAndGet() & 0xFFFF;
    return id != 0 ? id : messageIds.incrementAndGet() & 0xFFFF;
  }

  @Override
  public String toString() {
    return name + "[" + callingAE() + "->" + calledAE() + ", " + state + "]";
  }

  // ------------------------------------------------------------------ sending

  /**
   * Sends a DIMSE message: the command, then the data set written by {@code data} (null: none),
   * fragmented into P-DATA-TF PDUs of at most the peer's maximum length. If writing the data set
   * fails the message cannot be completed and the association is aborted.
   */
  public void writeMessage(PresentationContext pc, CommandSet command, DataWriter data)
      throws IOException {
    writeLock.lock();
    try {
      State s = state;
      if (s != State.Sta6 && s != State.Sta8) {
        throw new IOException("cannot send a message in state " + s + " (" + this + ")");
      }
      try (PDataOutputStream out = fragments(pc.id(), Pdv.COMMAND)) {
        out.write(command.encode());
      }
      if (data != null) {
        PDataOutputStream out = fragments(pc.id(), 0);
        data.writeTo(out);
        out.close();
      }
    } catch (IOException | RuntimeException e) {
      if (state == State.Sta6 || state == State.Sta8) {
        abortQuietly(new AAbort(AAbort.SOURCE_SERVICE_USER, 0));
      }
      throw e;
    } finally {
      writeLock.unlock();
    }
  }

  private void sendPdu(Pdu pdu) throws IOException {
    writeLock.lock();
    try {
      beginWrite();
      writer.write(pdu);
    } catch (IOException e) {
      throw writeFailure(e);
    } finally {
      writeStarted = 0;
      writeLock.unlock();
    }
    if (LOG.isTraceEnabled()) {
      LOG.trace("{}: sent {}", name, Pdu.name(pdu.type()));
    }
  }

  /** Sends one fragment of a message (caller holds the write lock): one P-DATA-TF PDU. */
  private void sendFragment(int pcid, int header, byte[] buf, int off, int len) throws IOException {
    State s = state;
    if (s != State.Sta6 && s != State.Sta8) {
      throw new IOException("association no longer established (" + s + ")");
    }
    beginWrite();
    try {
      writer.writePData(pcid, header, buf, off, len);
    } catch (IOException e) {
      throw writeFailure(e);
    } finally {
      writeStarted = 0;
    }
  }

  /** A fragmenting stream for one part of a message, on the association's reused buffer. */
  private PDataOutputStream fragments(int pcid, int header) {
    int size = Math.max(1, sendPduLength - 6);
    if (sendBuffer == null || sendBuffer.length != size) {
      sendBuffer = new byte[size];
    }
    return new PDataOutputStream(this::sendFragment, pcid, header, sendBuffer);
  }

  // ------------------------------------------------------------------ receiving

  /**
   * Reads the next DIMSE message; null when the peer released the association (we answered the
   * A-RELEASE-RQ). Any unread rest of the previous message's data set is skipped first.
   */
  public Message readMessage() throws IOException {
    if (openData != null) {
      openData.skipRest();
      openData = null;
    }
    Pdv pdv = nextPdv(false);
    if (pdv == null) {
      return null;
    }
    if (!pdv.command()) {
      throw protocolError(AAbort.REASON_UNEXPECTED_PDU_PARAMETER, "data PDV without a command");
    }
    PresentationContext pc = contexts.get(pdv.presentationContextId());
    if (pc == null) {
      throw protocolError(
          AAbort.REASON_UNEXPECTED_PDU_PARAMETER,
          "PDV on presentation context " + pdv.presentationContextId() + " that is not accepted");
    }
    byte[] command = PDataInputStream.commandBytes(pdv, pdvSource);
    CommandSet cmd;
    try {
      cmd = CommandSet.decode(command, command.length);
    } catch (AAbortException e) {
      throw protocolError(e.reason(), e.getMessage());
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: received {} on context {}", name, cmd, pc.id());
    }
    InputStream data = null;
    if (cmd.hasDataSet()) {
      openData = new PDataInputStream(pdvSource, pc.id());
      data = openData;
    }
    return new Message(pc, cmd, data);
  }

  /**
   * The next message if its first bytes have arrived, else null at once: how an SCP notices a
   * C-CANCEL-RQ between the responses of an operation without a second reading thread. Also null
   * when the peer released the association meanwhile ({@link #isEstablished()} is then false).
   * Blocks only while the rest of a message that has started to arrive comes in.
   */
  public Message pollMessage() throws IOException {
    if (openData != null) {
      openData.skipRest();
      openData = null;
    }
    if (pending.isEmpty() && socketIn.available() == 0 && !tlsBytesArrived()) {
      return null;
    }
    return readMessage();
  }

  /**
   * With TLS, available() counts only bytes already decrypted, so a C-CANCEL-RQ waiting in the
   * socket would never be seen: peek one byte with a 1 ms timeout instead.
   */
  private boolean tlsBytesArrived() throws IOException {
    if (!(socket instanceof javax.net.ssl.SSLSocket)) {
      return false;
    }
    timedIn.deadline(System.nanoTime() + 1_000_000);
    try {
      socketIn.mark(1);
      socketIn.read(); // -1 at the end of the stream: readMessage reports it
      socketIn.reset();
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /**
   * The next PDV; null if the peer released the association (only outside a message).
   *
   * @param inMessage true while a message is incomplete: a release request is then a protocol error
   */
  private Pdv nextPdv(boolean inMessage) throws IOException {
    while (pending.isEmpty()) {
      Pdu pdu = readPdu();
      switch (pdu) {
        case PDataTF p -> {
          if (state != State.Sta6 && state != State.Sta7) {
            throw unexpected(pdu);
          }
          pending.addAll(p.pdvs());
        }
        case AReleaseRQ r -> {
          if (state != State.Sta6 || inMessage) {
            throw unexpected(pdu);
          }
          state = State.Sta8;
          beforeReleaseResponse();
          // local A-RELEASE response: always affirmative
          sendPdu(AReleaseRP.INSTANCE);
          state = State.Sta13;
          LOG.debug("{}: released by peer", name);
          awaitTransportClose();
          return null;
        }
        case AAbort a -> throw abortReceived(a);
        default -> throw unexpected(pdu);
      }
    }
    return pending.poll();
  }

  private void beforeReleaseResponse() {
    try {
      listener.beforeReleaseResponse(this);
    } catch (RuntimeException e) {
      LOG.warn("{}: release listener failed, releasing anyway", name, e);
    }
  }

  /** Set by the server before the association is accepted. */
  void listener(AssociationListener listener) {
    this.listener = listener;
  }

  /**
   * Reads a PDU with the timer of the current state; handles timeouts and malformed PDUs.
   *
   * <p>Timers are deadlines, not per-read timeouts (a peer dribbling bytes cannot stretch them):
   * the whole A-ASSOCIATE-RQ must arrive within the ARTIM timer of the connection (Sta2); otherwise
   * the first byte of the next PDU within the state's timer (idle timeout in Sta6, ARTIM else), and
   * the rest of a started PDU within the ARTIM timer of its first byte. A PDU whose length promises
   * more than the peer sends therefore ends in A-ABORT after ARTIM, not after the idle timeout.
   */
  private Pdu readPdu() throws IOException {
    State s = state;
    long artim = config.artimTimeout().toNanos();
    long start = System.nanoTime();
    long firstByteDeadline =
        s == State.Sta2
            ? connectedAt + artim
            : start + (s == State.Sta6 || s == State.Sta8 ? config.idleTimeout().toNanos() : artim);
    boolean started = false;
    Pdu pdu;
    try {
      timedIn.deadline(firstByteDeadline);
      socketIn.mark(1);
      started = socketIn.read() >= 0;
      socketIn.reset();
      if (started && s != State.Sta2) {
        timedIn.deadline(System.nanoTime() + artim);
      }
      pdu = reader.read();
    } catch (SocketTimeoutException e) {
      if (s == State.Sta2 || s == State.Sta13) {
        // ARTIM expiry: close the transport connection (AA-2)
        state = State.Sta1;
        closeSocket();
        throw new SocketTimeoutException("ARTIM timer expired in " + s);
      }
      String what =
          started
              ? "PDU incomplete when the ARTIM timer expired"
              : s == State.Sta6 ? "idle timeout" : "ARTIM timer expired";
      abortQuietly(new AAbort(AAbort.SOURCE_SERVICE_PROVIDER, AAbort.REASON_NOT_SPECIFIED));
      throw new AAbortException(
          AAbort.SOURCE_SERVICE_PROVIDER,
          AAbort.REASON_NOT_SPECIFIED,
          what + " in " + s + ", aborted");
    } catch (AAbortException e) {
      LOG.debug("{}: malformed PDU: {}", name, e.getMessage());
      abortQuietly(e.toPdu());
      throw e;
    } catch (IOException e) {
      state = State.Sta1;
      closeSocket();
      throw e;
    }
    if (pdu == null) {
      state = State.Sta1;
      closeSocket();
      throw new EOFException("peer closed the connection in " + s);
    }
    if (LOG.isTraceEnabled()) {
      LOG.trace("{}: received {} in {}", name, Pdu.name(pdu.type()), s);
    }
    return pdu;
  }

  // ------------------------------------------------------------------ release and abort

  /**
   * Releases the association (A-RELEASE-RQ, then waits for A-RELEASE-RP with the ARTIM timer),
   * handling a release collision (PS3.8 Sta9 to Sta12). Data arriving meanwhile is discarded.
   */
  public void release() throws IOException {
    if (openData != null) {
      openData.skipRest();
      openData = null;
    }
    requireState(State.Sta6);
    sendPdu(AReleaseRQ.INSTANCE);
    state = State.Sta7;
    while (true) {
      Pdu pdu = readPdu();
      switch (pdu) {
        case PDataTF p -> {
          if (state != State.Sta7) {
            throw unexpected(pdu);
          }
          LOG.debug("{}: P-DATA-TF discarded while awaiting A-RELEASE-RP", name);
        }
        case AReleaseRP rp -> {
          switch (state) {
            case Sta7, Sta11 -> {
              state = State.Sta1;
              closeSocket();
              return;
            }
            case Sta10 -> {
              state = State.Sta12;
              sendPdu(AReleaseRP.INSTANCE);
              state = State.Sta13;
              awaitTransportClose();
              return;
            }
            default -> throw unexpected(pdu);
          }
        }
        case AReleaseRQ rq -> {
          if (state != State.Sta7) {
            throw unexpected(pdu);
          }
          LOG.debug("{}: release collision", name);
          if (requestor) {
            state = State.Sta9;
            sendPdu(AReleaseRP.INSTANCE);
            state = State.Sta11;
          } else {
            state = State.Sta10;
          }
        }
        case AAbort a -> throw abortReceived(a);
        default -> throw unexpected(pdu);
      }
    }
  }

  /** A-ABORT (service-user) and close; safe from any thread and in any state. */
  public void abort() {
    abortFromAnyThread(new AAbort(AAbort.SOURCE_SERVICE_USER, 0));
  }

  void abortFromAnyThread(AAbort pdu) {
    State s = state;
    state = State.Sta13;
    if (s != State.Sta1 && s != State.Sta13) {
      try {
        if (writeLock.tryLock(1, TimeUnit.SECONDS)) {
          try {
            beginWrite();
            writer.write(pdu);
          } finally {
            writeStarted = 0;
            writeLock.unlock();
          }
        }
      } catch (IOException | InterruptedException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }
    state = State.Sta1;
    closeSocket();
  }

  /** Sends A-ABORT (owner thread), then waits for the peer to close (Sta13, ARTIM). */
  private void abortQuietly(AAbort pdu) {
    State s = state;
    if (s == State.Sta1 || s == State.Sta13) {
      closeSocket();
      state = State.Sta1;
      return;
    }
    state = State.Sta13;
    try {
      sendPdu(pdu);
      awaitTransportClose();
    } catch (IOException e) {
      LOG.trace("{}: sending A-ABORT failed: {}", name, e.toString());
    } finally {
      state = State.Sta1;
      closeSocket();
    }
  }

  private AAbortException unexpected(Pdu pdu) {
    return protocolError(
        AAbort.REASON_UNEXPECTED_PDU, "unexpected " + Pdu.name(pdu.type()) + " in " + state);
  }

  private AAbortException protocolError(int reason, String message) {
    LOG.debug("{}: protocol error: {}", name, message);
    AAbortException e = AAbortException.provider(reason, message);
    abortQuietly(e.toPdu());
    return e;
  }

  private AAbortException abortReceived(AAbort a) {
    State s = state;
    state = State.Sta1;
    closeSocket();
    return new AAbortException(a.source(), a.reason(), true, "aborted by peer in " + s + ":");
  }

  /**
   * Sta13: half-closes our side and discards what the peer still sends until it closes or the ARTIM
   * timer expires, so that our last PDU is delivered before the connection goes.
   */
  private void awaitTransportClose() {
    try {
      socket.shutdownOutput();
      // one deadline for the whole wait: a peer trickling bytes cannot keep us here
      timedIn.deadline(System.nanoTime() + config.artimTimeout().toNanos());
      byte[] sink = new byte[8192];
      long budget = 1L << 20;
      while (budget > 0) {
        int n = socketIn.read(sink);
        if (n < 0) {
          break;
        }
        budget -= n;
      }
    } catch (IOException e) {
      // timeout or reset: close anyway
    } finally {
      state = State.Sta1;
      closeSocket();
    }
  }

  private void beginWrite() {
    writeStarted = System.nanoTime() | 1;
  }

  private IOException writeFailure(IOException e) {
    if (!writeTimedOut) {
      return e;
    }
    IOException t =
        new java.net.SocketTimeoutException(
            "write timeout: the peer did not read for " + config.writeTimeout() + ", closed");
    t.initCause(e);
    return t;
  }

  /** Called by {@link WriteWatchdog}: closes the connection of a write blocked too long. */
  void checkWriteTimeout(long now) {
    long started = writeStarted;
    if (started != 0 && now - started > config.writeTimeout().toNanos()) {
      writeTimedOut = true;
      LOG.info(
          "{}: write blocked for more than {}, connection closed", name, config.writeTimeout());
      state = State.Sta1;
      closeSocket();
    }
  }

  void closeSocket() {
    WriteWatchdog.unwatch(this);
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  private void requireState(State expected) throws IOException {
    if (state != expected) {
      throw new IOException("operation needs " + expected + " but association is in " + state);
    }
  }

  /** Releases an established association; otherwise just closes the connection. */
  @Override
  public void close() throws IOException {
    if (state == State.Sta6) {
      try {
        release();
      } catch (IOException e) {
        abort();
        throw e;
      }
    } else {
      closeSocket();
      state = State.Sta1;
    }
  }
}
