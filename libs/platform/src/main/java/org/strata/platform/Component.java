package org.strata.platform;

/** The real servers the platform can start; each test or run picks the ones it needs. */
public enum Component {
  KAFKA,
  POSTGRES,
  S3,
  /** Needs POSTGRES: Keycloak keeps its realm in the platform's PostgreSQL. */
  KEYCLOAK
}
