package org.strata.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import org.strata.dicom.Tag;
import org.strata.events.InstanceStored;
import org.strata.events.ObjectLocation;
import org.strata.ingest.config.IngestConfig;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;

/**
 * Builds the InstanceStored event of a stored object from its parsed header, with the attributes as
 * received (nothing is coerced, ADR 0019) and the access labels the tenant's rules give it (ADR
 * 0025). The same event for a new store and for the republication of an orphan.
 */
@ApplicationScoped
public class InstanceStoredFactory {
  private final ObjectStore store;
  private final AccessLabelRules labels;

  public InstanceStoredFactory(ObjectStore store, IngestConfig config) {
    this.store = store;
    try {
      // Read once at start: a malformed file stops the service rather than label studies wrongly.
      this.labels =
          config.tenants().accessLabelsFile().filter(f -> !f.isBlank()).isPresent()
              ? AccessLabelRules.read(Path.of(config.tenants().accessLabelsFile().get()))
              : AccessLabelRules.none();
    } catch (IOException e) {
      throw new UncheckedIOException("access-label rules unreadable", e);
    }
  }

  /** The event that announces a stored object, with its attributes as received. */
  InstanceStored event(
      ParsedHeader header,
      IngestSource source,
      String eventId,
      String key,
      long size,
      String digest,
      int version) {
    InstanceStored event =
        new InstanceStored(
            eventId,
            Instant.now(),
            source.tenant(),
            header.studyInstanceUid(),
            header.seriesInstanceUid(),
            header.sopInstanceUid(),
            header.sopClassUid(),
            header.transferSyntaxUid(),
            trimToNull(header.dataset().getString(Tag.PatientID)),
            trimToNull(header.dataset().getString(Tag.IssuerOfPatientID)),
            trimToNull(header.dataset().getString(Tag.AccessionNumber)),
            trimToNull(header.dataset().getString(Tag.Modality)),
            trimToNull(header.dataset().getString(Tag.StudyDate)),
            new ObjectLocation(
                store.bucket(),
                key,
                size,
                digest,
                ObjectKeys.sidecar(
                    source.tenant(),
                    header.studyInstanceUid(),
                    header.seriesInstanceUid(),
                    header.sopInstanceUid()),
                ObjectKeys.frameIndex(
                    source.tenant(),
                    header.studyInstanceUid(),
                    header.seriesInstanceUid(),
                    header.sopInstanceUid())),
            source.toEventSource(),
            version,
            IndexAttributes.of(header.dataset()),
            labels.labels(source.tenant(), source.callingAeTitle(), header.dataset()));
    return event;
  }

  private static String trimToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
