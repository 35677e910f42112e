package org.strata.audit.chain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain's two rules (ADR 0033): a record's digest is SHA-256 of its canonical form, and
 * its chain hash is SHA-256 of the previous record's chain hash followed by its digest. The first
 * record's predecessor is {@link #GENESIS} (32 zero bytes).
 *
 * <p>Chaining digests rather than the records themselves lets an export leave out the records of
 * tenants the reader may not see (their digest and hash stay) and still be verified end to end.
 */
public final class ChainHash {
  /** The predecessor of the first record. */
  public static final byte[] GENESIS = new byte[32];

  private ChainHash() {}

  /** SHA-256 of a record's canonical form. */
  public static byte[] digest(byte[] canonical) {
    return sha256().digest(canonical);
  }

  /** SHA-256(previous chain hash || digest). */
  public static byte[] link(byte[] previous, byte[] digest) {
    MessageDigest sha = sha256();
    sha.update(previous);
    sha.update(digest);
    return sha.digest();
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  public static byte[] unhex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
