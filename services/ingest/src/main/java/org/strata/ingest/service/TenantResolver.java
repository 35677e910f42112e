package org.strata.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.strata.dicom.net.KnownAes;
import org.strata.ingest.config.IngestConfig;

/**
 * Which hospital (tenant) an association or request belongs to: by calling AE title from the
 * deployment's known-AE file ({@code deploy/known-aes.conf}, shared with the Q/R SCP and routing),
 * then from {@code strata.ingest.tenants.by-calling-ae.*}, else the default tenant if one is
 * configured (the local profile), else none, and the caller is refused.
 */
@ApplicationScoped
public class TenantResolver {
  private final IngestConfig config;
  private final KnownAes knownAes;

  public TenantResolver(IngestConfig config) {
    this.config = config;
    try {
      // Read once at start: a malformed file stops the service rather than mis-assign tenants.
      this.knownAes =
          config.tenants().knownAesFile().isPresent()
                  && !config.tenants().knownAesFile().get().isBlank()
              ? KnownAes.read(Path.of(config.tenants().knownAesFile().get()))
              : KnownAes.none();
    } catch (IOException e) {
      throw new UncheckedIOException("known-AE file unreadable", e);
    }
  }

  public Optional<String> forCallingAe(String callingAeTitle) {
    if (callingAeTitle == null) {
      return config.tenants().defaultTenant();
    }
    KnownAes.KnownAe known = knownAes.find(callingAeTitle);
    if (known != null) {
      return Optional.of(known.tenant());
    }
    String mapped = config.tenants().byCallingAe().get(callingAeTitle.trim());
    return mapped != null ? Optional.of(mapped) : config.tenants().defaultTenant();
  }

  /** STOW-RS clients: the default tenant until the OIDC token names the hospital. */
  public Optional<String> forHttpClient() {
    return config.tenants().defaultTenant();
  }
}
