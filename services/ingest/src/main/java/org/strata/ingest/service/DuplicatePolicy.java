package org.strata.ingest.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;
import org.strata.ingest.config.IngestConfig;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageException;

/**
 * What happens to an object whose SOP Instance UID is already stored (the conditional PUT found its
 * key taken): it is received beside the stored one and compared by SHA-256. The same content is a
 * duplicate, acknowledged without a second event; different content is refused (0x0111, {@code
 * duplicate-policy=REJECT}) or kept as the instance's next version ({@code KEEP_NEW_VERSION}).
 */
@ApplicationScoped
public class DuplicatePolicy {

  /** The decision about a known SOP Instance UID. */
  sealed interface Decision {}

  /** Nothing more to do: the answer (a duplicate acknowledged, or the new content refused). */
  record Answered(StoreResult result) implements Decision {}

  /** The content is now stored as {@code version} under {@code key}; its event is still due. */
  record NewVersion(String key, int version, long size, String digest) implements Decision {}

  private final ObjectStore store;
  private final IngestConfig config;
  private final MeterRegistry metrics;

  public DuplicatePolicy(ObjectStore store, IngestConfig config, MeterRegistry metrics) {
    this.store = store;
    this.config = config;
    this.metrics = metrics;
  }

  /**
   * Receives the rest of the object ({@code unsent}) beside the stored one at {@code key} and
   * decides.
   *
   * @param digest the SHA-256 of the whole object, known once {@code unsent} is read to its end
   */
  Decision receive(
      ParsedHeader header,
      String tenant,
      String key,
      String eventId,
      InputStream unsent,
      Map<String, String> userMetadata,
      Supplier<String> digest)
      throws IOException, StorageException {
    String incoming = key + ".incoming-" + eventId;
    long size = store.put(incoming, unsent, "application/dicom", userMetadata);
    String received = digest.get();
    if (received.equals(digestOf(key))) {
      store.delete(incoming);
      metrics.counter("strata.ingest.duplicates", "tenant", tenant, "same", "true").increment();
      return new Answered(StoreResult.stored(header, true, null));
    }
    metrics.counter("strata.ingest.duplicates", "tenant", tenant, "same", "false").increment();
    if (config.duplicatePolicy() == IngestConfig.DuplicatePolicy.REJECT) {
      store.delete(incoming);
      return new Answered(
          StoreResult.failed(
              header,
              FailureReason.DUPLICATE_SOP_INSTANCE,
              "SOP Instance UID already stored with different content"));
    }
    int version = nextVersion(header, tenant);
    String versionKey =
        ObjectKeys.instance(
            tenant,
            header.studyInstanceUid(),
            header.seriesInstanceUid(),
            header.sopInstanceUid(),
            version);
    store.copy(incoming, versionKey);
    store.delete(incoming);
    return new NewVersion(versionKey, version, size, received);
  }

  /** SHA-256 of a stored object, read back (only for duplicates, which are rare). */
  private String digestOf(String key) throws StorageException {
    MessageDigest digest = Sha256.newDigest();
    try (InputStream in = store.get(key)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new StorageException("reading the stored object failed: " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private int nextVersion(ParsedHeader h, String tenant) throws StorageException {
    int version = 2;
    while (store
        .stat(
            ObjectKeys.instance(
                tenant, h.studyInstanceUid(), h.seriesInstanceUid(), h.sopInstanceUid(), version))
        .isPresent()) {
      version++;
    }
    return version;
  }
}
