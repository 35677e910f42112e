package org.strata.dicom.deid;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replacement UIDs for action U: {@code 2.25.} + the decimal of the first 128 bits of
 * HMAC-SHA256(key, uid). The same key maps a UID to the same new UID every time (a study's
 * instances stay one study, two exports to one destination agree), a different key to an unrelated
 * one, and without the key the original cannot be found by trying candidate UIDs.
 */
public final class UidHasher {
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public UidHasher(byte[] key) {
    if (key == null || key.length < 16) {
      throw new IllegalArgumentException("a de-identification key needs at least 16 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
  }

  /** The replacement of {@code uid} (its padding and surrounding spaces ignored). */
  public String replace(String uid) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] h = mac.doFinal(uid.strip().getBytes(StandardCharsets.US_ASCII));
      return "2.25." + new BigInteger(1, Arrays.copyOf(h, 16));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 not available", e);
    }
  }
}
