package org.strata.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The ingest service's settings ({@code strata.ingest.*}). */
@ConfigMapping(prefix = "strata.ingest")
public interface IngestConfig {

  /** Largest single object accepted, in bytes (default 8 GiB). */
  @WithDefault("8589934592")
  long maxObjectSize();

  /** Largest part of an object before its pixel data (its header), read into memory to parse. */
  @WithDefault("33554432")
  int maxHeaderSize();

  /** Most instances in one STOW-RS request. */
  @WithDefault("10000")
  int maxInstancesPerRequest();

  /** Instances stored at the same time across all requests and associations. */
  @WithDefault("16")
  int maxConcurrentStores();

  /** What to do with a known SOP Instance UID arriving with different content. */
  @WithDefault("reject")
  DuplicatePolicy duplicatePolicy();

  /** How long to wait for Kafka to acknowledge an event before failing the store. */
  @WithDefault("30s")
  Duration publishTimeout();

  /** The storage SCP (DIMSE C-STORE and C-ECHO). */
  Dimse dimse();

  /** Tenants (source hospitals). */
  Tenants tenants();

  /** DICOMweb base URL as clients see it, for RetrieveURL; default from the request. */
  Optional<String> publicBaseUrl();

  /** STOW-RS waits for the index before answering, so a following QIDO finds the instances. */
  ReadYourWrites readYourWrites();

  /** How the parts of one STOW-RS request are stored. */
  Stow stow();

  interface Stow {
    /** Parts up to this size are received into memory so several are stored at once. */
    @WithDefault("8388608")
    int partBuffer();

    /** Buffered parts of one request being stored at the same time. */
    @WithDefault("4")
    int partsInFlight();

    /** Bytes of buffered parts across all requests; a request waits for room beyond it. */
    @WithDefault("134217728")
    int bufferBudget();
  }

  /** Finds objects stored without their event (ADR 0011). */
  Reconciler reconciler();

  /** STOW-RS of DICOM JSON metadata with bulk data parts (ADR 0014). */
  DicomJson dicomJson();

  interface DicomJson {
    /** Most bytes of DICOM JSON metadata in one request (all metadata parts), held in memory. */
    @WithDefault("16777216")
    long maxMetadataSize();

    /** Most bytes of bulk data parts spooled to temporary files for one request. */
    @WithDefault("8589934592")
    long maxSpoolSize();

    /** Where bulk data parts are spooled; default the JVM's temporary directory. */
    Optional<String> spoolDirectory();
  }

  interface Reconciler {
    /** Whether this replica runs the reconciler periodically (it can always be run on demand). */
    @WithDefault("true")
    boolean enabled();

    @WithDefault("1h")
    Duration interval();

    /** Objects younger than this are left alone: their request may still be publishing. */
    @WithDefault("15m")
    Duration grace();

    /**
     * How far back each run looks (objects modified, events read); keep it under the topic's
     * retention. Runs overlap by {@code window - interval}, so a missed run is caught up.
     */
    @WithDefault("6h")
    Duration window();
  }

  interface ReadYourWrites {
    @WithDefault("true")
    boolean enabled();

    /**
     * Longest wait for the index after the object is durable; past it the answer is still a success
     * (the object is safe) with a Warning header saying indexing is pending.
     */
    @WithDefault("2s")
    Duration timeout();
  }

  interface Dimse {
    @WithDefault("true")
    boolean enabled();

    /** Listen address; the local profile binds loopback only. */
    @WithDefault("127.0.0.1")
    String host();

    /** 0 picks a free port (tests). */
    @WithDefault("11112")
    int port();

    @WithDefault("STRATA")
    String aeTitle();

    /** Associations at a time, from all peers. */
    @WithDefault("100")
    int maxAssociations();

    /**
     * Associations at a time from one peer address, so that one host (misbehaving, or holding
     * silent or dribbling connections) leaves slots to the others; keep it under half of {@link
     * #maxAssociations()}. Peers behind one NAT or proxy share it.
     */
    @WithDefault("16")
    int maxAssociationsPerHost();

    /**
     * ARTIM timer: a connection must deliver its whole A-ASSOCIATE-RQ within it; also the longest
     * wait for the rest of a started PDU, for an A-RELEASE-RP and for the peer to close.
     */
    @WithDefault("10s")
    Duration artimTimeout();

    /** An established association that sends nothing this long is aborted (A-ABORT). */
    @WithDefault("30s")
    Duration idleTimeout();

    /** The DICOM TLS listener beside the plain one, same AE (docs/security.md). */
    Tls tls();
  }

  /**
   * DICOM TLS (PS3.15 BCP 195 secure transport connection profiles): on when a key store is set.
   * Associations over TLS are served exactly like plain ones; the calling-AE rules apply to both.
   */
  interface Tls {
    /** PKCS12 or JKS key store with the server's key and certificate chain; unset: no TLS. */
    Optional<String> keyStore();

    Optional<String> keyStorePassword();

    /** The CA (or peer) certificates client certificates must chain to. */
    Optional<String> trustStore();

    /** Default: the key store's password. */
    Optional<String> trustStorePassword();

    /** The TLS port; 2762 is DICOM's registered TLS port (dicom-tls). 0 picks a free port. */
    @WithDefault("2762")
    int port();

    /** need (default): a client without a certificate the trust store admits is refused. */
    @WithDefault("need")
    org.strata.dicom.net.TlsConfig.ClientAuth clientAuth();

    /** TLSv1.3 and TLSv1.2 (nothing older is allowed). */
    @WithDefault("TLSv1.3,TLSv1.2")
    java.util.List<String> protocols();

    /**
     * Default: the BCP 195 suites ({@link org.strata.dicom.net.TlsConfig#BCP195_CIPHER_SUITES}).
     */
    Optional<java.util.List<String>> cipherSuites();
  }

  enum DuplicatePolicy {
    /** A different object under a known SOP Instance UID fails (0x0111). */
    REJECT,
    /** It is kept as the instance's next version. */
    KEEP_NEW_VERSION
  }

  interface Tenants {
    /**
     * Tenant of requests and associations that no rule maps; empty means such callers are refused
     * (production). The local profile sets it, so a first storescu just works.
     */
    Optional<String> defaultTenant();

    /**
     * The deployment's known-AE file ({@code deploy/known-aes.conf}: AE title, host, port, tenant),
     * read at start; its tenant wins over {@link #byCallingAe()}.
     */
    Optional<String> knownAesFile();

    /** Calling AE title to tenant, e.g. {@code strata.ingest.tenants.by-calling-ae.CT01=hosp-a}. */
    Map<String, String> byCallingAe();

    /**
     * The per-tenant access-label rules ({@code deploy/access-labels.conf}, ADR 0025), read at
     * start; unset or blank: no instance gets a label.
     */
    Optional<String> accessLabelsFile();
  }
}
