package org.strata.routing.service;

/**
 * A change of the rules through the admin API while the rules file is the deployment's ({@code
 * strata.routing.rules-read-only}, ADR 0039): the change belongs in the deployment's ConfigMap.
 */
public final class RulesReadOnlyException extends IllegalStateException {
  public RulesReadOnlyException() {
    super(
        "the routing rules are read-only here (strata.routing.rules-read-only): change them where"
            + " the deployment keeps them (the Helm chart's routing.rules)");
  }
}
