package org.strata.ingest.derivatives;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.util.Optional;
import org.strata.dicom.Attributes;
import org.strata.dicom.DicomParseException;
import org.strata.dicom.Tag;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.FrameIndex;
import org.strata.dicom.io.TransferSyntax;
import org.strata.events.InstanceStored;
import org.strata.events.MetadataCompression;
import org.strata.events.ObjectLocation;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;
import org.strata.storage.RangeReadChannel;
import org.strata.storage.StorageException;

/**
 * Writes the derivatives of one stored instance (ADR 0005: off the acknowledged path): the metadata
 * sidecar and, for encapsulated (compressed) pixel data, the frame index, from one streaming read
 * of the object. Native pixel data gets no frame index object (ADR 0073): its frames lie at
 * arithmetic offsets that the query service derives from the instance's metadata, so a native
 * instance costs two S3 requests (object, sidecar), not three. The event still names the frame
 * index key (the place where one would be); nothing reads it for native pixel data.
 *
 * <p>The object is parsed as it arrives from S3 with a bulk-data threshold: every binary value (and
 * fragment) longer than the threshold is skipped and recorded as a reference (offset, length) into
 * the object, so memory holds only the small attributes, never the pixel data. The few values the
 * frame index needs that were skipped (a large offset table, the first bytes of fragments) are read
 * back with range requests.
 *
 * <p>Sidecar: the data set (without the file meta information) in the DICOM JSON model (PS3.18
 * Annex F), exactly the object's attributes (nothing coerced, ADR 0019), and every value above the
 * threshold as a BulkDataURI {@code
 * {base}/studies/{study}/series/{series}/instances/{sop}/bulkdata/{offset}-{length}}: the byte
 * range of the value in the stored object. For encapsulated pixel data the range runs from the
 * Basic Offset Table's item tag to the end of the last fragment (items with their headers, without
 * the sequence delimiter).
 *
 * <p>Idempotent: the same event gives the same bytes under the same keys, so a replay or a second
 * delivery only rewrites them.
 */
@ApplicationScoped
public class DerivativesWriter {

  /** An event's metadata inflating to more is not trusted as a sidecar: read from the object. */
  private static final int MAX_SIDECAR_FROM_EVENT = 32 * 1024 * 1024;

  private final ObjectStore store;
  private final SidecarJson sidecars;
  private final PreparedHeaders prepared;

  public DerivativesWriter(ObjectStore store, SidecarJson sidecars, PreparedHeaders prepared) {
    this.store = store;
    this.sidecars = sidecars;
    this.prepared = prepared;
  }

  /** What became of one event. */
  /**
   * @param readFrom where the data set came from: {@code header} (kept by ingest, ADR 0015), {@code
   *     event} (the sidecar carried by the event, ADR 0077) or {@code object} (read back from S3)
   */
  public record Result(Outcome outcome, String reason, String frameIndexSkipped, String readFrom) {
    static Result skipped(String reason) {
      return new Result(Outcome.SKIPPED, reason, null, "none");
    }
  }

  public enum Outcome {
    /**
     * The sidecar (and the frame index unless {@code frameIndexSkipped}, e.g. {@code native}: ADR
     * 0073) was written.
     */
    WRITTEN,
    /** Nothing written, for a reason that a retry would not change. */
    SKIPPED
  }

  /**
   * Writes the derivatives of {@code event}'s object.
   *
   * @throws StorageException, IOException when object storage failed: worth a retry
   * @throws DicomParseException when the stored object does not parse: not worth one
   */
  public Result write(InstanceStored event) throws StorageException, IOException {
    ObjectLocation location = event.objectLocation();
    if (location.sidecarKey() == null && location.frameIndexKey() == null) {
      prepared.remove(event.eventId());
      return Result.skipped("no-keys");
    }
    PreparedHeaders.Prepared header = prepared.peek(event.eventId());
    if (header != null) {
      try {
        Result result = writeFromHeader(event, header);
        prepared.remove(event.eventId());
        return result;
      } catch (RuntimeException e) {
        // Not worth a retry (a storage failure is: the entry stays for the next attempt).
        prepared.remove(event.eventId());
        throw e;
      }
    }
    Optional<ObjectStore.StoredObject> object = store.stat(location.key());
    if (object.isEmpty()) {
      // Deleted since (e.g. its event was published but the acknowledgement timed out).
      return Result.skipped("object-missing");
    }
    String nextVersion =
        ObjectKeys.instance(
            event.tenant(),
            event.studyInstanceUid(),
            event.seriesInstanceUid(),
            event.sopInstanceUid(),
            event.version() + 1);
    if (store.stat(nextVersion).isPresent()) {
      // The derivative keys are per instance, not per version: a replayed older version's event
      // must not overwrite the derivatives of the newer one.
      return Result.skipped("superseded");
    }

    byte[] sidecar = sidecarFromEvent(event);
    if (sidecar != null) {
      writeSidecar(location, null, event, sidecar);
      return new Result(Outcome.WRITTEN, null, null, "event");
    }

    Attributes dataset;
    TransferSyntax ts;
    try (InputStream in = store.get(location.key());
        DicomInputStream dicom = new DicomInputStream(in, sidecars.readOptions())) {
      dicom.readFileMetaInformation();
      ts = dicom.transferSyntax();
      if (ts.deflated()) {
        // Values of a deflated data set have no offsets in the object: no bulk data references
        // and no frame index; reading it would load the pixel data. Query falls back to the object.
        return Result.skipped("deflated");
      }
      dataset = dicom.readDataset();
    }

    return writeDerivatives(event, object.get().size(), dataset, ts, "object", null);
  }

