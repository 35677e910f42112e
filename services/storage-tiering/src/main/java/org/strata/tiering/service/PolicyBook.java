package org.strata.tiering.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.strata.http.auth.CallerIdentity;
import org.strata.storage.TieredStorage;
import org.strata.tiering.config.TieringConfig;

/**
 * The lifecycle policies in force, as data (ADR 0054): read from the policies file at start,
 * changed through the admin API, which rewrites the file. A change makes a new version of the
 * policy and keeps the one it replaces in the file's history; the file's revision counts the
 * writes. Changes are serialised here, the file being the one source.
 */
@ApplicationScoped
public class PolicyBook {
  private final Optional<Path> file;
  private final boolean readOnly;
  private final TieredStorage storage;
  private final TieringAudit audit;
  private volatile PolicyFile.Document document;

  public PolicyBook(TieringConfig config, TieredStorage storage, TieringAudit audit) {
    this.file = config.policies().file().filter(f -> !f.isBlank()).map(Path::of);
    this.readOnly = config.policies().readOnly();
    this.storage = storage;
    this.audit = audit;
    this.document =
        file.map(f -> PolicyFile.readDocument(f, storage.tiers()))
            .orElse(PolicyFile.Document.empty());
  }

  public PolicyFile.Document document() {
    return document;
  }

  public List<LifecyclePolicy> policies() {
    return document.policies();
  }

  /** The policy in force of this tenant (null: a policy of every tenant) and name. */
  public Optional<LifecyclePolicy> get(String tenant, String name) {
    return document.policies().stream().filter(p -> p.sameIdentity(tenant, name)).findFirst();
  }

  /** The versions a policy had before the one in force, oldest first. */
  public List<PolicyFile.Superseded> history(String tenant, String name) {
    return document.history().stream().filter(s -> s.policy().sameIdentity(tenant, name)).toList();
  }

  /**
   * Adds the policy (version 1) or changes it (one version more, the old one kept). Writing the
   * same policy again changes nothing. Returns the policy in force.
   */
  public synchronized LifecyclePolicy put(LifecyclePolicy wanted, CallerIdentity by)
      throws PoliciesReadOnlyException, IOException {
    Optional<LifecyclePolicy> now = get(wanted.tenant(), wanted.name());
    if (now.isPresent() && now.get().equals(wanted.withVersion(now.get().version()))) {
      return now.get();
    }
    checkWritable();
    if (storage.tiers().named(wanted.toTier()).isEmpty()) {
      throw new IllegalArgumentException("toTier is not a configured tier");
    }
    LifecyclePolicy next = wanted.withVersion(now.map(p -> p.version() + 1).orElse(1));
    List<LifecyclePolicy> policies = new ArrayList<>();
    for (LifecyclePolicy p : document.policies()) {
      policies.add(p.sameIdentity(next.tenant(), next.name()) ? next : p);
    }
    if (now.isEmpty()) {
      policies.add(next);
    }
    List<PolicyFile.Superseded> history = new ArrayList<>(document.history());
    now.ifPresent(p -> history.add(new PolicyFile.Superseded(p, Instant.now(), by.subject())));
    PolicyFile.Document changed =
        new PolicyFile.Document(document.revision() + 1, List.copyOf(policies), history);
    // Recorded before it takes effect: a full audit spool refuses the change (ADR 0035).
    audit.policyChanged(by, next);
    PolicyFile.write(file.orElseThrow(), changed);
    document = changed;
    return next;
  }

  /** Enables or disables a policy: a change like any other (a new version). */
  public Optional<LifecyclePolicy> setEnabled(
      String tenant, String name, boolean on, CallerIdentity by)
      throws PoliciesReadOnlyException, IOException {
    Optional<LifecyclePolicy> now = get(tenant, name);
    if (now.isEmpty()) {
      return now;
    }
    return Optional.of(put(now.get().withEnabled(on), by));
  }

  private void checkWritable() throws PoliciesReadOnlyException {
    if (readOnly) {
      throw new PoliciesReadOnlyException(
          "the policies are the deployment's (read-only): change them in the chart's values");
    }
    if (file.isEmpty()) {
      throw new PoliciesReadOnlyException(
          "no policies file is configured (strata.tiering.policies.file)");
    }
  }
}
