package org.strata.audit.chain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;

/**
 * What a checkpoint signs (ADR 0033): the UTF-8 text {@code
 * strata-audit-checkpoint/1\ncount=<n>\nhead=<hex>\nat=<ISO-8601 instant>}. Count is the number of
 * records in the chain (the seq of its head), head the head's chain hash.
 */
public record CheckpointStatement(long count, byte[] headHash, Instant signedAt) {

  /** The JDK's name of the signature algorithm (EdDSA with an Ed25519 key). */
  public static final String ALGORITHM = "Ed25519";

  /** The bytes signed. */
  public byte[] bytes() {
    return ("strata-audit-checkpoint/1\ncount="
            + count
            + "\nhead="
            + ChainHash.hex(headHash)
            + "\nat="
            + signedAt)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code signature} is this statement's signature by {@code key}. */
  public boolean verify(PublicKey key, byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(bytes());
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
