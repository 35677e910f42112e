package org.strata.routing.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;
import org.strata.routing.config.RoutingConfig;
import org.strata.routing.service.RulesDocument.Destination;
import org.strata.routing.service.RulesDocument.Rule;
import org.strata.servicekit.config.WatchedFile;

/**
 * The rules in force: read from the rules file at start, re-read when the file changes (checked
 * every {@code strata.routing.rules-reload-interval}), changed by the admin API (which writes the
 * file, so the file stays the one source). A file that does not validate is not taken: the rules in
 * force stay, and {@link #lastError()} says why (the service does not start with a bad file;
 * service-kit's {@link WatchedFile}). With {@code strata.routing.rules-read-only} the admin API's
 * changes are refused (ADR 0039).
 */
@ApplicationScoped
public class RoutingRules {
  private static final Logger LOG = Logger.getLogger(RoutingRules.class);

  private final RulesFile file;
  private final RoutingConfig config;
  private volatile WatchedFile<RuleBook> watched;

  RoutingRules(RoutingConfig config) {
    this.config = config;
    this.file = new RulesFile(Path.of(config.rulesFile()));
  }

  void start(@Observes StartupEvent event) throws IOException {
    // A bad file stops the start, with the reason.
    watched = WatchedFile.load(file.path(), "routing rules", p -> RuleBook.of(file.read()));
    RuleBook book = watched.current();
    LOG.infof(
        "routing rules from %s: %d destination(s), %d rule(s)",
        file.path(), book.destinations().size(), book.rules().size());
    watched.checkEvery(config.rulesReloadInterval());
  }

  void stop(@Observes ShutdownEvent event) {
    if (watched != null) {
      watched.close();
    }
  }

  /** The rules in force. */
  public RuleBook book() {
    WatchedFile<RuleBook> w = watched;
    return w == null ? RuleBook.empty() : w.current();
  }

  /** Why the last change of the file was not taken, or null. */
  public String lastError() {
    WatchedFile<RuleBook> w = watched;
    return w == null ? null : w.lastError();
  }

  /** Adds or replaces the rule with this id. */
  public RuleBook putRule(Rule rule) throws IOException {
    return change(
        doc -> {
          List<Rule> rules = new ArrayList<>(doc.rules());
          rules.removeIf(r -> r.id().equals(rule.id()));
          rules.add(rule);
          return new RulesDocument(doc.version(), doc.revision(), doc.destinations(), rules);
        });
  }

  /** Adds or replaces the destination with this name. */
  public RuleBook putDestination(Destination destination) throws IOException {
    return change(
        doc -> {
          List<Destination> ds = new ArrayList<>(doc.destinations());
          ds.removeIf(d -> d.name().equals(destination.name()));
          ds.add(destination);
          return new RulesDocument(doc.version(), doc.revision(), ds, doc.rules());
        });
  }

  /** Enables or disables a rule; false when there is no such rule. */
  public boolean setEnabled(String id, boolean enabled) throws IOException {
    if (book().rules().stream().noneMatch(r -> r.rule().id().equals(id))) {
      return false;
    }
    change(
        doc ->
            new RulesDocument(
                doc.version(),
                doc.revision(),
                doc.destinations(),
                doc.rules().stream()
                    .map(r -> r.id().equals(id) ? r.withEnabled(enabled) : r)
                    .toList()));
    return true;
  }

  /**
   * Applies {@code edit} to the rules in force, validates the result (IllegalArgumentException when
   * it does not), writes the file and takes it; {@link RulesReadOnlyException} when the file is the
   * deployment's.
   */
  private RuleBook change(UnaryOperator<RulesDocument> edit) throws IOException {
    if (config.rulesReadOnly()) {
      throw new RulesReadOnlyException();
    }
    return watched.change(
        book -> {
          RulesDocument edited = edit.apply(book.document());
          long revision = edited.revision() == null ? 1 : edited.revision() + 1;
          RuleBook next =
              RuleBook.of(
                  new RulesDocument(
                      RulesDocument.FORMAT_VERSION,
                      revision,
                      edited.destinations(),
                      edited.rules()));
          file.write(next.document());
          return next;
        });
  }
}
