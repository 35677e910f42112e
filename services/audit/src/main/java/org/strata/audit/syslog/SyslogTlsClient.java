package org.strata.audit.syslog;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Delivers framed syslog messages to an Audit Record Repository over TLS (RFC 5425), one connection
 * per batch, and confirms the batch: after the last message it closes its side (TLS close_notify,
 * then TCP FIN) and waits for the repository to close its own, which a receiver does only after it
 * has read everything before the close (ADR 0038). RFC 5425 has no acknowledgements; this is the
 * closest a sender gets to one. A batch not confirmed is sent again.
 */
public final class SyslogTlsClient {
  private final SSLContext tls;
  private final String host;
  private final int port;
  private final Duration connectTimeout;
  private final Duration confirmTimeout;

  public SyslogTlsClient(
      SSLContext tls, String host, int port, Duration connectTimeout, Duration confirmTimeout) {
    this.tls = tls;
    this.host = host;
    this.port = port;
    this.connectTimeout = connectTimeout;
    this.confirmTimeout = confirmTimeout;
  }

  /** Sends the frames in order and returns once the repository confirmed them; else throws. */
  public void deliver(List<byte[]> frames) throws IOException {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
      socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate names the host
      socket.setSSLParameters(parameters);
      socket.setSoTimeout((int) confirmTimeout.toMillis());
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      for (byte[] frame : frames) {
        out.write(frame);
      }
      out.flush();
      socket.shutdownOutput(); // close_notify and FIN; the socket still reads the peer's close
      awaitClose(socket.getInputStream());
    }
  }

  /** Reads until the repository closes; it sends nothing, so anything read is ignored. */
  private static void awaitClose(InputStream in) throws IOException {
    byte[] ignored = new byte[512];
    try {
      while (in.read(ignored) >= 0) {
        // a syslog receiver sends nothing; keep reading until its close
      }
    } catch (SSLException e) {
      // A receiver closing its TCP side without close_notify still closed in order (it read up to
      // our FIN); a reset (unread data thrown away) is a SocketException and fails the batch.
      if (!(e.getCause() instanceof EOFException)) {
        throw e;
      }
    }
  }
}
