package org.strata.audit.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PKCS#8 key read back (PEM file or base64) gives the same pair, public key derived. */
class SigningKeysTest {
  @TempDir Path dir;

  @Test
  void aWrittenKeyReadsBackWithItsPublicKey() throws Exception {
    KeyPair pair = SigningKeys.generate();
    Path file = dir.resolve("key.pem");
    SigningKeys.write(pair, file);
    KeyPair read = SigningKeys.read(file);
    assertArrayEquals(pair.getPublic().getEncoded(), read.getPublic().getEncoded());
    assertEquals(
        SigningKeys.keyId(pair.getPublic()),
        SigningKeys.keyId(
            SigningKeys.publicKey(Files.readAllBytes(SigningKeys.publicKeyFile(file)))));
    KeyPair fromBase64 =
        SigningKeys.fromPkcs8(
            Base64.getDecoder().decode(Base64.getEncoder().encode(pair.getPrivate().getEncoded())));
    assertArrayEquals(pair.getPublic().getEncoded(), fromBase64.getPublic().getEncoded());
  }

  @Test
  void canonicalFormSortsKeysAtEveryLevel() {
    byte[] canonical =
        CanonicalForm.ofJson(
            "{\"b\":1,\"a\":{\"z\":[3,1],\"y\":\"\u00e9\"}}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(
        "{\"a\":{\"y\":\"\u00e9\",\"z\":[3,1]},\"b\":1}",
        new String(canonical, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(true, CanonicalForm.isCanonical(canonical));
  }
}
