package org.strata.servicekit.security;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.strata.http.auth.CallerIdentity;

/** The local user's tenant where a service configures none: {@code local}. */
@DefaultBean
@ApplicationScoped
public class DefaultLocalUserTenant implements LocalUserTenant {
  @Override
  public String tenant() {
    return CallerIdentity.LOCAL_TENANT;
  }
}
