package org.strata.routing.service;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.strata.dicom.deid.DeidOption;
import org.strata.routing.service.RulesDocument.Destination;
import org.strata.routing.service.RulesDocument.Rule;

/**
 * A validated, compiled {@link RulesDocument}: what the rule evaluation and the queues use. Made
 * only through {@link #of}, which refuses a document with any fault as a whole (a half-loaded rule
 * set would send some studies and silently not others).
 */
public final class RuleBook {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** A rule with its compiled predicate. */
  public record CompiledRule(Rule rule, RulePredicate predicate) {}

  private final RulesDocument document;
  private final Map<String, Destination> destinations;
  private final List<CompiledRule> rules;

  private RuleBook(
      RulesDocument document, Map<String, Destination> destinations, List<CompiledRule> rules) {
    this.document = document;
    this.destinations = destinations;
    this.rules = rules;
  }

  /** Whether {@code s} may name a rule or a destination. */
  public static boolean isName(String s) {
    return s != null && NAME.matcher(s).matches();
  }

  public static RuleBook empty() {
    return of(RulesDocument.empty());
  }

  /**
   * Validates and compiles.
   *
   * @throws IllegalArgumentException naming the first fault (rule or destination and field)
   */
  public static RuleBook of(RulesDocument doc) {
    if (doc.version() != null && doc.version() != RulesDocument.FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "version: " + doc.version() + " is not " + RulesDocument.FORMAT_VERSION);
    }
    Map<String, Destination> destinations = new LinkedHashMap<>();
    for (Destination d : doc.destinations()) {
      checkDestination(d);
      if (destinations.put(d.name(), d) != null) {
        throw new IllegalArgumentException("destination " + d.name() + ": listed twice");
      }
    }
    List<CompiledRule> rules = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Rule r : doc.rules()) {
      if (r.id() == null || !NAME.matcher(r.id()).matches()) {
        throw new IllegalArgumentException("rule id: 1..64 of A-Z a-z 0-9 . _ -");
      }
      String where = "rule " + r.id() + ": ";
      if (!ids.add(r.id())) {
        throw new IllegalArgumentException(where + "listed twice");
      }
      if (r.destination() == null || !destinations.containsKey(r.destination())) {
        throw new IllegalArgumentException(where + "destination is not a listed destination");
      }
      if (r.deidentify() != null) {
        checkDeidentify(where, r.deidentify(), destinations.get(r.destination()));
      }
      if (r.quietPeriod() != null
          && (r.quietPeriod().isNegative() || r.quietPeriod().toDays() > 7)) {
        throw new IllegalArgumentException(where + "quietPeriod: between 0 and 7 days");
      }
      try {
        rules.add(new CompiledRule(r, RulePredicate.compile(r.when())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage());
      }
    }
    return new RuleBook(doc, Map.copyOf(destinations), List.copyOf(rules));
  }

  private static void checkDeidentify(
      String where, RulesDocument.Deidentify deidentify, Destination d) {
    try {
      deidentify.optionsOrEmpty().forEach(DeidOption::parse);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "deidentify: " + e.getMessage());
    }
    if (d.deidentificationKey() == null) {
      throw new IllegalArgumentException(
          where + "deidentify: destination " + d.name() + " has no deidentificationKey");
    }
  }

  private static void checkDestination(Destination d) {
    if (d.name() == null || !NAME.matcher(d.name()).matches()) {
      throw new IllegalArgumentException("destination name: 1..64 of A-Z a-z 0-9 . _ -");
    }
    String where = "destination " + d.name() + ": ";
    if ((d.dimse() == null) == (d.stow() == null)) {
      throw new IllegalArgumentException(where + "exactly one of dimse and stow");
    }
    if (d.parallelismOrDefault() < 1 || d.parallelismOrDefault() > 32) {
      throw new IllegalArgumentException(where + "parallelism: 1..32");
    }
    if (d.maxAttempts() != null && (d.maxAttempts() < 1 || d.maxAttempts() > 100)) {
      throw new IllegalArgumentException(where + "maxAttempts: 1..100");
    }
    var key = d.deidentificationKey();
    if (key != null && (key.env() == null) == (key.file() == null)) {
      throw new IllegalArgumentException(
          where + "deidentificationKey: exactly one of env and file");
    }
    if (d.dimse() != null) {
      if (d.dimse().aeTitle() == null || d.dimse().aeTitle().isBlank()) {
        throw new IllegalArgumentException(where + "dimse.aeTitle is required");
      }
      if ((d.dimse().host() == null) != (d.dimse().port() == null)) {
        throw new IllegalArgumentException(where + "dimse.host and dimse.port go together");
      }
      if (d.dimse().port() != null && (d.dimse().port() < 1 || d.dimse().port() > 65535)) {
        throw new IllegalArgumentException(where + "dimse.port: 1..65535");
      }
    } else {
      URI url;
      try {
        url = URI.create(d.stow().url());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(where + "stow.url is not a URL");
      }
      if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
        throw new IllegalArgumentException(where + "stow.url: http or https");
      }
      if ((d.stow().tokenUrl() == null) != (d.stow().clientId() == null)) {
        throw new IllegalArgumentException(where + "stow.tokenUrl and stow.clientId go together");
      }
    }
  }

  public RulesDocument document() {
    return document;
  }

  public Destination destination(String name) {
    return destinations.get(name);
  }

  public Map<String, Destination> destinations() {
    return destinations;
  }

  public List<CompiledRule> rules() {
    return rules;
  }
}
