package org.strata.audit.chain;

import java.time.Instant;

/** A signed checkpoint as stored: the statement's fields, the signing key's id, the signature. */
public record Checkpoint(
    long count, byte[] headHash, Instant signedAt, String keyId, byte[] signature) {

  public CheckpointStatement statement() {
    return new CheckpointStatement(count, headHash, signedAt);
  }
}
