package org.strata.audit.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The audit service's configuration ({@code strata.audit.*}); every key is in the README. */
@ConfigMapping(prefix = "strata.audit")
public interface AuditConfig {

  Consumer consumer();

  Checkpoints checkpoint();

  Signing signing();

  Retention retention();

  Syslog syslog();

  /**
   * The tenant a caller acts for when it has none of its own: a token without tenant groups (every
   * token until tenants come from the token). The local user's tenant is {@code local}.
   */
  @WithDefault("local")
  String defaultTenant();

  /** The Kafka consumer of strata.audit.record. */
  interface Consumer {
    /** Consumer group; every instance of the service shares it. */
    @WithDefault("strata-audit")
    String groupId();

    /** Most records appended in one transaction. */
    @WithDefault("500")
    int maxBatch();

    /** How long to wait before retrying after PostgreSQL or Kafka failed. */
    @WithDefault("2s")
    Duration retryAfter();
  }

  /** Signed checkpoints: after this many records, or this long after the last one with news. */
  interface Checkpoints {
    /** Records between two checkpoints. */
    @WithDefault("1000")
    long everyRecords();

    /** Longest time an appended record waits for a checkpoint. */
    @WithDefault("60s")
    Duration every();
  }

  /** How long records are kept: whole monthly partitions older than this are dropped. */
  interface Retention {
    /** Years a record is kept at least (HIPAA asks six for security documentation). */
    @WithDefault("6")
    int years();

    /** How often old partitions are looked for. */
    @WithDefault("24h")
    Duration checkEvery();
  }

  /** The Ed25519 checkpoint key: a PKCS#8 file (PEM or DER) or its base64; one of the two. */
  interface Signing {
    /**
     * Path of the PKCS#8 private key file; its public key is written next to it as {@code .pub}.
     */
    Optional<String> keyFile();

    /** The PKCS#8 private key as base64 (of the DER), e.g. from a Kubernetes secret. */
    Optional<String> keyBase64();

    /**
     * Public key files (PEM or DER) of retired checkpoint keys, kept so that the checkpoints they
     * signed still verify after a rotation; checkpoints name their key by id.
     */
    Optional<List<String>> previousPublicKeys();

    /** Generate a key into key-file when the file does not exist ({@code make run}, tests). */
    @WithDefault("false")
    boolean generateIfMissing();
  }

  /**
   * DICOM audit messages to an Audit Record Repository: RFC 5424 syslog over TLS (RFC 5425),
   * octet-counting framing (ADR 0038). Off without a host.
   */
  interface Syslog {
    /** The repository's host; absent: no messages are sent. */
    Optional<String> host();

    /** The repository's TLS port (6514 is syslog over TLS). */
    @WithDefault("6514")
    int port();

    /** Trust store (PKCS12 or JKS) holding the CA that signed the repository's certificate. */
    Optional<String> trustStore();

    Optional<String> trustStorePassword();

    /** The service's own key store (PKCS12 or JKS) when the repository asks for client certs. */
    Optional<String> keyStore();

    Optional<String> keyStorePassword();

    /** The HOSTNAME field of each message; absent: this machine's name. */
    Optional<String> hostName();

    /** Most messages per connection (one confirmation each). */
    @WithDefault("200")
    int batch();

    /** How often new records are looked for. */
    @WithDefault("1s")
    Duration pollEvery();

    /** How long to wait after a failed delivery before trying again. */
    @WithDefault("5s")
    Duration retryAfter();

    @WithDefault("10s")
    Duration connectTimeout();

    /** How long the repository may take to confirm a batch (close its side). */
    @WithDefault("30s")
    Duration confirmTimeout();
  }
}
