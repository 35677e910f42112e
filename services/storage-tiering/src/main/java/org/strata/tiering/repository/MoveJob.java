package org.strata.tiering.repository;

import java.time.Instant;
import java.util.UUID;
import org.strata.tiering.service.MoveState;

/** One row of {@code tiering.move_job}: the move of one instance's objects to another tier. */
public record MoveJob(
    UUID id,
    UUID requestId,
    String tenant,
    String studyUid,
    String seriesUid,
    String sopInstanceUid,
    int version,
    String fromTier,
    String fromBucket,
    String toTier,
    String toBucket,
    String objectKey,
    String sidecarKey,
    String frameIndexKey,
    long size,
    String sha256,
    MoveState state,
    String reason,
    int attempts,
    Instant switchedAt) {}
