package org.strata.ingest.derivatives;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.strata.dicom.Attributes;
import org.strata.dicom.BulkDataRef;
import org.strata.dicom.Fragments;
import org.strata.dicom.io.DicomInputStream;
import org.strata.dicom.io.ReadOptions;
import org.strata.dicom.io.TransferSyntax;
import org.strata.dicom.json.DicomJsonWriter;
import org.strata.events.InstanceStored;
import org.strata.ingest.config.DerivativesConfig;
import org.strata.ingest.config.IngestConfig;

/**
 * The metadata sidecar's bytes (DICOM JSON, PS3.18 Annex F) of an instance: exactly the object's
 * attributes (nothing coerced, ADR 0019), every value above the bulk-data threshold as a
 * BulkDataURI {@code {base}/studies/{study}/series/{series}/instances/{sop}/bulkdata/{offset}-
 * {length}}: the byte range of the value in the stored object. For encapsulated pixel data the
 * range runs from the Basic Offset Table's item tag to the end of the last fragment.
 *
 * <p>One builder for the two places that need these bytes: the sidecar the derivatives writer puts
 * in S3, and the compressed copy InstanceStored carries to the index (ADR 0045), so both are the
 * same bytes.
 */
@ApplicationScoped
public class SidecarJson {
  private final String baseUrl;
  private final long bulkDataThreshold;

  public SidecarJson(IngestConfig config, DerivativesConfig derivatives) {
    String base = config.publicBaseUrl().orElse("/dicomweb");
    this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    this.bulkDataThreshold = derivatives.bulkDataThreshold();
  }

  /** How the derivatives read a data set: values above the threshold referenced, not loaded. */
  ReadOptions readOptions() {
    return ReadOptions.DEFAULTS.withBulkData(bulkDataThreshold, null);
  }

  /** The sidecar's bytes of {@code dataset}, the data set of the instance with these UIDs. */
  public byte[] of(Attributes dataset, String study, String series, String sop) throws IOException {
    String instanceUrl =
        baseUrl + "/studies/" + study + "/series/" + series + "/instances/" + sop + "/bulkdata/";
    ByteArrayOutputStream json = new ByteArrayOutputStream(16 * 1024);
    try (DicomJsonWriter writer =
        new DicomJsonWriter(
            json, bulkDataThreshold, (path, vr, value) -> bulkDataUri(instanceUrl, value))) {
      writer.write(dataset);
    }
    return json.toByteArray();
  }

  /**
   * The data set an object is known to hold from the header ingest kept (ADR 0015), with its
   * transfer syntax; null for a deflated one (its values have no offsets in the object).
   */
  Parsed parse(PreparedHeaders.Prepared header) throws IOException {
    try (DicomInputStream dicom =
        new DicomInputStream(
            new HeaderThenGap(
                header.header(), header.tailOffset(), header.tail(), header.objectSize()),
            readOptions())) {
      dicom.readFileMetaInformation();
      TransferSyntax ts = dicom.transferSyntax();
      if (ts.deflated()) {
        return null;
      }
      return new Parsed(dicom.readDataset(), ts);
    }
  }

  /** A data set read for the derivatives, and the transfer syntax of its object. */
  public record Parsed(Attributes dataset, TransferSyntax transferSyntax) {}

  /** A sidecar made from a kept header: its bytes and the data set they were made of. */
  public record Made(Parsed parsed, byte[] json) {}

  /**
   * The sidecar of {@code event}'s object made from its kept header (ADR 0045: compressed into the
   * event; kept for the derivatives writer); null when it cannot be made so (deflated).
   */
  public Made fromHeader(InstanceStored event, PreparedHeaders.Prepared header) {
    try {
      Parsed parsed = parse(header);
      if (parsed == null) {
        return null;
      }
      return new Made(
          parsed,
          of(
              parsed.dataset(),
              event.studyInstanceUid(),
              event.seriesInstanceUid(),
              event.sopInstanceUid()));
    } catch (IOException | RuntimeException e) {
      // The header parsed once already; whatever fails here leaves the sidecar as the source.
      return null;
    }
  }

  /** The WADO-RS bulkdata URI of a value left in the object; null keeps a loaded value inline. */
  static String bulkDataUri(String instanceUrl, Object value) {
    if (value instanceof BulkDataRef ref) {
      return instanceUrl + ref.offset() + "-" + ref.length();
    }
    if (value instanceof Fragments f && f.size() > 0) {
      long start = f.offset(0) - 8;
      int last = f.size() - 1;
      Object v = f.get(last);
      long end =
          f.offset(last)
              + (v instanceof byte[] b ? b.length : v instanceof BulkDataRef r ? r.length() : 0);
      return instanceUrl + start + "-" + (end - start);
    }
    return null;
  }
}
