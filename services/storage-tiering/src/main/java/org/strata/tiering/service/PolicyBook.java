package org.strata.tiering.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.strata.http.auth.CallerIdentity;
import org.strata.servicekit.config.WatchedFile;
import org.strata.storage.TieredStorage;
import org.strata.tiering.config.TieringConfig;

/**
 * The lifecycle policies in force, as data (ADR 0054): read from the policies file at start,
 * changed through the admin API, which rewrites the file. A change makes a new version of the
 * policy and keeps the one it replaces in the file's history; the file's revision counts the
 * writes. A hand edit of the file is taken within {@code strata.tiering.policies.reload-interval};
 * one that does not validate (policies or retention rules) is refused as a whole and the policies
 * in force stay ({@link #fileError()}; ADR 0064). Changes are serialised, the file being the one
 * source.
 */
@ApplicationScoped
public class PolicyBook {
  private final Optional<Path> file;
  private final boolean readOnly;
  private final TieredStorage storage;
  private final TieringAudit audit;
  private final Optional<WatchedFile<PolicyFile.Document>> watched;
  private final java.time.Duration reloadInterval;

  public PolicyBook(TieringConfig config, TieredStorage storage, TieringAudit audit) {
    this.file = config.policies().file().filter(f -> !f.isBlank()).map(Path::of);
    this.readOnly = config.policies().readOnly();
    this.reloadInterval = config.policies().reloadInterval();
    this.storage = storage;
    this.audit = audit;
    // A file that does not validate stops the start, with the policy and field named.
    try {
      this.watched =
          file.isEmpty()
              ? Optional.empty()
              : Optional.of(
                  WatchedFile.load(
                      file.get(),
                      "lifecycle policies",
                      f -> {
                        PolicyFile.readRetention(f); // a broken retention rule refuses it too
                        return PolicyFile.readDocument(f, storage.tiers());
                      }));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  void start(@Observes StartupEvent event) {
    watched.ifPresent(w -> w.checkEvery(reloadInterval));
  }

  void stop(@Observes ShutdownEvent event) {
    watched.ifPresent(WatchedFile::close);
  }

  public PolicyFile.Document document() {
    return watched.map(WatchedFile::current).orElse(PolicyFile.Document.empty());
  }

  /** Why the last hand edit of the file was not taken (the policies in force stay), or null. */
  public String fileError() {
    return watched.map(WatchedFile::lastError).orElse(null);
  }

  public List<LifecyclePolicy> policies() {
    return document().policies();
  }

  /** The policy in force of this tenant (null: a policy of every tenant) and name. */
  public Optional<LifecyclePolicy> get(String tenant, String name) {
    return policies().stream().filter(p -> p.sameIdentity(tenant, name)).findFirst();
  }

  /** The versions a policy had before the one in force, oldest first. */
  public List<PolicyFile.Superseded> history(String tenant, String name) {
    return document().history().stream()
        .filter(s -> s.policy().sameIdentity(tenant, name))
        .toList();
  }

  /**
   * Adds the policy (version 1) or changes it (one version more, the old one kept). Writing the
   * same policy again changes nothing. Returns the policy in force.
   */
  public LifecyclePolicy put(LifecyclePolicy wanted, CallerIdentity by)
      throws PoliciesReadOnlyException, IOException {
    Optional<LifecyclePolicy> now = get(wanted.tenant(), wanted.name());
    if (now.isPresent() && now.get().equals(wanted.withVersion(now.get().version()))) {
      return now.get();
    }
    checkWritable();
    if (storage.tiers().named(wanted.toTier()).isEmpty()) {
      throw new IllegalArgumentException("toTier is not a configured tier");
    }
    PolicyFile.Document changed =
        watched.orElseThrow().change(document -> write(document, wanted, by));
    return changed.policies().stream()
        .filter(p -> p.sameIdentity(wanted.tenant(), wanted.name()))
        .findFirst()
        .orElseThrow();
  }

  /** Under the file's lock: the change made from the document in force, written, returned. */
  private PolicyFile.Document write(
      PolicyFile.Document document, LifecyclePolicy wanted, CallerIdentity by) throws IOException {
    Optional<LifecyclePolicy> now =
        document.policies().stream()
            .filter(p -> p.sameIdentity(wanted.tenant(), wanted.name()))
            .findFirst();
    if (now.isPresent() && now.get().equals(wanted.withVersion(now.get().version()))) {
      return document; // made meanwhile by another call
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
    return changed;
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
