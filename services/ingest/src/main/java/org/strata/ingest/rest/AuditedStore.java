package org.strata.ingest.rest;

import jakarta.enterprise.context.RequestScoped;
import java.util.ArrayList;
import java.util.List;
import org.strata.ingest.service.StoreResult;

/** What the current STOW-RS request stored, and into which tenant, for {@link StowAuditFilter}. */
@RequestScoped
public class AuditedStore {
  private final List<StoreResult> results = new ArrayList<>();
  private String tenant;
  private boolean scopeRefused;

  void stored(String tenant, List<StoreResult> results) {
    this.tenant = tenant;
    this.results.addAll(results);
  }

  /** The request named a tenant the caller's token does not hold (answered 403). */
  void scopeRefused() {
    scopeRefused = true;
  }

  boolean wasScopeRefused() {
    return scopeRefused;
  }

  List<StoreResult> results() {
    return results;
  }

  String tenant() {
    return tenant;
  }
}
