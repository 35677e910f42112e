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
import org.strata.dicom.net.pdu.AAssociateRJ;
import org.strata.dicom.net.pdu.AAssociateRJException;
import org.strata.events.InstanceStored;
import org.strata.ingest.config.IngestConfig;
import org.strata.ingest.service.IngestSource;
import org.strata.ingest.service.InstanceIngestor;
import org.strata.ingest.service.StoreResult;
import org.strata.ingest.service.TenantResolver;

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
  private final TenantResolver tenants;
  private final IngestConfig config;
  private final IndexedBeforeRelease indexedBeforeRelease;
  private DicomServer server;
  @jakarta.inject.Inject AssociationAudit audit;

  public StorageScp(
      InstanceIngestor ingestor,
      TenantResolver tenants,
      IngestConfig config,
      IndexedBeforeRelease indexedBeforeRelease) {
    this.ingestor = ingestor;
    this.tenants = tenants;
    this.config = config;
    this.indexedBeforeRelease = indexedBeforeRelease;
  }

  void start(@Observes StartupEvent event) throws IOException {
    IngestConfig.Dimse dimse = config.dimse();
    if (!dimse.enabled()) {
      return;
    }
    server =
        DicomServer.builder()
            .bind(dimse.host(), dimse.port())
            .storageAE(dimse.aeTitle())
            .registry(new DimseRegistry().registerStorage(this::store))
            .acceptor(AssociationAcceptor.knownCalledAE().and(this::checkCallingAe))
            .maxAssociations(dimse.maxAssociations())
            .maxAssociationsPerHost(dimse.maxAssociationsPerHost())
            .listener(audit.after(indexedBeforeRelease))
            .associationConfig(
                AssociationConfig.SERVER_DEFAULTS
                    .withArtimTimeout(dimse.artimTimeout())
                    .withIdleTimeout(dimse.idleTimeout()))
            .build()
            .start();
    LOG.infof("storage SCP %s listening on %s:%d", dimse.aeTitle(), dimse.host(), server.port());
  }

  void stop(@Observes ShutdownEvent event) {
    if (server != null) {
      server.close();
    }
  }

  /** The port actually bound (a free one when configured as 0). */
  public int port() {
    return server == null ? -1 : server.port();
  }

  /**
   * Calling AE titles no tenant rule maps are refused (reason 3), unless a default tenant is set.
   */
  private void checkCallingAe(
      org.strata.dicom.net.pdu.AAssociateRQ rq,
      java.net.InetSocketAddress remote,
      java.util.Set<String> local)
      throws AAssociateRJException {
    if (tenants.forCallingAe(rq.callingAE()).isEmpty()) {
      audit.refused(rq.callingAE(), remote, "calling AE title not mapped to a tenant");
      throw new AAssociateRJException(
          AAssociateRJ.RESULT_PERMANENT,
          AAssociateRJ.SOURCE_SERVICE_USER,
          AAssociateRJ.REASON_CALLING_AE_NOT_RECOGNIZED,
          "calling AE title not mapped to a tenant:");
    }
  }

  private int store(CStoreHandler.StoreRequest rq, InputStream dataSet)
      throws IOException, DimseException {
    String tenant =
        tenants
            .forCallingAe(rq.callingAE())
            .orElseThrow(() -> new DimseException(0x0110, "no tenant for the calling AE"));
    if (!audit.hasRoom()) {
      throw new DimseException(0xA700, "audit trail unavailable: the store cannot be recorded");
    }
    IngestSource source =
        new IngestSource(
            tenant,
            InstanceStored.Channel.DIMSE,
            rq.callingAE(),
            rq.calledAE(),
            rq.association().remoteAddress() == null
                ? null
                : rq.association().remoteAddress().getAddress().getHostAddress(),
            null);
    InputStream part10 = new SequenceInputStream(new ByteArrayInputStream(fileMeta(rq)), dataSet);
    StoreResult result = ingestor.store(part10, source, null, rq.sopInstanceUid(), true);
    if (!result.stored()) {
      throw new DimseException(result.failure().code(), result.detail());
    }
    audit.stored(rq.association(), tenant, result);
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
