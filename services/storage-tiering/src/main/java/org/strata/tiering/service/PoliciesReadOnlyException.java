package org.strata.tiering.service;

/**
 * The policies are the deployment's (Kubernetes: a read-only ConfigMap from the chart's values):
 * the admin API does not change them (ADR 0054, as routing's rules in ADR 0039).
 */
public class PoliciesReadOnlyException extends Exception {
  public PoliciesReadOnlyException(String reason) {
    super(reason);
  }
}
