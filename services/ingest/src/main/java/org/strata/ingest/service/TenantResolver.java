package org.strata.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.strata.dicom.net.KnownAes;
import org.strata.ids.TenantId;
import org.strata.ingest.config.IngestConfig;

/**
 * Which hospital (tenant) an association or request belongs to: by calling AE title from the
 * deployment's known-AE file ({@code deploy/known-aes.conf}, shared with the Q/R SCP and routing),
 * then from {@code strata.ingest.tenants.by-calling-ae.*}, else the default tenant if one is
 * configured (the local profile), else none, and the caller is refused. Tenants come out in their
 * canonical form ({@link TenantId}).
 */
@ApplicationScoped
public class TenantResolver {
  private final KnownAes knownAes;
  private final Optional<String> defaultTenant;
  private final Map<String, String> byCallingAe = new HashMap<>();

  public TenantResolver(IngestConfig config) {
    // Every tenant of the configuration is parsed here, once (ADR 0022): a malformed one stops
    // the service, and what is handed on is the canonical, lower-case form.
    IngestConfig.Tenants t = config.tenants();
    this.defaultTenant =
        t.defaultTenant().map(v -> tenant(v, "strata.ingest.tenants.default-tenant"));
    t.byCallingAe()
        .forEach(
            (ae, v) -> byCallingAe.put(ae, tenant(v, "strata.ingest.tenants.by-calling-ae." + ae)));
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

  /** The canonical tenant of a calling AE title, if a rule maps it. */
  public Optional<String> forCallingAe(String callingAeTitle) {
    if (callingAeTitle == null) {
      return defaultTenant;
    }
    KnownAes.KnownAe known = knownAes.find(callingAeTitle);
    if (known != null) {
      return Optional.of(known.tenant().value());
    }
    String mapped = byCallingAe.get(callingAeTitle.trim());
    return mapped != null ? Optional.of(mapped) : defaultTenant;
  }

  /** The deployment's known AEs (none without a file). */
  public KnownAes knownAes() {
    return knownAes;
  }

  /** STOW-RS clients: the default tenant until the OIDC token names the hospital. */
  public Optional<String> forHttpClient() {
    return defaultTenant;
  }

  private static String tenant(String value, String where) {
    try {
      return TenantId.parse(value).value();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }
}
