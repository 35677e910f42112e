package org.strata.query.dimse;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jboss.logging.Logger;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.net.ApplicationEntity;
import org.strata.dicom.net.AssociationAcceptor;
import org.strata.dicom.net.AssociationConfig;
import org.strata.dicom.net.CFindHandler;
import org.strata.dicom.net.DicomClient;
import org.strata.dicom.net.DicomServer;
import org.strata.dicom.net.DimseException;
import org.strata.dicom.net.DimseRegistry;
import org.strata.dicom.net.KnownAes;
import org.strata.dicom.net.MoveDestinations;
import org.strata.dicom.net.QueryRequest;
import org.strata.dicom.net.RetrieveHandler;
import org.strata.dicom.net.Status;
import org.strata.dicom.net.StoredDataSet;
import org.strata.dicom.net.TlsConfig;
import org.strata.dicom.net.TransferCapability;
import org.strata.http.auth.CallerIdentity;
import org.strata.query.config.QueryConfig;
import org.strata.query.qido.FindKeys;
import org.strata.query.qido.QidoException;
import org.strata.query.qido.QidoService;
import org.strata.query.qido.TenantScope;
import org.strata.query.qido.TenantScopes;
import org.strata.query.wado.Storage;

/**
 * The query service's DIMSE Query/Retrieve SCP on its own AE ({@code strata.query.dimse.*}):
 * Patient Root and Study Root C-FIND, C-MOVE and C-GET, each limited to the calling AE's tenant
 * from the known-AE file ({@link KnownAes}; unknown callers get the default tenant in the local
 * profile and are rejected otherwise), and to its departments' studies when its entry has {@code
 * labels=} ({@link #scope}).
 *
 * <p>C-FIND runs the QIDO-RS search of the identifier ({@link FindKeys}) page by page, each match a
 * Pending response carrying exactly the requested keys. C-MOVE and C-GET locate the instances in
 * the index and stream each object from S3 as the sub-operation's data set, as stored (file meta
 * information skipped, in the stored transfer syntax).
 */
@ApplicationScoped
public class QueryRetrieveServer {
  private static final Logger LOG = Logger.getLogger(QueryRetrieveServer.class);

  /** Matches per database round trip of a C-FIND. */
  static final int PAGE_SIZE = 100;

  private final QidoService qido;
  @jakarta.inject.Inject TenantScopes scopes;
  private final RetrieveLocator locator;
  private final Storage storage;
  private final QueryConfig config;
  private final CommitmentDecider commitments;
  private final CallingAes callingAes;
  private final DimseCallers callers;
  private DicomServer server;
  private DicomServer tlsServer;
  @jakarta.inject.Inject DimseAudit audit;

  public QueryRetrieveServer(
      QidoService qido,
      RetrieveLocator locator,
      Storage storage,
      QueryConfig config,
      CommitmentDecider commitments,
      CallingAes callingAes,
      DimseCallers callers) {
    this.callingAes = callingAes;
    this.callers = callers;
    this.commitments = commitments;
    this.qido = qido;
    this.locator = locator;
    this.storage = storage;
    this.config = config;
  }

  void start(@Observes StartupEvent event) throws IOException, GeneralSecurityException {
    QueryConfig.Dimse dimse = config.dimse();
    if (!dimse.enabled()) {
      return;
    }
    KnownAes knownAes = callingAes.knownAes();
    Map<String, InetSocketAddress> configured = destinations(dimse.destinations());
    // The known-AE file first; strata.query.dimse.destinations (no tenant) after it.
    MoveDestinations destinations =
        ae -> {
          KnownAes.KnownAe known = knownAes.find(ae);
          return known != null && known.address() != null ? known.address() : configured.get(ae);
        };
    DimseRegistry registry =
        new DimseRegistry()
            .registerFind(this::find)
            .registerMove(this::retrieve, destinations, DicomClient.Options.DEFAULTS)
            .registerGet(this::retrieve)
            // Reports on a new association go to the requestor's address from the same tables.
            .registerStorageCommitment(
                (association, rq) ->
                    commitments.decide(
                        tenantOf(association.callingAE()), rq, dimse.commitmentWait()),
                destinations::lookup,
                DicomClient.Options.DEFAULTS);
    server = listener(dimse, registry).bind(dimse.host(), dimse.port()).build().start();
    LOG.infof(
        "Query/Retrieve SCP %s listening on %s:%d, %d other move destination(s), calling AEs: %s",
        dimse.aeTitle(), dimse.host(), server.port(), configured.size(), callingAes.describe());
    QueryConfig.Dimse.Tls tls = dimse.tls();
    if (tls.keyStore().isPresent()) {
      tlsServer =
          listener(dimse, registry).bind(dimse.host(), tls.port()).tls(tls(tls)).build().start();
      LOG.infof(
          "Query/Retrieve SCP %s listening for DICOM TLS on %s:%d (client certificates: %s)",
          dimse.aeTitle(), dimse.host(), tlsServer.port(), tls.clientAuth());
    }
  }

