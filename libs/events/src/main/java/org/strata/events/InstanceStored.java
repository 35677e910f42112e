package org.strata.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.strata.ids.AccessLabel;

/**
 * An instance was received and durably written to object storage by ingest.
 *
 * <p>Version history: v1 initial; v2 added {@code version} (object version, for duplicates kept as
 * a new version; v1 events are version 1) and {@code source.client}.
 *
 * @param studyDate DICOM DA (0008,0020) exactly as received, possibly empty or malformed
 * @param version object version of this SOP instance, starting at 1
 * @param attributes optional (added within v2): the instance's attributes that the index matches
 *     and returns (patient, study, series and instance level, PS3.18 Table 10.6.1-5 and the
 *     defaults of 10.6.3-3..5) in the DICOM JSON model (PS3.18 Annex F), without bulk data; the
 *     index takes everything else it needs from here, so it never reads the object
 * @param accessLabels optional (added within v2, ADR 0025): the access labels (departments of the
 *     tenant) ingest's label rules gave the instance; absent or empty: none. Index adds them to the
 *     study's labels.
 * @param compressedMetadata optional (added within v2, ADR 0045): the instance's WADO-RS metadata,
 *     i.e. the bytes of its metadata sidecar (UTF-8 DICOM JSON, PS3.18 Annex F, bulk data as
 *     BulkDataURIs), compressed with zlib ({@link java.util.zip.Deflater}); base64 on the wire.
 *     Ingest adds it when it can make the sidecar from the header it holds (ADR 0015) and it is
 *     small enough; the index keeps it so that series metadata needs no S3 read per instance.
 *     Absent: the sidecar (or the object) is the only source.
 */
public record InstanceStored(
    String eventId,
    Instant occurredAt,
    String tenant,
    String studyInstanceUid,
    String seriesInstanceUid,
    String sopInstanceUid,
    String sopClassUid,
    String transferSyntaxUid,
    String patientId,
    String issuerOfPatientId,
    String accessionNumber,
    String modality,
    String studyDate,
    ObjectLocation objectLocation,
    Source source,
    int version,
    JsonNode attributes,
    List<String> accessLabels,
    byte[] compressedMetadata)
    implements StrataEvent {

  public static final int SCHEMA_VERSION = 2;

  /** The largest {@link #compressedMetadata} an event carries (Kafka messages stay small). */
  public static final int MAX_COMPRESSED_METADATA = 64 * 1024;

  public InstanceStored {
    Require.uuid(eventId, "eventId");
    Require.nonNull(occurredAt, "occurredAt");
    Require.tenant(tenant, "tenant");
    Require.uid(studyInstanceUid, "studyInstanceUid");
    Require.uid(seriesInstanceUid, "seriesInstanceUid");
    Require.uid(sopInstanceUid, "sopInstanceUid");
    Require.uid(sopClassUid, "sopClassUid");
    Require.uid(transferSyntaxUid, "transferSyntaxUid");
    Require.nonNull(objectLocation, "objectLocation");
    Require.nonNull(source, "source");
    // The codec already rejects a missing int; this guards events built in code.
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1, got " + version);
    }
    accessLabels =
        accessLabels == null || accessLabels.isEmpty() ? null : List.copyOf(accessLabels);
    if (accessLabels != null) {
      for (String label : accessLabels) {
        // Canonical (lower case) like the tenant: ingest parses its rules' labels at start.
        if (!AccessLabel.isValid(label) || !AccessLabel.parse(label).equals(label)) {
          throw new IllegalArgumentException("accessLabels: not a canonical access label");
        }
      }
    }
    if (compressedMetadata != null && compressedMetadata.length > MAX_COMPRESSED_METADATA) {
      throw new IllegalArgumentException(
          "compressedMetadata: more than " + MAX_COMPRESSED_METADATA + " bytes");
    }
  }

  /** An event without compressed metadata. */
  public InstanceStored(
      String eventId,
      Instant occurredAt,
      String tenant,
      String studyInstanceUid,
      String seriesInstanceUid,
      String sopInstanceUid,
      String sopClassUid,
      String transferSyntaxUid,
      String patientId,
      String issuerOfPatientId,
      String accessionNumber,
      String modality,
      String studyDate,
      ObjectLocation objectLocation,
      Source source,
      int version,
      JsonNode attributes,
      List<String> accessLabels) {
    this(
        eventId,
        occurredAt,
        tenant,
        studyInstanceUid,
        seriesInstanceUid,
        sopInstanceUid,
        sopClassUid,
        transferSyntaxUid,
        patientId,
        issuerOfPatientId,
        accessionNumber,
        modality,
        studyDate,
        objectLocation,
        source,
        version,
        attributes,
        accessLabels,
        null);
  }

  /** An event without access labels. */
  public InstanceStored(
      String eventId,
      Instant occurredAt,
      String tenant,
      String studyInstanceUid,
      String seriesInstanceUid,
      String sopInstanceUid,
      String sopClassUid,
      String transferSyntaxUid,
      String patientId,
      String issuerOfPatientId,
      String accessionNumber,
      String modality,
      String studyDate,
      ObjectLocation objectLocation,
      Source source,
      int version,
      JsonNode attributes) {
    this(
        eventId,
        occurredAt,
        tenant,
        studyInstanceUid,
        seriesInstanceUid,
        sopInstanceUid,
        sopClassUid,
        transferSyntaxUid,
        patientId,
        issuerOfPatientId,
        accessionNumber,
        modality,
        studyDate,
        objectLocation,
        source,
        version,
        attributes,
        null);
  }

  /** The same event with these access labels. */
  public InstanceStored withAccessLabels(List<String> labels) {
    return new InstanceStored(
        eventId,
        occurredAt,
        tenant,
        studyInstanceUid,
        seriesInstanceUid,
        sopInstanceUid,
        sopClassUid,
        transferSyntaxUid,
        patientId,
        issuerOfPatientId,
        accessionNumber,
        modality,
        studyDate,
        objectLocation,
        source,
        version,
        attributes,
        labels,
        compressedMetadata);
  }

  /** The same event carrying this compressed metadata (null: none). */
  public InstanceStored withCompressedMetadata(byte[] metadata) {
    return new InstanceStored(
        eventId,
        occurredAt,
        tenant,
        studyInstanceUid,
        seriesInstanceUid,
        sopInstanceUid,
        sopClassUid,
        transferSyntaxUid,
        patientId,
        issuerOfPatientId,
        accessionNumber,
        modality,
        studyDate,
        objectLocation,
        source,
        version,
        attributes,
        accessLabels,
        metadata);
  }

  /** How the instance reached Strata. */
  public enum Channel {
    DIMSE,
    STOWRS
  }

  /**
   * Who sent the instance.
   *
   * @param channel the protocol it arrived on
   * @param callingAeTitle sending AE title (DIMSE only)
   * @param calledAeTitle Strata's AE title that was called (DIMSE only)
   * @param remoteAddress peer IP address
   * @param client authenticated client id or user (STOW-RS), since v2
   */
  public record Source(
      Channel channel,
      String callingAeTitle,
      String calledAeTitle,
      String remoteAddress,
      String client) {

    public Source {
      Require.nonNull(channel, "source.channel");
    }
  }
}
