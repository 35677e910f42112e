package org.strata.audit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real Audit Record Repository of the tests: Debian's rsyslogd with rsyslog-gnutls, a child
 * process listening for RFC 5425 syslog over TLS on a free port, writing what it receives to a file
 * (one message a line: facility, severity, MSGID, MSG). Its CA, server certificate and the
 * service's trust store are generated once per JVM with openssl and keytool; the test profile
 * points the service at it before the application starts, the tests start and stop it.
 */
final class RsyslogRepository {
  static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");
  static final String TRUST_PASSWORD = "changeit";
  private static final String DIR_PROPERTY = "strata.test.rsyslog.dir";
  private static final String PORT_PROPERTY = "strata.test.rsyslog.port";
  private static RsyslogRepository instance;

  final Path dir;
  final int port;
  final Path received;
  final Path trustStore;
  private Process process;

  private RsyslogRepository(Path dir, int port) {
    this.dir = dir;
    this.port = port;
    this.received = dir.resolve("received.log");
    this.trustStore = dir.resolve("trust.p12");
  }

  /** The one repository of this JVM, its certificates made on first use. */
  static synchronized RsyslogRepository get() {
    if (instance == null) {
      // The test profile and the test classes live in different class loaders: the JVM's system
      // properties, not this static field, make them share one repository.
      String dir = System.getProperty(DIR_PROPERTY);
      if (dir != null) {
        instance = new RsyslogRepository(Path.of(dir), Integer.getInteger(PORT_PROPERTY));
        return instance;
      }
      try {
        Path made = Files.createTempDirectory(Path.of("target"), "rsyslog-").toAbsolutePath();
        instance = new RsyslogRepository(made, freePort());
        instance.makeCertificates();
        System.setProperty(DIR_PROPERTY, made.toString());
        System.setProperty(PORT_PROPERTY, Integer.toString(instance.port));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** The service's configuration pointing at this repository. */
  Map<String, String> serviceConfig() {
    return Map.of(
        "strata.audit.syslog.host",
        "127.0.0.1",
        "strata.audit.syslog.port",
        Integer.toString(port),
        "strata.audit.syslog.trust-store",
        trustStore.toString(),
        "strata.audit.syslog.trust-store-password",
        TRUST_PASSWORD,
        "strata.audit.syslog.poll-every",
        "200ms",
        "strata.audit.syslog.retry-after",
        "500ms");
  }

  synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    Path config = dir.resolve("rsyslog.conf");
    Files.writeString(config, config(), StandardCharsets.UTF_8);
    process =
        new ProcessBuilder(
                RSYSLOGD.toString(),
                "-n",
                "-f",
                config.toString(),
                "-i",
                dir.resolve("rsyslogd.pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rsyslogd.out").toFile()))
            .start();
    await()
        .atMost(AuditTestSupport.WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "rsyslogd ended: " + Files.readString(dir.resolve("rsyslogd.out")));
              }
              return listening();
            });
  }

  /** Stops rsyslogd as an administrator would (SIGTERM; it writes out what it received). */
  synchronized void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  /** The messages received so far, one per line. */
  List<String> lines() throws IOException {
    return Files.exists(received)
        ? Files.readAllLines(received, StandardCharsets.UTF_8)
        : List.of();
  }

  private boolean listening() {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String config() {
    return """
        global(workDirectory="%1$s" maxMessageSize="64k")
        module(load="imtcp")
        input(type="imtcp" port="%2$d" StreamDriver.Name="gtls" StreamDriver.Mode="1"
              StreamDriver.AuthMode="anon" StreamDriver.CAFile="%1$s/ca.pem"
              StreamDriver.CertFile="%1$s/server.pem" StreamDriver.KeyFile="%1$s/server.key")
        template(name="audit" type="string"
                 string="%%syslogfacility%% %%syslogseverity%% %%msgid%% %%msg%%\\n")
        action(type="omfile" file="%3$s" template="audit")
        """
        .formatted(dir, port, received);
  }

  private void makeCertificates() throws IOException {
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Strata test audit CA");
    run(
        "openssl",
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost");
    run(
        "openssl",
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.ext");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        keytool,
        "-importcert",
        "-noprompt",
        "-alias",
        "audit-ca",
        "-file",
        "ca.pem",
        "-keystore",
        trustStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        TRUST_PASSWORD);
  }

  private void run(String... command) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("certs.out").toFile()))
            .start();
    try {
      if (p.waitFor() != 0) {
        throw new IOException(
            command[0] + " failed: " + Files.readString(dir.resolve("certs.out")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
