package org.strata.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Verifies an export ({@link ExportFormat}) without the service or its database:
 *
 * <pre>
 * java -cp 'services/audit/target/quarkus-app/app/*:services/audit/target/quarkus-app/lib/main/*' \
 *   org.strata.audit.chain.OfflineVerifier export.ndjson [--public-key signing-key.pem.pub]
 * </pre>
 *
 * Trusts the given public key; without one, the keys the export names (which prove nothing against
 * someone who rewrote the export, so it says so). Prints the report; exits 0 when the chain is
 * intact, 1 when it is broken, 2 on bad arguments or an unreadable export.
 */
public final class OfflineVerifier {
  private OfflineVerifier() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean usage = args.length == 0 || args.length % 2 == 0;
    for (int i = 1; i + 1 < args.length && !usage; i += 2) {
      usage = !args[i].equals("--public-key");
    }
    if (usage) {
      err.println(
          "usage: OfflineVerifier <export.ndjson> [--public-key <public key PEM>]..."
              + " (one per checkpoint key: the current and the retired ones)");
      return 2;
    }
    try {
      List<PublicKey> trusted = new ArrayList<>();
      for (int i = 2; i < args.length; i += 2) {
        trusted.add(SigningKeys.publicKey(Files.readAllBytes(Path.of(args[i]))));
      }
      if (trusted.isEmpty()) {
        out.println("warning: no --public-key given; trusting the keys the export itself names");
      }
      VerificationReport report = verify(Path.of(args[0]), trusted);
      out.println(describe(report));
      return report.valid() ? 0 : 1;
    } catch (IOException
        | UncheckedIOException
        | GeneralSecurityException
        | IllegalArgumentException e) {
      err.println("cannot verify: " + e.getMessage());
      return 2;
    }
  }

  /** Verifies an export file, trusting {@code trusted} (or, if null, the export's own keys). */
  public static VerificationReport verify(Path export, PublicKey trusted)
      throws IOException, GeneralSecurityException {
    return verify(export, trusted == null ? List.of() : List.of(trusted));
  }

  /**
   * Verifies an export file, trusting the given keys (current and retired), or the export's own
   * keys when none is given.
   */
  public static VerificationReport verify(Path export, List<PublicKey> trusted)
      throws IOException, GeneralSecurityException {
    JsonNode header = null;
    List<Checkpoint> checkpoints = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = ExportFormat.parse(line);
        switch (n.path("kind").asText()) {
          case "export" -> header = n;
          case "checkpoint" -> checkpoints.add(ExportFormat.checkpoint(n));
          case "record" -> {}
          default -> throw new IllegalArgumentException("unknown line kind " + n.path("kind"));
        }
      }
    }
    if (header == null || !ExportFormat.FORMAT.equals(header.path("format").asText())) {
      throw new IllegalArgumentException("not a " + ExportFormat.FORMAT + " file");
    }
    Map<String, PublicKey> keys = new java.util.HashMap<>();
    if (!trusted.isEmpty()) {
      trusted.forEach(k -> keys.put(SigningKeys.keyId(k), k));
    } else {
      var names = header.path("publicKeys").fields();
      while (names.hasNext()) {
        var e = names.next();
        PublicKey k =
            SigningKeys.publicKey(e.getValue().asText().getBytes(StandardCharsets.US_ASCII));
        keys.put(SigningKeys.keyId(k), k);
      }
    }
    return new ChainVerifier(keys)
        .verify(
            header.path("anchorSeq").asLong(),
            ChainHash.unhex(header.path("anchorHash").asText()),
            () -> records(export),
            checkpoints,
            header.path("headSeq").asLong());
  }

  /** One line for people: intact with its figures, or the first break. */
  public static String describe(VerificationReport r) {
    String counts =
        r.records()
            + " records, "
            + r.checkpoints()
            + " checkpoints (last at "
            + r.lastCheckpoint()
            + ")";
    return r.valid()
        ? "VALID: " + counts
        : "BROKEN at record "
            + r.firstBreak().seq()
            + ": "
            + r.firstBreak().kind()
            + ": "
            + r.firstBreak().detail()
            + " ("
            + counts
            + " verified before it)";
  }

  private static Iterator<ChainEntry> records(Path export) {
    BufferedReader in;
    try {
      in = Files.newBufferedReader(export, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Lookahead<>() {
      @Override
      protected ChainEntry advance() {
        try {
          String line;
          while ((line = in.readLine()) != null) {
            JsonNode n = line.isBlank() ? null : ExportFormat.parse(line);
            if (n != null && n.path("kind").asText().equals("record")) {
              return ExportFormat.entry(n);
            }
          }
          in.close();
          return null;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }
}
