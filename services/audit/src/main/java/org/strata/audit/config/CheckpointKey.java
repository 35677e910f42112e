package org.strata.audit.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Base64;
import org.jboss.logging.Logger;
import org.strata.audit.chain.SigningKeys;

/**
 * The checkpoint signing key from configuration: {@code strata.audit.signing.key-base64}, else
 * {@code key-file} (generated there first if {@code generate-if-missing}). Without a key the
 * service does not start: an unsigned chain would prove nothing.
 */
@ApplicationScoped
public class CheckpointKey {
  private static final Logger LOG = Logger.getLogger(CheckpointKey.class);
  private final KeyPair pair;
  private final String keyId;

  CheckpointKey(AuditConfig config) {
    this.pair = load(config.signing());
    this.keyId = SigningKeys.keyId(pair.getPublic());
  }

  public KeyPair pair() {
    return pair;
  }

  /** The id checkpoints name ({@link SigningKeys#keyId}). */
  public String keyId() {
    return keyId;
  }

  private static KeyPair load(AuditConfig.Signing signing) {
    try {
      if (signing.keyBase64().isPresent()) {
        return SigningKeys.fromPkcs8(Base64.getMimeDecoder().decode(signing.keyBase64().get()));
      }
      if (signing.keyFile().isEmpty()) {
        throw new IllegalStateException(
            "no checkpoint signing key: set strata.audit.signing.key-file or key-base64");
      }
      Path file = Path.of(signing.keyFile().get());
      if (!Files.exists(file) && signing.generateIfMissing()) {
        KeyPair generated = SigningKeys.generate();
        SigningKeys.write(generated, file);
        LOG.infof(
            "generated a checkpoint signing key in %s (public key: %s)",
            file, SigningKeys.publicKeyFile(file));
        return generated;
      }
      return SigningKeys.read(file);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot read the checkpoint signing key: " + e.getMessage(), e);
    }
  }
}
