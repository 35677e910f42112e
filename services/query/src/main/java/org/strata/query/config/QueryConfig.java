package org.strata.query.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** {@code strata.query.*}: the query service's settings. */
@ConfigMapping(prefix = "strata.query")
public interface QueryConfig {
  /**
   * The tenant every query is limited to. Phase 1 has one tenant per deployment; the OIDC access
   * token will carry the caller's tenant (the security work), and this becomes the fallback for
   * unauthenticated local use only.
   */
  @WithDefault("local")
  String defaultTenant();

  /** Results per QIDO-RS response when the request has no {@code limit}. */
  @WithDefault("100")
  int defaultLimit();

  /** The largest {@code limit} accepted; above it the request is refused with 400. */
  @WithDefault("1000")
  int maxLimit();

  /**
   * Base of the RetrieveURL (0008,1190) values, e.g. {@code https://pacs.example.org/dicomweb};
   * empty: the base of the request ({@code scheme://host:port/dicomweb}).
   */
  Optional<String> retrieveBaseUrl();
}
