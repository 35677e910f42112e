package org.strata.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.strata.audit.chain.SigningKeys;

/**
 * A checkpoint key the audit service no longer signs with ("key 1" of a rotation): its public key
 * is configured as a previous key ({@link AuditTestProfile}), its private key is kept here for
 * tests to sign the checkpoints it signed before the rotation. Generated once into target/.
 */
final class RetiredCheckpointKey {
  static final Path FILE = Path.of("target/audit/retired-checkpoint-key.pem");

  private RetiredCheckpointKey() {}

  /** The public key file, generating the pair first if there is none yet. */
  static synchronized Path publicKeyFile() {
    try {
      if (!Files.exists(FILE)) {
        SigningKeys.write(SigningKeys.generate(), FILE);
      }
      return SigningKeys.publicKeyFile(FILE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static KeyPair pair() throws Exception {
    publicKeyFile();
    return SigningKeys.read(FILE);
  }
}
