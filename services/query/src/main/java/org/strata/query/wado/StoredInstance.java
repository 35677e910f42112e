package org.strata.query.wado;

import java.util.regex.Pattern;

/**
 * One indexed instance of the caller's tenant and where its object is: a row of {@code instance}
 * joined with its series, study and {@code object_location}.
 *
 * @param sidecarKey key of the metadata sidecar (DICOM JSON) the ingest writes asynchronously; the
 *     object may not exist yet
 * @param frameIndexKey key of the serialized {@code FrameIndex}, same caveat
 * @param storedEventId the {@code InstanceStored} event the row comes from: changes whenever the
 *     instance is stored anew, also under the same object key (deleted, then stored again), so it
 *     tells cached derivatives of an earlier object apart
 */
public record StoredInstance(
    String studyUid,
    String seriesUid,
    String sopInstanceUid,
    String transferSyntaxUid,
    String bucket,
    String objectKey,
    long size,
    String sidecarKey,
    String frameIndexKey,
    String storedEventId) {

  private static final Pattern VERSIONED = Pattern.compile("\\.v[0-9]+\\.dcm$");

  /**
   * Whether derivatives of this instance (sidecar, frame index) may be cached: only for version 1.
   * The sidecar and frame index keys carry no version ({@code ObjectKeys}), so for a later version
   * they may still hold the previous version's until ingest's derivatives rewrite them; that moment
   * must not be kept.
   */
  public boolean cacheableDerivatives() {
    return objectKey != null && !VERSIONED.matcher(objectKey).find();
  }
}
