package org.strata.audit.chain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys of the checkpoints, with the JDK's own EdDSA: the private key as PKCS#8 (PEM or DER
 * file, or base64 of the DER), the public key as X.509 SubjectPublicKeyInfo (PEM).
 */
public final class SigningKeys {
  private static final String PRIVATE_PEM = "PRIVATE KEY";
  private static final String PUBLIC_PEM = "PUBLIC KEY";

  private SigningKeys() {}

  /** A new key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has Ed25519 since 15", e);
    }
  }

  /** The pair of a PKCS#8 private key: the public key is derived from it. */
  public static KeyPair fromPkcs8(byte[] der) throws GeneralSecurityException {
    PrivateKey key =
        KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
    byte[] seed =
        ((EdECPrivateKey) key)
            .getBytes()
            .orElseThrow(() -> new GeneralSecurityException("the key hides its bytes"));
    // The JDK has no call from private to public key; its generator draws the 32-byte private key
    // from the random source, so a source that returns the seed re-derives the same pair.
    KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
    generator.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
    KeyPair pair = generator.generateKeyPair();
    return new KeyPair(pair.getPublic(), key);
  }

  /** Reads a PKCS#8 private key file, PEM ({@code BEGIN PRIVATE KEY}) or DER. */
  public static KeyPair read(Path file) throws IOException, GeneralSecurityException {
    return fromPkcs8(unpem(Files.readAllBytes(file), PRIVATE_PEM));
  }

  /**
   * Writes the pair: the private key (PEM, owner-only where the file system allows) and {@code
   * <file>.pub}.
   */
  public static void write(KeyPair pair, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, pem(PRIVATE_PEM, pair.getPrivate().getEncoded()));
    try {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's permissions protect it
    }
    Files.writeString(publicKeyFile(file), publicPem(pair.getPublic()));
  }

  /** Where {@link #write} puts the public key. */
  public static Path publicKeyFile(Path privateKeyFile) {
    return privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub");
  }

  /** A public key from PEM ({@code BEGIN PUBLIC KEY}), DER or base64 of the DER. */
  public static PublicKey publicKey(byte[] encoded) throws GeneralSecurityException {
    return KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(unpem(encoded, PUBLIC_PEM)));
  }

  public static String publicPem(PublicKey key) {
    return pem(PUBLIC_PEM, key.getEncoded());
  }

  /**
   * The key id checkpoints name: the first 16 hex digits of SHA-256 of the public key's X.509 form.
   */
  public static String keyId(PublicKey key) {
    return ChainHash.hex(ChainHash.digest(key.getEncoded())).substring(0, 16);
  }

  /** Base64 (of DER) or PEM text to DER; DER stays as it is. */
  static byte[] unpem(byte[] bytes, String label) {
    String text = new String(bytes, StandardCharsets.US_ASCII).trim();
    String begin = "-----BEGIN " + label + "-----";
    if (text.startsWith(begin)) {
      int end = text.indexOf("-----END " + label + "-----");
      if (end < 0) {
        throw new IllegalArgumentException("PEM without its END line");
      }
      return Base64.getMimeDecoder().decode(text.substring(begin.length(), end));
    }
    if (bytes.length > 0 && bytes[0] == 0x30) {
      return bytes; // DER: a SEQUENCE
    }
    return Base64.getMimeDecoder().decode(text);
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  /** A "random" source that returns given bytes: only for re-deriving a key pair from its seed. */
  private static final class FixedBytes extends SecureRandom {
    private final byte[] bytes;

    FixedBytes(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    @Override
    public void nextBytes(byte[] out) {
      if (out.length != bytes.length) {
        throw new IllegalStateException("expected a request for " + bytes.length + " bytes");
      }
      System.arraycopy(bytes, 0, out, 0, out.length);
    }
  }
}
