package org.strata.ingest.dimse;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import org.jboss.logging.Logger;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomOutputStream;
import org.strata.dicom.net.AssociationAcceptor;
import org.strata.dicom.net.AssociationConfig;
import org.strata.dicom.net.CStoreHandler;
import org.strata.dicom.net.DicomServer;
import org.strata.dicom.net.DimseException;
import org.strata.dicom.net.DimseRegistry;
import org.strata.dicom.net.Status;
import org.strata.dicom.net.TlsConfig;
import org.strata.events.InstanceStored;
import org.strata.http.auth.CallerIdentity;
import org.strata.ingest.config.IngestConfig;
import org.strata.ingest.service.IngestSource;
import org.strata.ingest.service.InstanceIngestor;
import org.strata.ingest.service.StoreResult;

/**
 * The archive's storage SCP: C-ECHO and C-STORE of every storage SOP class in the transfer syntax
 * it arrives in. Each data set is streamed through the same pipeline as STOW-RS, behind a file meta
 * group made from the command and the presentation context; the C-STORE-RSP goes out only after the
 * object is in S3 and its event acknowledged by Kafka. The A-RELEASE-RP waits (bounded) until the
 * association's instances are indexed ({@link IndexedBeforeRelease}).
 */
@ApplicationScoped
public class StorageScp {
  private static final Logger LOG = Logger.getLogger(StorageScp.class);

  private final InstanceIngestor ingestor;
  private final IngestConfig config;
  private final IndexedBeforeRelease indexedBeforeRelease;
  private final CallingAes callingAes;
  private final DimseCallers callers;
  private DicomServer server;
  private DicomServer tlsServer;
  @jakarta.inject.Inject AssociationAudit audit;

  public StorageScp(
      InstanceIngestor ingestor,
      IngestConfig config,
      IndexedBeforeRelease indexedBeforeRelease,
      CallingAes callingAes,
      DimseCallers callers) {
    this.ingestor = ingestor;
    this.config = config;
    this.indexedBeforeRelease = indexedBeforeRelease;
    this.callingAes = callingAes;
    this.callers = callers;
  }

  void start(@Observes StartupEvent event) throws IOException, GeneralSecurityException {
    IngestConfig.Dimse dimse = config.dimse();
    if (!dimse.enabled()) {
      return;
    }
    server = listener(dimse).bind(dimse.host(), dimse.port()).build().start();
    LOG.infof(
        "storage SCP %s listening on %s:%d, calling AEs: %s",
        dimse.aeTitle(), dimse.host(), server.port(), callingAes.describe());
    IngestConfig.Tls tls = dimse.tls();
    if (tls.keyStore().isPresent()) {
      tlsServer = listener(dimse).bind(dimse.host(), tls.port()).tls(tls(tls)).build().start();
      LOG.infof(
          "storage SCP %s listening for DICOM TLS on %s:%d (client certificates: %s)",
          dimse.aeTitle(), dimse.host(), tlsServer.port(), tls.clientAuth());
    }
  }

  private static TlsConfig tls(IngestConfig.Tls t) throws IOException, GeneralSecurityException {
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

  /** Everything but the address and TLS: the plain and the TLS listener serve alike. */
  private DicomServer.Builder listener(IngestConfig.Dimse dimse) {
    return DicomServer.builder()
        .storageAE(dimse.aeTitle())
        .registry(new DimseRegistry().registerStorage(this::store))
        .acceptor(AssociationAcceptor.knownCalledAE().and(audited(callingAes.acceptor())))
        .maxAssociations(dimse.maxAssociations())
        .maxAssociationsPerHost(dimse.maxAssociationsPerHost())
        .listener(audit.after(callers.listener().and(indexedBeforeRelease)))
        .associationConfig(
            AssociationConfig.SERVER_DEFAULTS
                .withArtimTimeout(dimse.artimTimeout())
                .withIdleTimeout(dimse.idleTimeout()));
  }

  void stop(@Observes ShutdownEvent event) {
    if (tlsServer != null) {
      tlsServer.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** The port actually bound (a free one when configured as 0). */
  public int port() {
    return server == null ? -1 : server.port();
  }

  /** The TLS port actually bound; -1 without TLS. */
  public int tlsPort() {
    return tlsServer == null ? -1 : tlsServer.port();
  }

  /** Associations the calling-AE rules refuse leave an audit record (throttled per source). */
  private AssociationAcceptor audited(AssociationAcceptor callingAeRules) {
    return callingAeRules.onRejected(
        (rq, remote) -> audit.refused(rq.callingAE(), remote, "calling AE not recognized"));
  }

  private int store(CStoreHandler.StoreRequest rq, InputStream dataSet)
      throws IOException, DimseException {
    CallerIdentity caller = callers.of(rq.association());
    if (caller == null || caller.tenants().isEmpty()) {
      // The acceptor refused such associations already; kept as a second line.
      throw new DimseException(0x0110, "no tenant for the calling AE");
    }
    if (!audit.hasRoom()) {
      throw new DimseException(0xA700, "audit trail unavailable: the store cannot be recorded");
    }
    IngestSource source =
        new IngestSource(
            caller.tenants().iterator().next(),
            InstanceStored.Channel.DIMSE,
            caller.callingAe(),
            rq.calledAE(),
            caller.sourceAddress(),
            null);
    InputStream part10 = new SequenceInputStream(new ByteArrayInputStream(fileMeta(rq)), dataSet);
    StoreResult result = ingestor.store(part10, source, null, rq.sopInstanceUid(), true);
    if (!result.stored()) {
      throw new DimseException(result.failure().code(), result.detail());
    }
    audit.stored(rq.association(), source.tenant(), result);
    if (result.eventId() != null) {
      indexedBeforeRelease.stored(rq.association(), result.eventId());
    }
    // Stored as received, nothing coerced (ADR 0019): success, never B000.
    return Status.SUCCESS;
  }

  /** Preamble, DICM and group 0002 for a data set received over DIMSE (PS3.10 7.1). */
  private static byte[] fileMeta(CStoreHandler.StoreRequest rq) throws IOException {
    Attributes fmi = new Attributes();
    fmi.set(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
    fmi.setString(Tag.MediaStorageSOPClassUID, VR.UI, rq.sopClassUid());
    fmi.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, rq.sopInstanceUid());
    fmi.setString(Tag.TransferSyntaxUID, VR.UI, rq.transferSyntax());
    fmi.setString(Tag.ImplementationClassUID, VR.UI, DicomOutputStream.IMPLEMENTATION_CLASS_UID);
    fmi.setString(
        Tag.ImplementationVersionName, VR.SH, DicomOutputStream.IMPLEMENTATION_VERSION_NAME);
    fmi.setString(Tag.SourceApplicationEntityTitle, VR.AE, rq.callingAE());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    DicomOutputStream out = new DicomOutputStream(bytes, rq.transferSyntax());
    out.writeFileMetaInformation(fmi);
    out.finish();
    return bytes.toByteArray();
  }
}