  /** Everything but the address and TLS: the plain and the TLS listener serve alike. */
  private DicomServer.Builder listener(QueryConfig.Dimse dimse, DimseRegistry registry) {
    List<TransferCapability> caps = new ArrayList<>();
    caps.add(TransferCapability.verificationScp());
    caps.addAll(TransferCapability.queryRetrieveScp());
    caps.addAll(TransferCapability.storageScu()); // C-GET sub-operations
    caps.addAll(TransferCapability.storageCommitment());
    return DicomServer.builder()
        .applicationEntity(new ApplicationEntity(dimse.aeTitle(), caps))
        .registry(registry)
        .acceptor(AssociationAcceptor.knownCalledAE().and(audited(callingAes.acceptor())))
        .listener(callers.listener())
        .maxAssociations(dimse.maxAssociations())
        .maxAssociationsPerHost(dimse.maxAssociationsPerHost())
        .associationConfig(
            AssociationConfig.SERVER_DEFAULTS
                .withArtimTimeout(dimse.artimTimeout())
                .withIdleTimeout(dimse.idleTimeout()));
  }

  private static TlsConfig tls(QueryConfig.Dimse.Tls t)
      throws IOException, GeneralSecurityException {
    char[] keyPassword = t.keyStorePassword().orElse("").toCharArray();
    return TlsConfig.forServer(
        Path.of(t.keyStore().orElseThrow()),
        keyPassword,
        t.trustStore().map(Path::of).orElse(null),
        t.trustStorePassword().map(String::toCharArray).orElse(keyPassword),
        t.clientAuth(),
        t.protocols(),
        t.cipherSuites().orElse(null));
  }

  /** Associations the calling-AE rules refuse leave an audit record (throttled per source). */
  private AssociationAcceptor audited(AssociationAcceptor callingAeRules) {
    return callingAeRules.onRejected((rq, remote) -> audit.refused(rq.callingAE(), remote));
  }

  /**
   * The tenant a request is limited to: its association's caller's ({@link DimseCallers}), from the
   * known-AE file or, for accepted unknown callers, the default tenant.
   */
  String tenant(QueryRequest rq) throws DimseException {
    return caller(rq).tenants().iterator().next();
  }

  /**
   * What a request may read, inside every query: its caller's tenant, with the tenants its links
   * reach ({@code strata.query.tenant-scopes}); for an AE limited to departments ({@code labels=}
   * of its known-AE entry, ADR 0061) only its tenant's studies carrying one of the labels, links
   * reaching no other tenant, as for a department-limited token (ADR 0025).
   */
  TenantScope scope(QueryRequest rq) throws DimseException {
    CallerIdentity caller = caller(rq);
    String tenant = caller.tenants().iterator().next();
    return caller.seesWhole(tenant)
        ? scopes.of(tenant)
        : TenantScope.ofToken(caller.tenants(), caller.labels());
  }

  private CallerIdentity caller(QueryRequest rq) throws DimseException {
    CallerIdentity caller = callers.of(rq.association());
    if (caller == null || caller.tenants().isEmpty()) {
      // The acceptor rejected such associations already; kept as a second line.
      throw new DimseException(Status.NOT_AUTHORIZED, "calling AE not known");
    }
    return caller;
  }

  /** The calling AE's tenant, the default tenant for accepted unknown callers, else null. */
  private String tenantOf(String callingAe) {
    return callingAes.tenantOf(callingAe);
  }

