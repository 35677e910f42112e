package org.strata.query.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.strata.ids.TenantId;

/** {@code strata.query.*}: the query service's settings. */
@ConfigMapping(prefix = "strata.query")
public interface QueryConfig {
  /**
   * The local user's tenant (local mode: loopback without a token). A token carries its own tenants
   * in {@code strata_groups} (ADR 0025); DIMSE callers take theirs from the known-AE file.
   */
  @WithDefault("local")
  TenantId defaultTenant();

  /**
   * Other tenants the callers of a tenant may read through patient links (ADR 0012), e.g. {@code
   * strata.query.tenant-scopes.hosp-a=hosp-b,hosp-c}; matching always stays in the caller's tenant.
   * Keys and values are tenant ids (ADR 0022); a key with a dot is quoted: {@code
   * strata.query.tenant-scopes."hosp.a"=st-marys}.
   */
  Map<String, String> tenantScopes();

  /**
   * The secret behind WADO-URI's {@code anonymize=yes} (ADR 0050): each tenant's UID-hash key is
   * HMAC-SHA256(this, tenant), so a tenant's objects always get the same new UIDs and two tenants
   * different ones. At least 16 bytes; set it from the environment ({@code
   * STRATA_QUERY_DEIDENTIFICATION_KEY}) or a secret, never in a committed file. Absent: {@code
   * anonymize} answers 406.
   */
  Optional<String> deidentificationKey();

  /** Results per QIDO-RS response when the request has no {@code limit}. */
  @WithDefault("100")
  int defaultLimit();

  /**
   * The most results per QIDO-RS response: a larger {@code limit} is lowered to it, and {@code
   * Warning: 299} says when more matches follow (PS3.18 8.3.4.4).
   */
  @WithDefault("1000")
  int maxLimit();

  /**
   * Base of the RetrieveURL (0008,1190) values, e.g. {@code https://pacs.example.org/dicomweb};
   * empty: the base of the request ({@code scheme://host:port/dicomweb}).
   */
  Optional<String> retrieveBaseUrl();

  /** {@code strata.query.wado.*}: WADO-RS concurrency and caches (ADR 0013). */
  Wado wado();

  /** How WADO-RS overlaps S3 requests and what it keeps in memory (ADR 0013). */
  interface Wado {
    /**
     * Sidecars fetched at once for the metadata of a series or study (written in order); 1 reads
     * them one after the other.
     */
    @WithDefault("16")
    int metadataConcurrency();

    /**
     * A sidecar (or header JSON) larger than this is not held while the ones before it are written:
     * it is streamed from S3 again when its turn comes. Bounds a metadata answer's memory at {@code
     * metadata-concurrency} times this.
     */
    @WithDefault("256K")
    MemorySize metadataBufferSize();

    /**
     * Objects of a study or series retrieval fetched while the current one is written; 0 fetches
     * each when its turn comes.
     */
    @WithDefault("2")
    int readAhead();

    /**
     * Bytes of each read-ahead object held in memory: a smaller object is read whole, a larger one
     * only to here, and the rest is streamed by a range read when its turn comes. A retrieval holds
     * at most {@code (read-ahead + 1)} times this.
     */
    @WithDefault("4M")
    MemorySize readAheadSize();

    /**
     * Disk for recently read stored objects kept in local files (ADR 0058): a study read again
     * comes from local disk, not S3. Objects up to {@code read-ahead-size} are kept; 0 disables the
     * cache.
     */
    @WithDefault("1G")
    MemorySize objectCacheSize();

    /**
     * Bytes of stored objects read into the object cache in the background after each metadata
     * answer (ADR 0070: the frames a viewer asks for next then come from local disk); 0 turns it
     * off. Only objects the cache keeps count.
     */
    @WithDefault("256M")
    MemorySize objectReadAhead();

    /** Where the object cache's directory is made (the JVM's temporary directory if unset). */
    java.util.Optional<String> objectCacheDir();

    /**
     * Memory for frame indexes kept between requests (a frame is then one S3 range read); 0
     * disables the cache. About 200 bytes for a single-frame instance.
     */
    @WithDefault("32M")
    MemorySize frameIndexCacheSize();

