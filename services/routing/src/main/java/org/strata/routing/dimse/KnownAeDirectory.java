package org.strata.routing.dimse;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.strata.dicom.net.KnownAes;
import org.strata.routing.config.RoutingConfig;

/**
 * The known-AE file shared with the Q/R SCP ({@link KnownAes}): where a DIMSE destination listens.
 * Re-read when the file changes, so a new PACS needs no restart of routing.
 */
@ApplicationScoped
public class KnownAeDirectory {
  private final Path file;
  private KnownAes aes = KnownAes.none();
  private long stamp = Long.MIN_VALUE;

  KnownAeDirectory(RoutingConfig config) {
    this.file = config.knownAesFile().filter(s -> !s.isBlank()).map(Path::of).orElse(null);
  }

  /** The entry of this AE title, or null (no file, not listed, or no address). */
  public synchronized KnownAes.KnownAe find(String aeTitle) throws IOException {
    if (file == null) {
      return null;
    }
    long modified = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : -1;
    if (modified != stamp) {
      aes = modified < 0 ? KnownAes.none() : KnownAes.read(file);
      stamp = modified;
    }
    KnownAes.KnownAe ae = aes.find(aeTitle);
    return ae == null || ae.host() == null ? null : ae;
  }
}
