package org.strata.query.wado;

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
    String storedEventId) {}
