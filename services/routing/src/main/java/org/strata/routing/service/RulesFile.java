package org.strata.routing.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and writes the rules file (YAML). Writes are atomic: a reader never sees half a file. */
public final class RulesFile {
  /** Larger than any sane rule set; a bigger file is refused rather than read. */
  static final long MAX_BYTES = 1 << 20;

  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path path;

  public RulesFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** The document, or an empty one when the file does not exist. */
  public RulesDocument read() throws IOException {
    if (!Files.exists(path)) {
      return RulesDocument.empty();
    }
    if (Files.size(path) > MAX_BYTES) {
      throw new IOException("rules file larger than " + MAX_BYTES + " bytes");
    }
    byte[] bytes = Files.readAllBytes(path);
    RulesDocument doc = bytes.length == 0 ? null : YAML.readValue(bytes, RulesDocument.class);
    return doc == null ? RulesDocument.empty() : doc;
  }

  public void write(RulesDocument doc) throws IOException {
    Path dir = path.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".routing-rules", ".tmp");
    try {
      Files.write(
          tmp,
          ("# Strata routing rules (services/routing/README.md); written by the admin API.\n"
                  + YAML.writeValueAsString(doc))
              .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
