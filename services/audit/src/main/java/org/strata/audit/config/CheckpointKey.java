package org.strata.audit.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.strata.audit.chain.SigningKeys;

/**
 * The checkpoint signing key from configuration: {@code strata.audit.signing.key-base64}, else
 * {@code key-file} (generated there first if {@code generate-if-missing}). Without a key the
 * service does not start: an unsigned chain would prove nothing. After a rotation the retired keys'
 * public keys ({@code previous-public-keys}) stay trusted for verification only: each checkpoint
 * names its key by id, so old checkpoints verify with the key that signed them.
 */
@ApplicationScoped
public class CheckpointKey {
  private static final Logger LOG = Logger.getLogger(CheckpointKey.class);
  private final KeyPair pair;
  private final String keyId;
  private final Map<String, PublicKey> trusted;

  CheckpointKey(AuditConfig config) {
    this.pair = load(config.signing());
    this.keyId = SigningKeys.keyId(pair.getPublic());
    Map<String, PublicKey> keys = new LinkedHashMap<>();
    keys.put(keyId, pair.getPublic());
    for (String file : config.signing().previousPublicKeys().orElse(List.of())) {
      PublicKey previous = readPublic(Path.of(file.trim()));
      keys.putIfAbsent(SigningKeys.keyId(previous), previous);
    }
    this.trusted = Map.copyOf(keys);
  }

  /** The keys checkpoints are verified with, by key id: the current one and the retired ones. */
  public Map<String, PublicKey> trustedKeys() {
    return trusted;
  }

  private static PublicKey readPublic(Path file) {
    try {
      return SigningKeys.publicKey(Files.readAllBytes(file));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot read the previous checkpoint public key " + file + ": " + e.getMessage(), e);
    }
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
