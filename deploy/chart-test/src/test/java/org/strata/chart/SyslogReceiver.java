package org.strata.chart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.strata.testkit.DimseTlsFixture;

/**
 * An Audit Record Repository for the test: syslog over TLS (RFC 5425, octet counting) with the
 * local CA's server certificate (names 127.0.0.1). It takes the first message of each connection
 * and closes it, which the sender reads as the batch's confirmation.
 */
final class SyslogReceiver implements AutoCloseable {
  private static final int MAX_FRAME = 1 << 20;

  private final SSLServerSocket server;
  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final Thread acceptor;

  SyslogReceiver(DimseTlsFixture tls) throws Exception {
    char[] password = Files.readString(tls.dir().resolve("store-password")).strip().toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(tls.dir().resolve("server.p12"))) {
      keys.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofPlatform().daemon().name("syslog-receiver").start(this::acceptAll);
  }

  int port() {
    return server.getLocalPort();
  }

  /** The first message received, waiting at most {@code within} (a hang guard). */
  String firstMessage(Duration within) throws InterruptedException {
    String message = messages.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    if (message == null) {
      throw new AssertionError("no syslog message within " + within);
    }
    return message;
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        s.setSoTimeout(60_000);
        messages.add(readFrame(s.getInputStream()));
      } catch (IOException e) {
        // closed, or a connection that sent no whole frame: the sender tries again
      }
    }
  }

  /** One octet-counted frame: MSG-LEN SP SYSLOG-MSG. */
  private static String readFrame(InputStream in) throws IOException {
    int length = 0;
    for (int c = in.read(); c != ' '; c = in.read()) {
      if (c < '0' || c > '9' || length > MAX_FRAME) {
        throw new IOException("not an octet-counted frame");
      }
      length = length * 10 + (c - '0');
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(length);
    out.write(in.readNBytes(length));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
  }
}