  void stop(@Observes ShutdownEvent event) {
    if (tlsServer != null) {
      tlsServer.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** The port actually bound (a free one when configured as 0); -1 when not running. */
  public int port() {
    return server == null ? -1 : server.port();
  }

  /** The TLS port actually bound; -1 without TLS. */
  public int tlsPort() {
    return tlsServer == null ? -1 : tlsServer.port();
  }

  /** {@code AE=host:port} entries; a malformed one stops the start. */
  static Map<String, InetSocketAddress> destinations(Map<String, String> config) {
    Map<String, InetSocketAddress> out = new LinkedHashMap<>();
    config.forEach(
        (ae, address) -> {
          String a = address.trim();
          int colon = a.lastIndexOf(':');
          if (colon <= 0 || colon == a.length() - 1) {
            throw new IllegalArgumentException(
                "strata.query.dimse.destinations." + ae + " must be host:port");
          }
          String host = a.substring(0, colon);
          if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
          }
          int port;
          try {
            port = Integer.parseInt(a.substring(colon + 1));
          } catch (NumberFormatException e) {
            port = -1;
          }
          if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                "strata.query.dimse.destinations." + ae + ": invalid port");
          }
          out.put(ae.trim(), InetSocketAddress.createUnresolved(host, port));
        });
    return out;
  }

  // ---------------------------------------------------------------- C-FIND

  private Stream<CFindHandler.Match> find(QueryRequest rq, Attributes keys) throws DimseException {
    String level = keys.getString(Tag.QueryRetrieveLevel);
    checkLevel(rq, level);
    FindKeys.Translation t;
    QidoService.Page first;
    String tenant = tenant(rq);
    TenantScope scope = scope(rq);
    String base = config.retrieveBaseUrl().map(b -> b.replaceAll("/+$", "")).orElse("");
    try {
      t = FindKeys.translate(level, keys, PAGE_SIZE);
      first = qido.page(t.at(0), scope, base); // a malformed value fails here, before any match
    } catch (QidoException e) {
      // The reason names the key, never its value.
      throw new DimseException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, e.getMessage());
    }
    LOG.debugf("C-FIND %s level from %s", level, rq.callingAE());
    // Every page's patients are named before the first response, read by one more query only
    // when the matches do not fit one page.
    audit.find(
        rq,
        tenant,
        keys,
        first.matches(),
        first.more() ? qido.patients(t.request(), scope, DimseAudit.NAMED_PATIENTS) : null);
    boolean retrieveUrl = config.retrieveBaseUrl().isPresent();
    Iterator<CFindHandler.Match> matches =
        new Iterator<>() {
          QidoService.Page page = first;
          int index;
          int offset;
          final Set<Long> patients = new HashSet<>();
          CFindHandler.Match next;

          @Override
          public boolean hasNext() {
            while (next == null) {
              if (index == page.matches().size()) {
                if (!page.more()) {
                  return false;
                }
                offset += page.matches().size();
                page = qido.page(t.at(offset), scope, base);
                index = 0;
                continue;
              }
              QidoService.Match m = page.matches().get(index++);
              if (t.patientLevel() && !patients.add(m.patientPk())) {
                continue; // one response per patient
              }
              next =
                  new CFindHandler.Match(
                      response(keys, m.dataset(), level, t.patientLevel(), retrieveUrl),
                      t.optionalKeysUnsupported());
            }
            return true;
          }

          @Override
          public CFindHandler.Match next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            CFindHandler.Match m = next;
            next = null;
            return m;
          }
        };
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(matches, Spliterator.ORDERED), false);
  }

  /** Study Root has no PATIENT level; the level must be one of the four. */
  private static void checkLevel(QueryRequest rq, String level) throws DimseException {
    if (FindKeys.level(level) == null) {
      throw new DimseException(
          Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "missing or unknown Query/Retrieve Level");
    }
    if (level.trim().equals("PATIENT") && !patientRoot(rq.sopClassUid())) {
      throw new DimseException(
          Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "no PATIENT level in Study Root");
    }
  }

  private static boolean patientRoot(String sopClass) {
    return UID.PatientRootQueryRetrieveInformationModelFind.equals(sopClass)
        || UID.PatientRootQueryRetrieveInformationModelMove.equals(sopClass)
        || UID.PatientRootQueryRetrieveInformationModelGet.equals(sopClass);
  }

  /**
   * The response identifier: exactly the requested keys (in UTF-8), with the match's values; a key
   * the match has no value for is returned empty.
   */
  private Attributes response(
      Attributes keys, Attributes match, String level, boolean patientLevel, boolean retrieveUrl) {
    Attributes out = new Attributes();
    out.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
    for (int tag : keys.tags()) {
      if (tag == Tag.SpecificCharacterSet || (tag & 0xFFFF) == 0 || (tag >>> 16 & 1) == 1) {
        continue;
      }
      if (tag == Tag.QueryRetrieveLevel) {
        out.setString(tag, VR.CS, level.trim());
      } else if (tag == Tag.RetrieveAETitle) {
        out.setString(tag, VR.AE, config.dimse().aeTitle());
      } else if (match.contains(tag)
          && (!patientLevel || FindKeys.PATIENT_KEYS.contains(tag))
          && (tag != Tag.RetrieveURL || retrieveUrl)) {
        out.set(tag, match.vr(tag), match.value(tag));
      } else {
        out.set(tag, keys.vr(tag), null);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- C-MOVE and C-GET

  private List<RetrieveHandler.Instance> retrieve(QueryRequest rq, Attributes keys)
      throws IOException, DimseException {
    String level = keys.getString(Tag.QueryRetrieveLevel);
    checkLevel(rq, level);
    String l = level.trim();
    int depth = List.of("PATIENT", "STUDY", "SERIES", "IMAGE").indexOf(l);
    int unique =
        switch (l) {
          case "PATIENT" -> Tag.PatientID;
          case "STUDY" -> Tag.StudyInstanceUID;
          case "SERIES" -> Tag.SeriesInstanceUID;
          default -> Tag.SOPInstanceUID;
        };
    if (keys.getString(unique) == null) {
      throw new DimseException(
          Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "no unique key for the " + l + " level");
    }
    try {
      FindKeys.checkHoldable(keys);
    } catch (QidoException e) {
      throw new DimseException(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, e.getMessage());
    }
    String tenant = tenant(rq);
    if (rq.moveDestination() != null) {
      // A known destination of another tenant is refused as if unknown: one hospital's
      // images never go to another's AE.
      KnownAes.KnownAe dest = callingAes.knownAes().find(rq.moveDestination());
      if (dest != null && !dest.tenant().value().equals(tenant)) {
        throw new DimseException(
            Status.MOVE_DESTINATION_UNKNOWN, "move destination of another tenant");
      }
    }
    List<RetrieveLocator.Located> found;
    try {
      found =
          locator.find(
              tenant,
              scope(rq),
              keys.getString(Tag.PatientID),
              uids(keys, Tag.StudyInstanceUID, depth >= 1),
              uids(keys, Tag.SeriesInstanceUID, depth >= 2),
              uids(keys, Tag.SOPInstanceUID, depth >= 3));
    } catch (RuntimeException e) {
      throw new IOException("index lookup failed: " + e.getClass().getSimpleName(), e);
    }
    LOG.debugf(
        "%s %s level from %s: %d instance(s)",
        rq.moveDestination() == null ? "C-GET" : "C-MOVE", l, rq.callingAE(), found.size());
    try {
      storage.requireNearlineReadable(
          tenant, found, RetrieveLocator.Located::bucket, RetrieveLocator.Located::objectKey);
    } catch (org.strata.storage.TierUnavailableException e) {
      // A refusal before any sub-operation: the SCU may ask again after the tier's delay.
      throw new DimseException(
          Status.UNABLE_TO_PERFORM_SUB_OPERATIONS,
          "nearline tier not available; retry in " + e.retryAfterSeconds() + " s");
    }
    audit.retrieve(rq, tenant, found);
    List<RetrieveHandler.Instance> out = new ArrayList<>(found.size());
    for (RetrieveLocator.Located i : found) {
      out.add(
          new RetrieveHandler.Instance(
              i.sopClassUid(), i.sopInstanceUid(), i.transferSyntaxUid(), () -> open(tenant, i)));
    }
    return out;
  }

  private java.io.InputStream open(String tenant, RetrieveLocator.Located i) throws IOException {
    try {
      return StoredDataSet.open(storage.open(tenant, i.bucket(), i.objectKey()));
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      // S3 error code or class only: the message can carry the key (UIDs).
      throw new IOException("stored object not readable: " + e.getClass().getSimpleName(), e);
    }
  }

  /** The UID list of {@code tag} if it applies at this level and is given, else null. */
  private static String[] uids(Attributes keys, int tag, boolean applies) {
    if (!applies) {
      return null;
    }
    String[] values = keys.getStrings(tag);
    List<String> nonEmpty = new ArrayList<>();
    for (String v : values) {
      if (!v.isBlank()) {
        nonEmpty.add(v.trim());
      }
    }
    return nonEmpty.isEmpty() ? null : nonEmpty.toArray(String[]::new);
  }
}
