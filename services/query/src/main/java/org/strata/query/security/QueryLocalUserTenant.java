package org.strata.query.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.strata.query.config.QueryConfig;
import org.strata.servicekit.security.LocalUserTenant;

/** The local user reads in {@code strata.query.default-tenant}. */
@ApplicationScoped
public class QueryLocalUserTenant implements LocalUserTenant {
  private final QueryConfig config;

  QueryLocalUserTenant(QueryConfig config) {
    this.config = config;
  }

  @Override
  public String tenant() {
    return config.defaultTenant().value();
  }
}