    /**
     * Memory for metadata sidecars kept between requests (a viewer asks for a series' metadata
     * again when it reopens the study); 0 disables the cache. About 2-4 KB per instance.
     */
    @WithDefault("64M")
    MemorySize sidecarCacheSize();

    /**
     * Serve an instance's metadata from the index's {@code instance_metadata} when it has a row
     * (ADR 0045): a few queries per series instead of one S3 read per instance. {@code false} reads
     * every sidecar from S3 as before (kept for the benchmark's before/after and for operators).
     */
    @WithDefault("true")
    boolean metadataFromIndex();

    /**
     * Instances whose metadata rows one query reads: bounds the compressed bytes held for a
     * response (at most this many rows of at most 64 KiB, typically ~1 KB each).
     */
    @WithDefault("256")
    int metadataIndexPage();
  }

  /** {@code strata.query.fhir.*}: FHIR R4 ImagingStudy. */
  Fhir fhir();

  /** FHIR R4 ImagingStudy read and search ({@code /fhir}). */
  interface Fhir {
    /** Studies per search Bundle when the request has no {@code _count}. */
    @WithDefault("20")
    int defaultCount();

    /**
     * The most studies per Bundle (each study carries its series and instances); a larger {@code
     * _count} is lowered to it.
     */
    @WithDefault("100")
    int maxCount();

    /**
     * Time zone of the DICOM study dates and times (which carry none): FHIR {@code started} gets
     * this offset, and search dates without one are read in it.
     */
    @WithDefault("UTC")
    String zone();

    /**
     * Base of fullUrl and paging links, e.g. {@code https://pacs.example.org/fhir}; default from
     * the request.
     */
    Optional<String> baseUrl();
  }

  /** {@code strata.query.dimse.*}: the DIMSE Query/Retrieve SCP. */
  Dimse dimse();

  /** The Query/Retrieve SCP's AE (Patient and Study Root FIND, MOVE, GET). */
  interface Dimse {
    @WithDefault("true")
    boolean enabled();

    @WithDefault("STRATA-QR")
    String aeTitle();

    /** Listen address; the local profile binds loopback only. */
    @WithDefault("127.0.0.1")
    String host();

    /** 0 picks a free port (tests). */
    @WithDefault("11113")
    int port();

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

      /** The TLS port (2763 here: ingest takes DICOM's registered 2762). 0 picks a free port. */
      @WithDefault("2763")
      int port();

      /** need (default): a client without a certificate the trust store admits is refused. */
      @WithDefault("need")
      org.strata.dicom.net.TlsConfig.ClientAuth clientAuth();

      /** TLSv1.3 and TLSv1.2 (nothing older is allowed). */
      @WithDefault("TLSv1.3,TLSv1.2")
      List<String> protocols();

      /**
       * Default: the BCP 195 suites ({@link org.strata.dicom.net.TlsConfig#BCP195_CIPHER_SUITES}).
       */
      Optional<List<String>> cipherSuites();
    }

    /**
     * C-MOVE destinations: AE title to {@code host:port} ({@code [v6]:port} for IPv6). A C-MOVE to
     * any other AE title fails with A801.
     */
    Map<String, String> destinations();

    /**
     * The known-AE file ({@link org.strata.dicom.net.KnownAes}: AE title, host, port, tenant), read
     * at start: a calling AE listed there queries its tenant, and a listed AE with host and port is
     * a C-MOVE destination for callers of the same tenant. Empty: no file.
     */
    Optional<String> knownAesFile();

    /**
     * Whether calling AEs not in the known-AE file may associate in local mode; they query {@code
     * strata.query.default-tenant}. In production ({@code strata.auth.mode=required}) unknown
     * callers are rejected whatever this says (A-ASSOCIATE-RJ, calling AE not recognized), and
     * known ones only from their registered host.
     */
    @WithDefault("false")
    boolean acceptUnknownAes();

    /**
     * Storage Commitment (push model): how long instances not yet in the index are looked up again
     * before they are reported as failed (a modality asks right after storing).
     */
    @WithDefault("5s")
    Duration commitmentWait();
  }
}
