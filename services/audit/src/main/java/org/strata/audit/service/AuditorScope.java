package org.strata.audit.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.stream.Collectors;
import org.strata.audit.config.AuditConfig;
import org.strata.http.auth.CallerIdentity;
import org.strata.ids.TenantId;

/**
 * The tenants whose records a caller may read (docs/audit.md, "Who sees what"): the tenants of its
 * identity ({@link CallerIdentity#tenants()}: the token's tenant groups, {@code local} for the
 * local user); a caller without any acts for {@code strata.audit.default-tenant}, as every other
 * service does until tenants come from the token. Never every tenant by default.
 */
@ApplicationScoped
public class AuditorScope {
  private final String defaultTenant;

  AuditorScope(AuditConfig config) {
    this.defaultTenant = TenantId.parse(config.defaultTenant()).value();
  }

  /** The canonical tenant ids the caller may read. */
  public Set<String> visibleTenants(CallerIdentity caller) {
    if (caller.tenants().isEmpty()) {
      return Set.of(defaultTenant);
    }
    return caller.tenants().stream()
        .filter(TenantId::isValid)
        .map(t -> TenantId.parse(t).value())
        .collect(Collectors.toUnmodifiableSet());
  }
}
