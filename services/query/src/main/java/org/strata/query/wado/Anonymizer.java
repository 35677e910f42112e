package org.strata.query.wado;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.strata.dicom.deid.Deidentifier;
import org.strata.dicom.deid.DeidentifyingCopy;
import org.strata.query.config.QueryConfig;

/**
 * WADO-URI's {@code anonymize=yes} (PS3.18 9.1.2.x): the object de-identified with the PS3.15 Basic
 * Application Level Confidentiality Profile (no options), UIDs replaced by a keyed hash with the
 * tenant's key, derived from {@code strata.query.deidentification-key} (ADR 0050).
 */
@ApplicationScoped
public class Anonymizer {
  private final byte[] secret;

  Anonymizer(QueryConfig config) {
    byte[] s =
        config
            .deidentificationKey()
            .map(k -> k.strip().getBytes(StandardCharsets.UTF_8))
            .orElse(null);
    this.secret = s == null || s.length < 16 ? null : s;
  }

  /** The tenant's de-identifier; 406 when no key is configured (anonymizing is then refused). */
  public Deidentifier forTenant(String tenant) {
    if (secret == null) {
      throw WadoException.notAcceptable(
          "anonymize is not configured here (strata.query.deidentification-key)");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] key = mac.doFinal(("wado-uri-anonymize:" + tenant).getBytes(StandardCharsets.UTF_8));
      return new Deidentifier(Set.of(), key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 not available", e);
    }
  }

  /**
   * Writes the object that {@code source} writes, de-identified, to {@code out}: through a
   * temporary file, so that memory does not grow with the object (pixel data are streamed).
   */
  public static void write(Source source, Deidentifier deid, OutputStream out) throws IOException {
    Path copy = Files.createTempFile("strata-anonymize-", ".dcm");
    try {
      try (OutputStream tmp = Files.newOutputStream(copy)) {
        source.writeTo(tmp);
      }
      try (InputStream in = Files.newInputStream(copy)) {
        DeidentifyingCopy.copy(in, out, deid);
      }
    } finally {
      Files.deleteIfExists(copy);
    }
  }

  /** Writes the Part 10 object to be de-identified. */
  @FunctionalInterface
  public interface Source {
    void writeTo(OutputStream out) throws IOException;
  }
}
