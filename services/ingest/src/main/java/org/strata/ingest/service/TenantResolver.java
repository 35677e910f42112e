package org.strata.ingest.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.strata.dicom.net.KnownAes;
import org.strata.http.auth.CallerIdentity;
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

  /** The default tenant (the local profile's): where the local user's STOW-RS requests go. */
  public Optional<String> forHttpClient() {
    return defaultTenant;
  }

  /**
   * The tenant a STOW-RS request stores into (ADR 0026), or why it may not store.
   *
   * @param tenant the tenant, or null when refused
   * @param status 0, or the HTTP status of the refusal (400, 403)
   * @param reason the refusal's reason, naming no PHI
   */
  public record StowTenant(String tenant, int status, String reason) {
    static StowTenant of(String tenant) {
      return new StowTenant(tenant, 0, null);
    }

    static StowTenant refused(int status, String reason) {
      return new StowTenant(null, status, reason);
    }
  }

  /**
   * The tenant of a STOW-RS request: the one the path names ({@code /dicomweb/tenants/{tenant}/
   * studies}) if the caller holds it, else the token's only tenant. A token of several tenants must
   * name one (400), a tenant the token does not hold is refused with 403 (whether it exists or not,
   * so nothing leaks), a token without a tenant too. The local user (local mode, a developer's
   * machine) stores into the default tenant, or into any tenant its path names.
   *
   * @param pathTenant the tenant segment of the path as sent, or null
   */
  public StowTenant forStow(CallerIdentity caller, boolean localUser, String pathTenant) {
    String named = null;
    if (pathTenant != null) {
      if (!TenantId.isValid(pathTenant)) {
        return StowTenant.refused(
            400, "the tenant in the path is not a tenant id: " + TenantId.RULE);
      }
      named = TenantId.parse(pathTenant).value();
    }
    if (localUser) {
      if (named != null) {
        return StowTenant.of(named);
      }
      return defaultTenant
          .map(StowTenant::of)
          .orElse(StowTenant.refused(403, "no tenant is configured for this client"));
    }
    if (named != null) {
      return caller.tenants().contains(named)
          ? StowTenant.of(named)
          : StowTenant.refused(403, "the token does not hold tenant " + named);
    }
    return switch (caller.tenants().size()) {
      case 0 -> StowTenant.refused(403, "the token holds no tenant (no /tenants/... group)");
      case 1 -> StowTenant.of(caller.tenants().iterator().next());
      default ->
          StowTenant.refused(
              400,
              "the token holds several tenants; name one: POST /dicomweb/tenants/{tenant}/studies");
    };
  }

  private static String tenant(String value, String where) {
    try {
      return TenantId.parse(value).value();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }
}