  /**
   * The sidecar carried by the event (ADR 0045: the same bytes, compressed), when it is the only
   * derivative to write (native or no pixel data: no frame index object, ADR 0073); else null. So
   * the derivatives consumer of any replica writes an instance that another replica stored (its
   * kept header is in the other process) without reading the object back: with n replicas, (n - 1)
   * / n of the events are such (ADR 0077).
   */
  private static byte[] sidecarFromEvent(InstanceStored event) throws IOException {
    TransferSyntax ts = TransferSyntax.of(event.transferSyntaxUid());
    if (event.compressedMetadata() == null
        || event.objectLocation().sidecarKey() == null
        || ts.encapsulated()
        || ts.deflated()) {
      return null;
    }
    return MetadataCompression.inflate(event.compressedMetadata(), MAX_SIDECAR_FROM_EVENT);
  }

  /**
   * The derivatives of an object that ingest has just stored, from its header bytes alone (ADR
   * 0015): no request but the two PUTs. The object ends with its Pixel Data value (or has none), so
   * reading the header followed by a stand-in for the pixel data value gives the same data set,
   * offsets included, as reading the object: the value itself is only referenced, never read.
   */
  private Result writeFromHeader(InstanceStored event, PreparedHeaders.Prepared header)
      throws StorageException, IOException {
    SidecarJson.Made made = header.sidecar();
    // Made on the acknowledged path for the event (ADR 0045): the same bytes, not made twice.
    SidecarJson.Parsed parsed = made != null ? made.parsed() : sidecars.parse(header);
    if (parsed == null) {
      return Result.skipped("deflated");
    }
    return writeDerivatives(
        event,
        header.objectSize(),
        parsed.dataset(),
        parsed.transferSyntax(),
        "header",
        made == null ? null : made.json());
  }

  /**
   * @param sidecar the sidecar's bytes if made already, else null
   */
  private Result writeDerivatives(
      InstanceStored event,
      long objectSize,
      Attributes dataset,
      TransferSyntax ts,
      String readFrom,
      byte[] sidecar)
      throws StorageException, IOException {
    ObjectLocation location = event.objectLocation();
    String frameIndexSkipped = null;
    if (location.frameIndexKey() != null) {
      frameIndexSkipped = writeFrameIndex(location, objectSize, dataset, ts, event);
    }
    if (location.sidecarKey() != null) {
      writeSidecar(location, dataset, event, sidecar);
    }
    return new Result(Outcome.WRITTEN, null, frameIndexSkipped, readFrom);
  }

  /** Returns null when written, else why not. */
  private String writeFrameIndex(
      ObjectLocation location,
      long size,
      Attributes dataset,
      TransferSyntax ts,
      InstanceStored event)
      throws StorageException, IOException {
    if (!dataset.contains(Tag.PixelData)
        && !dataset.contains(Tag.FloatPixelData)
        && !dataset.contains(Tag.DoubleFloatPixelData)) {
      return "no-pixel-data";
    }
    if (dataset.getFragments(Tag.PixelData) == null) {
      // Native: frame k is at offset + k * frame length, derived by the query service (ADR 0073).
      return "native";
    }
    FrameIndex index;
    try (FileChannel channel = new RangeReadChannel(store, location.key(), size)) {
      index = FrameIndex.of(dataset, ts, channel);
    } catch (IllegalArgumentException | DicomParseException e) {
      // E.g. fragments without offset table or codec markers, or attributes that contradict the
      // pixel data length: such an object needs a decode pass (not done here).
      return "not-indexable";
    }
    byte[] bytes = index.toBytes();
    store.put(
        location.frameIndexKey(),
        new ByteArrayInputStream(bytes),
        "application/octet-stream",
        Map.of("strata-event-id", event.eventId()));
    return null;
  }

  private void writeSidecar(
      ObjectLocation location, Attributes dataset, InstanceStored event, byte[] made)
      throws StorageException, IOException {
    byte[] json =
        made != null
            ? made
            : sidecars.of(
                dataset,
                event.studyInstanceUid(),
                event.seriesInstanceUid(),
                event.sopInstanceUid());
    store.put(
        location.sidecarKey(),
        new ByteArrayInputStream(json),
        "application/dicom+json",
        sidecarMetadata(event));
  }

  /**
   * The sidecar's S3 user metadata (x-amz-meta-*): what the index needs besides the DICOM JSON to
   * rebuild its rows from the sidecars alone (ADR 0007), i.e. the InstanceStored fields that are
   * not attributes of the data set. ASCII only (UIDs, keys, hex, ISO instants, AE titles): S3
   * metadata is sent as HTTP headers. Absent values are left out.
   */
  static Map<String, String> sidecarMetadata(InstanceStored event) {
    ObjectLocation location = event.objectLocation();
    Map<String, String> meta = new java.util.LinkedHashMap<>();
    meta.put("strata-event-id", event.eventId());
    meta.put("strata-tenant", event.tenant());
    meta.put("strata-received-at", event.occurredAt().toString());
    meta.put("strata-object-key", location.key());
    meta.put("strata-object-size", Long.toString(location.size()));
    meta.put("strata-sha256", location.sha256());
    meta.put("strata-version", Integer.toString(event.version()));
    meta.put("strata-transfer-syntax", event.transferSyntaxUid());
    if (location.frameIndexKey() != null) {
      meta.put("strata-frame-index-key", location.frameIndexKey());
    }
    meta.put("strata-channel", event.source().channel().name());
    if (event.source().callingAeTitle() != null) {
      meta.put("strata-calling-ae", event.source().callingAeTitle().trim());
    }
    if (event.accessLabels() != null) {
      // A rebuild from sidecars restores the study's access labels (ADR 0025).
      meta.put("strata-access-labels", String.join(",", event.accessLabels()));
    }
    return meta;
  }
}
