package org.strata.audit.syslog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context of the syslog sender: a trust store, and a client key store if mutual TLS. */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * @param keyStore the client's key store (PKCS12 or JKS), or null without client authentication
   */
  public static SSLContext of(
      Path trustStore, char[] trustPassword, Path keyStore, char[] keyPassword)
      throws IOException, GeneralSecurityException {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(load(trustStore, trustPassword));
    KeyManager[] keys = null;
    if (keyStore != null) {
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(load(keyStore, keyPassword), keyPassword);
      keys = factory.getKeyManagers();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys, trust.getTrustManagers(), null);
    return context;
  }

  private static KeyStore load(Path file, char[] password)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType()); // PKCS12, reads JKS too
      store.load(in, password);
      return store;
    }
  }
}
