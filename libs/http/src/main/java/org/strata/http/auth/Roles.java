package org.strata.http.auth;

import java.util.Set;

/**
 * Strata's realm roles (deploy/keycloak/strata-realm.json); docs/security.md says who gets which.
 */
public final class Roles {
  /** QIDO-RS, WADO-RS, WADO-URI, rendered, FHIR read. */
  public static final String READER = "strata-reader";

  /** STOW-RS. */
  public static final String WRITER = "strata-writer";

  /** Admin APIs: deletes, patient links, rebuilds, reconcile. */
  public static final String ADMIN = "strata-admin";

  /** The audit API (to come). */
  public static final String AUDITOR = "strata-auditor";

  /** Every Strata role: the local user holds them all; metrics and OpenAPI need any of them. */
  public static final Set<String> ALL = Set.of(READER, WRITER, ADMIN, AUDITOR);

  private Roles() {}
}
