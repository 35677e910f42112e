package org.strata.dicom.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.strata.ids.AccessLabel;
import org.strata.ids.TenantId;

/**
 * The known DICOM application entities of the deployment: AE title, host, port and tenant, one per
 * line of a plain text file ({@code deploy/known-aes.conf}), read at start. One file for every
 * service that talks DIMSE (ingest's storage SCP, query's Q/R SCP, routing later), edited without a
 * rebuild:
 *
 * <pre>
 * # AE title   host        port   tenant
 * CT01         10.0.0.5    104    hosp-a
 * VIEWER-B     viewer.b    11112  hosp-b
 * MODALITY-X   10.0.0.9    -      hosp-a     (calls in from 10.0.0.9 only: no C-MOVE destination)
 * MODALITY-Y   -           -      hosp-a     (no registered host: refused in production)
 * </pre>
 *
 * Fields are separated by blanks; {@code #} starts a comment. AE titles are unique, 1 to 16
 * characters without backslash or control characters; the host is where the AE calls from (checked
 * in production: {@link CallingHostCheck}) and, with a port, where it listens (C-MOVE, storage
 * commitment reports); a port needs a host. The tenant follows the one rule of {@link TenantId}
 * ({@code Hosp.A} is read as {@code hosp.a}). An optional fifth field {@code cert=sha256:<hex>}
 * binds the AE to its DICOM TLS client certificate (SHA-256 of the DER, colons allowed): in
 * production such an AE is accepted only over TLS with that certificate ({@link CallingHostCheck}).
 * An optional field {@code labels=cardiology,radiology} limits what the AE may query and retrieve
 * to the studies of its tenant carrying one of these access labels ({@link AccessLabel}, ADR 0061),
 * as a department group does for a token. The optional fields come after the tenant, in any order,
 * each at most once.
 */
public final class KnownAes {
  /**
   * One known AE; {@code host} null when none is registered, {@code port} 0 when it only calls in.
   */
  public record KnownAe(
      String aeTitle,
      String host,
      int port,
      TenantId tenant,
      String certificateSha256,
      Set<String> labels) {
    /** {@code labels} empty (or null): the AE sees its tenant whole. */
    public KnownAe {
      labels = labels == null ? Set.of() : Set.copyOf(labels);
    }

    /** An AE seeing its tenant whole. */
    public KnownAe(
        String aeTitle, String host, int port, TenantId tenant, String certificateSha256) {
      this(aeTitle, host, port, tenant, certificateSha256, Set.of());
    }

    /** An AE without a registered client certificate, seeing its tenant whole. */
    public KnownAe(String aeTitle, String host, int port, TenantId tenant) {
      this(aeTitle, host, port, tenant, null);
    }

    /** Where C-MOVE sends to it, or null. */
    public InetSocketAddress address() {
      return host == null || port == 0 ? null : InetSocketAddress.createUnresolved(host, port);
    }
  }

  private static final Pattern AE_TITLE = Pattern.compile("[\\x20-\\x5B\\x5D-\\x7E]{1,16}");

  private final Map<String, KnownAe> byTitle;

  private KnownAes(Map<String, KnownAe> byTitle) {
    this.byTitle = Map.copyOf(byTitle);
  }

  public static KnownAes none() {
    return new KnownAes(Map.of());
  }

  /**
   * Reads the file.
   *
   * @throws IllegalArgumentException naming the line of a malformed entry (the service does not
   *     start with a half-read table)
   */
  public static KnownAes read(Path file) throws IOException {
    return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
  }

  public static KnownAes parse(List<String> lines, String source) {
    Map<String, KnownAe> out = new LinkedHashMap<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n);
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      String where = source + ":" + (n + 1) + ": ";
      String[] f = line.split("\\s+");
      if (f.length < 4 || f.length > 6) {
        throw new IllegalArgumentException(
            where + "expected: AE-title host port tenant [cert=sha256:<hex>] [labels=<a,b>]");
      }
      String certificate = null;
      Set<String> labels = null;
      for (int i = 4; i < f.length; i++) {
        String field = f[i].toLowerCase(Locale.ROOT);
        if (field.startsWith("cert=") && certificate == null) {
          certificate = certificate(field, where);
        } else if (field.startsWith("labels=") && labels == null) {
          labels = labels(field.substring("labels=".length()), where);
        } else {
          throw new IllegalArgumentException(
              where + "after the tenant: cert=sha256:<hex> and labels=<a,b>, each at most once");
        }
      }
      if (!AE_TITLE.matcher(f[0]).matches()) {
        throw new IllegalArgumentException(where + "invalid AE title");
      }
      TenantId tenant;
      try {
        tenant = TenantId.parse(f[3]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage());
      }
      String host = null;
      int port = 0;
      if (f[1].equals("-") && !f[2].equals("-")) {
        throw new IllegalArgumentException(where + "a port needs a host");
      }
      if (!f[1].equals("-")) {
        host =
            f[1].startsWith("[") && f[1].endsWith("]")
                ? f[1].substring(1, f[1].length() - 1)
                : f[1];
      }
      if (!f[2].equals("-")) {
        try {
          port = Integer.parseInt(f[2]);
        } catch (NumberFormatException e) {
          port = -1;
        }
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException(where + "invalid port");
        }
      }
      if (out.put(f[0], new KnownAe(f[0], host, port, tenant, certificate, labels)) != null) {
        throw new IllegalArgumentException(where + "AE title listed twice");
      }
    }
    return new KnownAes(out);
  }

  private static String certificate(String field, String where) {
    if (!field.matches("cert=sha256:[0-9a-f:]{64,95}")) {
      throw new IllegalArgumentException(
          where + "cert= is cert=sha256:<the client certificate's SHA-256, hex>");
    }
    String certificate = field.substring("cert=sha256:".length()).replace(":", "");
    if (certificate.length() != 64) {
      throw new IllegalArgumentException(where + "a SHA-256 fingerprint has 64 hex digits");
    }
    return certificate;
  }

  /** A comma-separated list of access labels, at least one; an empty item is an error. */
  private static Set<String> labels(String list, String where) {
    Set<String> labels = new LinkedHashSet<>();
    for (String label : list.split(",", -1)) {
      try {
        labels.add(AccessLabel.parse(label));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "labels=: " + e.getMessage());
      }
    }
    return labels;
  }

  /** The entry of an AE title (compared as sent, blanks trimmed), or null. */
  public KnownAe find(String aeTitle) {
    return aeTitle == null ? null : byTitle.get(aeTitle.strip());
  }

  public int size() {
    return byTitle.size();
  }

  public java.util.Set<String> titles() {
    return byTitle.keySet();
  }
}
