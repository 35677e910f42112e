package org.strata.dicom.net;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.strata.dicom.net.pdu.AAbort;
import org.strata.dicom.net.pdu.AAbortException;
import org.strata.dicom.net.pdu.AAssociateAC;
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.dicom.net.pdu.AAssociateRQ;

/**
 * A DICOM SCP: listens on one address for one or more AE titles and serves every association on its
 * own virtual thread with blocking I/O (see docs/adr/0003-dimse-threading.md).
 *
 * <p>Limits: at most {@code maxAssociations} associations at a time and at most {@code
 * maxAssociationsPerHost} from one peer address, so that one misbehaving host cannot take every
 * slot from the others (more are rejected with A-ASSOCIATE-RJ transient, service-provider
 * presentation, local-limit-exceeded; beyond twice a limit connections are closed at once, without
 * a thread), the PDU size and timers of {@link AssociationConfig}. {@link #close()} stops
 * listening, aborts the active associations and waits for their threads.
 */
public final class DicomServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(DicomServer.class);

  private final InetSocketAddress bindAddress;
  private final Map<String, ApplicationEntity> aes;
  private final DimseRegistry registry;
  private final AssociationAcceptor acceptor;
  private final UserIdentityAuthenticator authenticator;
  private final AssociationConfig config;
  private final int maxAssociations;
  private final int maxAssociationsPerHost;
  private final AssociationListener listener;
  private final Map<InetAddress, Integer> perHost = new ConcurrentHashMap<>();
  private final TlsConfig tls;
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final Set<Association> associations = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();
  private final ThreadFactory threadFactory;
  private final Object idleLock = new Object();
  private volatile ServerSocket serverSocket;
  private volatile boolean closed;
  private Thread acceptThread;

  private DicomServer(Builder b) {
    if (b.aes.isEmpty()) {
      throw new IllegalArgumentException("no application entity");
    }
    this.bindAddress = new InetSocketAddress(b.host, b.port);
    this.aes = new LinkedHashMap<>(b.aes);
    this.registry = b.registry;
    this.acceptor = b.acceptor;
    this.authenticator = b.authenticator;
    this.config = b.config;
    this.maxAssociations = b.maxAssociations;
    this.maxAssociationsPerHost = Math.min(b.maxAssociationsPerHost, b.maxAssociations);
    this.listener = b.listener;
    this.tls = b.tls;
    ThreadFactory base =
        Thread.ofVirtual().name("dimse-" + bindAddress.getPort() + "-", 0).factory();
    this.threadFactory =
        r -> {
          Thread t = base.newThread(r);
          threads.add(t);
          return t;
        };
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds and starts accepting. */
  public synchronized DicomServer start() throws IOException {
    if (serverSocket != null) {
      throw new IllegalStateException("already started");
    }
    ServerSocket ss = tls == null ? new ServerSocket() : tls.serverSocket();
    ss.setReuseAddress(true);
    ss.bind(bindAddress, 128);
    serverSocket = ss;
    acceptThread = threadFactory.newThread(this::acceptLoop);
    acceptThread.start();
    LOG.info(
        "DICOM server listening on {}:{}{} for {}",
        ss.getInetAddress().getHostAddress(),
        ss.getLocalPort(),
        tls == null ? "" : " (TLS " + tls.protocols() + ")",
        aes.keySet());
    return this;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** Connections being served (negotiating, established or being rejected). */
  public int activeAssociations() {
    return connections.get();
  }

  /** Live threads made by this server's thread factory (the accept thread included). */
  public int liveThreadCount() {
    threads.removeIf(t -> t.getState() == Thread.State.TERMINATED);
    int n = 0;
    for (Thread t : threads) {
      if (t.isAlive()) {
        n++;
      }
    }
    return n;
  }

  /**
   * Waits until no connection is served and every association thread has ended; false if that did
   * not happen within {@code timeout} (a hang guard, not a performance assertion).
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idleLock) {
      while (connections.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        idleLock.wait(Math.max(1, left / 1_000_000));
      }
    }
    for (Thread t : List.copyOf(threads)) {
      if (t == acceptThread) {
        continue;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || !t.join(Duration.ofNanos(left))) {
        return false;
      }
    }
    return true;
  }

  private void acceptLoop() {
    ServerSocket ss = serverSocket;
    while (!closed) {
      Socket s;
      try {
        s = ss.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.error("accept failed, server stops listening: {}", e.toString());
        }
        return;
      }
      int n = connections.incrementAndGet();
      InetAddress host = s.getInetAddress();
      int fromHost = perHost.merge(host, 1, Integer::sum);
      if (n > 2 * maxAssociations || fromHost > 2 * maxAssociationsPerHost || closed) {
        // far above a limit: not even a thread for a rejection
        closeQuietly(s);
        connectionEnded(host);
        continue;
      }
      boolean overLimit = n > maxAssociations || fromHost > maxAssociationsPerHost;
      try {
        threadFactory.newThread(() -> serve(s, host, overLimit)).start();
      } catch (RuntimeException | Error e) {
        closeQuietly(s);
        connectionEnded(host);
        throw e;
      }
    }
  }

  private void serve(Socket socket, InetAddress host, boolean overLimit) {
    Association as = null;
    try {
      as = Association.acceptor(socket, config);
      as.listener(listener);
      associations.add(as);
      if (closed) {
        return;
      }
      AAssociateRQ rq = as.readRequest();
      AAssociateRJ rj =
          overLimit ? limitRejection() : check(rq, as.remoteAddress(), peerCertificate(socket));
      if (rj != null) {
        LOG.info("association {} -> {} rejected: {}", rq.callingAE(), rq.calledAE(), rj);
        as.reject(rj);
        return;
      }
      UserIdentityAuthenticator.AuthenticatedUser user;
      try {
        user = authenticator.authenticate(rq.userInformation().userIdentityRQ(), rq);
      } catch (AAssociateRJException e) {
        LOG.info("association {} -> {} rejected: user identity", rq.callingAE(), rq.calledAE());
        as.reject(e.toPdu());
        return;
      }
      ApplicationEntity ae = aes.getOrDefault(rq.calledAE(), aes.values().iterator().next());
      AAssociateAC ac = Negotiation.negotiate(rq, ae, config.maxPduLength(), user);
      as.accept(ac, user);
      listener.accepted(as);
      LOG.info(
          "association {} -> {} accepted from {}",
          rq.callingAE(),
          rq.calledAE(),
          as.remoteAddress().getAddress().getHostAddress());
      Association.Message msg;
      while (as.isEstablished() && (msg = as.readMessage()) != null) {
        registry.dispatch(as, msg);
      }
      LOG.debug("{}: released", as);
    } catch (AAbortException e) {
      LOG.info("{}: {}", as, e.getMessage());
    } catch (SocketException e) {
      if (!closed) {
        LOG.info("{}: connection lost: {}", as, e.toString());
      }
    } catch (IOException e) {
      LOG.info("{}: {}", as, e.toString());
    } catch (RuntimeException e) {
      LOG.error("{}: unexpected failure", as, e);
      if (as != null) {
        as.abortFromAnyThread(new AAbort(AAbort.SOURCE_SERVICE_PROVIDER, 0));
      }
    } finally {
      if (as != null) {
        as.closeSocket();
        associations.remove(as);
        try {
          listener.ended(as);
        } catch (RuntimeException e) {
          LOG.warn("{}: association listener failed", as, e);
        }
      } else {
        closeQuietly(socket);
      }
      connectionEnded(host);
    }
  }

  private AAssociateRJ limitRejection() {
    return new AAssociateRJ(
        AAssociateRJ.RESULT_TRANSIENT,
        AAssociateRJ.SOURCE_SERVICE_PROVIDER_PRESENTATION,
        AAssociateRJ.REASON_LOCAL_LIMIT_EXCEEDED);
  }

  /**
   * The certificate a DICOM TLS peer authenticated with (the handshake is done by now), or null.
   */
  private static java.security.cert.X509Certificate peerCertificate(Socket socket) {
    if (!(socket instanceof javax.net.ssl.SSLSocket tls)) {
      return null;
    }
    try {
      java.security.cert.Certificate[] chain = tls.getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof java.security.cert.X509Certificate x
          ? x
          : null;
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return null; // no client certificate (client-auth want or none)
    }
  }

  private AAssociateRJ check(
      AAssociateRQ rq, InetSocketAddress remote, java.security.cert.X509Certificate peer) {
    if ((rq.protocolVersion() & 1) == 0) {
      return new AAssociateRJ(
          AAssociateRJ.RESULT_PERMANENT,
          AAssociateRJ.SOURCE_SERVICE_PROVIDER_ACSE,
          AAssociateRJ.REASON_PROTOCOL_VERSION_NOT_SUPPORTED);
    }
    if (!Implementation.APPLICATION_CONTEXT.equals(rq.applicationContext())) {
      return new AAssociateRJ(
          AAssociateRJ.RESULT_PERMANENT,
          AAssociateRJ.SOURCE_SERVICE_USER,
          AAssociateRJ.REASON_APPLICATION_CONTEXT_NOT_SUPPORTED);
    }
    try {
      acceptor.check(rq, remote, aes.keySet(), peer);
      return null;
    } catch (AAssociateRJException e) {
      LOG.info(
          "association {} -> {} from {}: {}",
          rq.callingAE(),
          rq.calledAE(),
          remote == null || remote.getAddress() == null
              ? "?"
              : remote.getAddress().getHostAddress(),
          e.getMessage());
      return e.toPdu();
    }
  }

  private void connectionEnded(InetAddress host) {
    perHost.computeIfPresent(host, (h, count) -> count <= 1 ? null : count - 1);
    connections.decrementAndGet();
    synchronized (idleLock) {
      idleLock.notifyAll();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /** Stops listening, aborts active associations and waits (up to 10 s) for their threads. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    ServerSocket ss = serverSocket;
    if (ss != null) {
      try {
        ss.close();
      } catch (IOException e) {
        // nothing to do
      }
    }
    for (Association as : List.copyOf(associations)) {
      as.abortFromAnyThread(new AAbort(AAbort.SOURCE_SERVICE_USER, 0));
    }
    try {
      if (acceptThread != null) {
        acceptThread.join(Duration.ofSeconds(10));
      }
      if (!awaitIdle(Duration.ofSeconds(10))) {
        LOG.warn("DICOM server closed with {} connections still ending", connections.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info(
        "DICOM server on port {} closed", ss == null ? bindAddress.getPort() : ss.getLocalPort());
  }

  /**
   * Builder; defaults: 127.0.0.1, port 104, 100 associations, 16 from one host, {@link
   * AssociationConfig#SERVER_DEFAULTS}.
   */
  public static final class Builder {
    private String host = InetAddress.getLoopbackAddress().getHostAddress();
    private int port = 104;
    private final Map<String, ApplicationEntity> aes = new LinkedHashMap<>();
    private DimseRegistry registry = new DimseRegistry();
    private AssociationAcceptor acceptor = AssociationAcceptor.knownCalledAE();
    private UserIdentityAuthenticator authenticator = UserIdentityAuthenticator.NONE;
    private AssociationConfig config = AssociationConfig.SERVER_DEFAULTS;
    private int maxAssociations = 100;
    private int maxAssociationsPerHost = 16;
    private AssociationListener listener = AssociationListener.NONE;
    private TlsConfig tls;

    /** DICOM TLS on this server's port (null: plain TCP). */
    public Builder tls(TlsConfig tls) {
      this.tls = tls;
      return this;
    }

    public Builder bind(String host, int port) {
      this.host = host;
      this.port = port;
      return this;
    }

    public Builder applicationEntity(ApplicationEntity ae) {
      aes.put(ae.aeTitle(), ae);
      return this;
    }

    /** An AE with Verification SCP and Storage SCP for every storage SOP class and syntax. */
    public Builder storageAE(String aeTitle) {
      List<TransferCapability> caps = new ArrayList<>();
      caps.add(TransferCapability.verificationScp());
      caps.addAll(TransferCapability.storageScp());
      return applicationEntity(new ApplicationEntity(aeTitle, caps));
    }

    /**
     * An AE with Verification SCP, Storage SCP, Patient/Study Root FIND, MOVE and GET SCP, the
     * storage SCU role for C-GET sub-operations, and Storage Commitment Push Model (SCP, and SCU to
     * accept reports); register the handlers in the {@link DimseRegistry}.
     */
    public Builder archiveAE(String aeTitle) {
      List<TransferCapability> caps = new ArrayList<>();
      caps.add(TransferCapability.verificationScp());
      caps.addAll(TransferCapability.storageScp());
      caps.addAll(TransferCapability.queryRetrieveScp());
      caps.addAll(TransferCapability.storageScu());
      caps.addAll(TransferCapability.storageCommitment());
      return applicationEntity(new ApplicationEntity(aeTitle, caps));
    }

    public Builder registry(DimseRegistry registry) {
      this.registry = registry;
      return this;
    }

    public Builder acceptor(AssociationAcceptor acceptor) {
      this.acceptor = acceptor;
      return this;
    }

    public Builder authenticator(UserIdentityAuthenticator authenticator) {
      this.authenticator = authenticator;
      return this;
    }

    public Builder associationConfig(AssociationConfig config) {
      this.config = config;
      return this;
    }

    public Builder maxAssociations(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxAssociations must be positive");
      }
      this.maxAssociations = max;
      return this;
    }

    /**
     * Most associations from one peer address at a time (capped by {@link #maxAssociations}); keep
     * it well under half of it so that one host, however many connections it opens, leaves slots
     * for the others. Peers behind one NAT or proxy share it.
     */
    public Builder maxAssociationsPerHost(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxAssociationsPerHost must be positive");
      }
      this.maxAssociationsPerHost = max;
      return this;
    }

    /** Hears of releases (before the answer) and ends of associations. */
    public Builder listener(AssociationListener listener) {
      this.listener = java.util.Objects.requireNonNull(listener);
      return this;
    }

    public DicomServer build() {
      return new DicomServer(this);
    }
  }
}
