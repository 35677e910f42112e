package org.strata.platform;

/** The real servers the platform can start; each test or run picks the ones it needs. */
public enum Component {
  KAFKA,
  POSTGRES,
  S3,
  /** A second S3 server: the second storage tier ({@code strata.s3.tiers.cold.*}). */
  S3_COLD,
  /** Needs POSTGRES: Keycloak keeps its realm in the platform's PostgreSQL. */
  KEYCLOAK
}
