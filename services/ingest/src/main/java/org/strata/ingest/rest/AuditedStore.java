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

  void stored(String tenant, List<StoreResult> results) {
    this.tenant = tenant;
    this.results.addAll(results);
  }

  List<StoreResult> results() {
    return results;
  }

  String tenant() {
    return tenant;
  }
}
