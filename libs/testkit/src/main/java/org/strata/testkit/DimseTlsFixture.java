package org.strata.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * DICOM TLS material for a service's TLS listener and for DCMTK clients, made once per JVM under
 * {@code target/dimse-tls} by the script {@code make run} uses ({@code
 * deploy/scripts/dimse-tls.sh}: a local CA, a server key store, a trust store holding the CA, a
 * CA-signed client key and certificate), and a way to run DCMTK's tools with it.
 */
public final class DimseTlsFixture {
  private static DimseTlsFixture made;

  private final Path dir;
  private final String password;

  private DimseTlsFixture(Path dir, String password) {
    this.dir = dir;
    this.password = password;
  }

  /** Runs the script on first use (openssl and the JDK's keytool). */
  public static synchronized DimseTlsFixture get() {
    if (made == null) {
      Path script = SharedPlatform.locate("strata.dimse-tls.script", "deploy/scripts/dimse-tls.sh");
      Path dir = Path.of("target", "dimse-tls").toAbsolutePath();
      try {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), dir.toString());
        pb.environment()
            .put("KEYTOOL", Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        Result r = run(pb);
        if (r.exitCode() != 0) {
          throw new IllegalStateException("dimse-tls.sh failed: " + r.output());
        }
        made =
            new DimseTlsFixture(
                dir,
                Files.readString(dir.resolve("store-password"), StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return made;
  }

  public Path dir() {
    return dir;
  }

  /**
   * The service's TLS keys under {@code prefix} (e.g. {@code %test.strata.ingest.dimse.tls}): key
   * store, trust store (the CA) and their password.
   */
  public Map<String, String> serverConfig(String prefix) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(prefix + ".key-store", dir.resolve("server.p12").toString());
    c.put(prefix + ".key-store-password", password);
    c.put(prefix + ".trust-store", dir.resolve("trust.p12").toString());
    return c;
  }

  /** DCMTK options for TLS with the CA-signed client certificate, trusting the local CA. */
  public List<String> dcmtkWithClientCertificate() {
    return dcmtkWith("client");
  }

  /**
   * DCMTK options for TLS with another CA-signed certificate than the client's: the server's, which
   * allows client authentication too (an AE bound to the client certificate must be refused it).
   */
  public List<String> dcmtkWithOtherCertificate() {
    return dcmtkWith("server");
  }

  /** TLS with the key and certificate {@code name}.key and .pem, trusting the local CA. */
  private List<String> dcmtkWith(String name) {
    return List.of(
        "+tls",
        dir.resolve(name + ".key").toString(),
        dir.resolve(name + ".pem").toString(),
        "+cf",
        dir.resolve("ca.pem").toString());
  }

  /**
   * SHA-256 of the client certificate's DER, lower-case hex: what a known-AE file's {@code
   * cert=sha256:} registers for an AE bound to it (ADR 0057).
   */
  public String clientCertificateSha256() {
    try (var in = Files.newInputStream(dir.resolve("client.pem"))) {
      byte[] der =
          java.security.cert.CertificateFactory.getInstance("X.509")
              .generateCertificate(in)
              .getEncoded();
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** DCMTK options for TLS without a client certificate ({@code +tla}), trusting the local CA. */
  public List<String> dcmtkWithoutCertificate() {
    return List.of("+tla", "+cf", dir.resolve("ca.pem").toString());
  }

  /** A process's exit code and its merged output. */
  public record Result(int exitCode, String output) {}

  /** Runs a DCMTK tool (with TCP_NODELAY, as dicom-net's tests do), at most 5 minutes. */
  public static Result dcmtk(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
    pb.environment().put("TCP_NODELAY", "1");
    return run(pb);
  }

  private static Result run(ProcessBuilder pb) throws IOException {
    // Output to a file, so a tool that hangs cannot block the read past the time limit.
    Path log = Files.createTempFile("dcmtk", ".log");
    try {
      Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("still running after 300 s: " + pb.command());
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.ISO_8859_1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Whether a DCMTK tool is installed ({@code deploy/scripts/install-debian-deps.sh test}). */
  public static boolean installed(String tool) {
    return Files.isExecutable(Path.of("/usr/bin", tool));
  }
}
