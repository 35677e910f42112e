package org.strata.dicom.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * DICOM TLS secure transport (PS3.15 Annex B, BCP 195 profile) with the JDK's JSSE: the SSL context
 * (our key and certificate, the peers we trust), the protocol versions (TLS 1.3 and 1.2 by default)
 * and cipher suites (null: the JDK's defaults for those protocols), and whether a server requires
 * client certificates.
 *
 * <p>No host name verification: DICOM peers are identified by the certificates the trust store
 * admits (usually a private CA or the peers' own certificates), not by DNS names.
 */
public record TlsConfig(
    SSLContext context, List<String> protocols, List<String> cipherSuites, ClientAuth clientAuth) {

  /** Whether a server asks for a client certificate. */
  public enum ClientAuth {
    NONE,
    WANT,
    NEED
  }

  public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /** The port IANA registered for DICOM over TLS ({@code dicom-tls}). */
  public static final int DICOM_TLS_PORT = 2762;

  /**
   * The cipher suites of DICOM's BCP 195 secure transport connection profiles (PS3.15 B.12 and the
   * Modified BCP 195 profile B.13, after RFC 9325): for TLS 1.3 the AEAD suites B.13 has servers
   * support, for TLS 1.2 only ephemeral ECDH key exchange with AES-GCM, the suites DCMTK's default
   * "BCP 195 RFC 8996" profile proposes. No CBC, no static RSA key exchange, no finite-field DHE.
   */
  public static final List<String> BCP195_CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");

  public TlsConfig {
    if (context == null) {
      throw new IllegalArgumentException("no SSL context");
    }
    protocols = List.copyOf(protocols == null ? DEFAULT_PROTOCOLS : protocols);
    cipherSuites = cipherSuites == null ? null : List.copyOf(cipherSuites);
    clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
  }

  public static TlsConfig of(SSLContext context) {
    return new TlsConfig(context, DEFAULT_PROTOCOLS, null, ClientAuth.NONE);
  }

  /**
   * From key and trust stores (PKCS12 or JKS, detected from the file).
   *
   * @param keyStore our private key and certificate chain; null for a client without certificate
   * @param trustStore the certificates we trust; null for the JDK's default trust store
   */
  public static TlsConfig of(
      Path keyStore, char[] keyStorePassword, Path trustStore, char[] trustStorePassword)
      throws IOException, GeneralSecurityException {
    KeyManagerFactory kmf = null;
    if (keyStore != null) {
      KeyStore ks = KeyStore.getInstance(keyStore.toFile(), keyStorePassword);
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, keyStorePassword);
    }
    TrustManagerFactory tmf = null;
    if (trustStore != null) {
      KeyStore ts = KeyStore.getInstance(trustStore.toFile(), trustStorePassword);
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(
        kmf == null ? null : kmf.getKeyManagers(),
        tmf == null ? null : tmf.getTrustManagers(),
        null);
    return of(ctx);
  }

  /**
   * A server's TLS from its stores, as a service configures it.
   *
   * @param trustStore the certificates client certificates must chain to; required when client
   *     certificates are asked for (the JDK's public CAs would admit any certificate they signed)
   * @param protocols null for {@link #DEFAULT_PROTOCOLS}
   * @param cipherSuites null for {@link #BCP195_CIPHER_SUITES}
   * @throws IllegalArgumentException for a configuration that would admit what it should not
   */
  public static TlsConfig forServer(
      Path keyStore,
      char[] keyStorePassword,
      Path trustStore,
      char[] trustStorePassword,
      ClientAuth clientAuth,
      List<String> protocols,
      List<String> cipherSuites)
      throws IOException, GeneralSecurityException {
    if (keyStore == null) {
      throw new IllegalArgumentException("a TLS server needs a key store");
    }
    if (trustStore == null && clientAuth != null && clientAuth != ClientAuth.NONE) {
      throw new IllegalArgumentException(
          "client certificates are required (client-auth "
              + clientAuth
              + ") but no trust store"
              + " is configured: the JDK's public CAs would be trusted");
    }
    for (String p : protocols == null ? DEFAULT_PROTOCOLS : protocols) {
      if (!DEFAULT_PROTOCOLS.contains(p)) {
        throw new IllegalArgumentException(
            "TLS protocol " + p + " is not allowed (BCP 195): only " + DEFAULT_PROTOCOLS);
      }
    }
    return new TlsConfig(
        of(keyStore, keyStorePassword, trustStore, trustStorePassword).context(),
        protocols == null ? DEFAULT_PROTOCOLS : protocols,
        cipherSuites == null ? BCP195_CIPHER_SUITES : cipherSuites,
        clientAuth);
  }

  public TlsConfig withProtocols(String... p) {
    return new TlsConfig(context, List.of(p), cipherSuites, clientAuth);
  }

  public TlsConfig withCipherSuites(String... c) {
    return new TlsConfig(context, protocols, List.of(c), clientAuth);
  }

  public TlsConfig withClientAuth(ClientAuth a) {
    return new TlsConfig(context, protocols, cipherSuites, a);
  }

  private SSLParameters parameters() {
    SSLParameters p = context.getDefaultSSLParameters();
    p.setProtocols(protocols.toArray(String[]::new));
    if (cipherSuites != null) {
      p.setCipherSuites(cipherSuites.toArray(String[]::new));
    }
    return p;
  }

  /**
   * Layers TLS over a connected socket and completes the handshake within {@code timeout}; closes
   * the socket on failure.
   */
  Socket clientHandshake(Socket plain, String host, int port, Duration timeout) throws IOException {
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
    try {
      s.setUseClientMode(true);
      s.setSSLParameters(parameters());
      s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      s.startHandshake();
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * An unbound server socket whose accepted connections do the TLS handshake on their first read
   * (on the association's own thread, bounded by the ARTIM timer).
   */
  ServerSocket serverSocket() throws IOException {
    SSLServerSocket ss = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    SSLParameters p = parameters();
    switch (clientAuth) {
      case NEED -> p.setNeedClientAuth(true);
      case WANT -> p.setWantClientAuth(true);
      case NONE -> p.setNeedClientAuth(false);
    }
    ss.setSSLParameters(p);
    return ss;
  }
}
