package org.strata.audit.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import org.strata.audit.chain.CheckpointStatement;
import org.strata.audit.config.CheckpointKey;
import org.strata.audit.repository.AuditTrailRepository;

/** Signs checkpoint statements with the configured Ed25519 key. */
@ApplicationScoped
public class CheckpointSigner implements AuditTrailRepository.Signer {
  private final CheckpointKey key;

  CheckpointSigner(CheckpointKey key) {
    this.key = key;
  }

  @Override
  public byte[] sign(long count, byte[] headHash, Instant at) {
    try {
      Signature s = Signature.getInstance(CheckpointStatement.ALGORITHM);
      s.initSign(key.pair().getPrivate());
      s.update(new CheckpointStatement(count, headHash, at).bytes());
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing a checkpoint failed", e);
    }
  }

  @Override
  public String keyId() {
    return key.keyId();
  }
}
