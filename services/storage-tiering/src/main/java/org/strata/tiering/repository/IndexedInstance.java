package org.strata.tiering.repository;

/** An instance as the index has it: identity, object version and where its objects are. */
public record IndexedInstance(
    String tenant,
    String studyUid,
    String seriesUid,
    String sopInstanceUid,
    int version,
    String bucket,
    String objectKey,
    String sidecarKey,
    String frameIndexKey,
    long size,
    String sha256,
    String sopClassUid) {}
