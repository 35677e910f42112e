package org.strata.routing.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;
import org.strata.events.RoutingJob.Priority;

/**
 * The rules file as data (YAML, {@code deploy/routing-rules.yaml}): destinations and the rules that
 * send to them. {@code version} is the file format's version; {@code revision} counts the changes
 * made through the admin API, so two copies of the file can be told apart.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RulesDocument(
    Integer version, Long revision, List<Destination> destinations, List<Rule> rules) {

  /** The format this service reads and writes. */
  public static final int FORMAT_VERSION = 1;

  public RulesDocument {
    destinations = destinations == null ? List.of() : List.copyOf(destinations);
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  public static RulesDocument empty() {
    return new RulesDocument(FORMAT_VERSION, 0L, List.of(), List.of());
  }

  /**
   * Where a rule sends: exactly one of {@code dimse} (C-STORE) and {@code stow} (STOW-RS).
   *
   * @param parallelism associations (DIMSE) or requests (STOW-RS) open to it at once, 1..32
   * @param maxAttempts attempts of a job before the dead letters, 1..100; absent: {@code
   *     strata.routing.max-attempts}
   * @param deidentificationKey where the key of the UID hash for this destination is (needed by a
   *     rule that de-identifies to it); never the key itself
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Destination(
      String name,
      Dimse dimse,
      Stow stow,
      Integer parallelism,
      Integer maxAttempts,
      DeidentificationKey deidentificationKey) {
    public Destination(
        String name, Dimse dimse, Stow stow, Integer parallelism, Integer maxAttempts) {
      this(name, dimse, stow, parallelism, maxAttempts, null);
    }

    public int parallelismOrDefault() {
      return parallelism == null ? 1 : parallelism;
    }
  }

  /**
   * The de-identification key of a destination (HMAC-SHA256 key of the UID hash, ADR 0050): from
   * the environment variable {@code env} or the file {@code file} (a mounted secret), exactly one;
   * at least 16 bytes. The same key gives the same new UIDs every time; each destination should
   * have its own.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeidentificationKey(String env, String file) {}

  /**
   * De-identification of what a rule sends (PS3.15 Annex E Basic Profile, ADR 0050), with {@code
   * options} by name ({@code retain-patient-characteristics}, ...; none: the Basic Profile alone).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Deidentify(List<String> options) {
    public List<String> optionsOrEmpty() {
      return options == null ? List.of() : options;
    }
  }

  /**
   * A C-STORE destination: an AE of the known-AE file, by title; {@code host} and {@code port} only
   * when it is not listed there. {@code commit}: after the last instance of an attempt, Storage
   * Commitment must report every instance sent as committed (ADR 0052).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Dimse(String aeTitle, String host, Integer port, Boolean commit) {
    public Dimse(String aeTitle, String host, Integer port) {
      this(aeTitle, host, port, null);
    }

    /** Proof of delivery (ADR 0052): a job is sent only once the destination commits it. */
    public boolean commitOrDefault() {
      return Boolean.TRUE.equals(commit);
    }
  }

  /**
   * A STOW-RS destination: the base URL of its DICOMweb service ({@code .../studies} is appended).
   * Authentication: none, basic ({@code username} and the environment variable holding the
   * password), or OAuth2 client credentials ({@code tokenUrl}, {@code clientId}, the environment
   * variable holding the secret, optional {@code scope}). Secrets never sit in the file. {@code
   * verify}: after the last instance of an attempt, QIDO-RS must find every instance sent.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Stow(
      String url,
      String username,
      String passwordEnv,
      String tokenUrl,
      String clientId,
      String clientSecretEnv,
      String scope,
      Boolean verify) {
    /** Proof of delivery (ADR 0042): a job is sent only once QIDO-RS finds its instances there. */
    public boolean verifyOrDefault() {
      return Boolean.TRUE.equals(verify);
    }
  }

  /** What starts a job: each instance, or a study once quiet for the rule's quiet period. */
  public enum Trigger {
    INSTANCE,
    STUDY
  }

  /**
   * One rule.
   *
   * @param when a CEL expression over the instance's facts ({@link InstanceFacts}), true to send
   * @param quietPeriod for {@link Trigger#STUDY}: no new matching instance of the study for this
   *     long (ISO-8601, default PT60S)
   * @param deidentify absent: sent as stored; present: de-identified on the way out with the
   *     destination's key
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Rule(
      String id,
      Boolean enabled,
      String description,
      String when,
      Trigger trigger,
      Duration quietPeriod,
      String destination,
      Priority priority,
      Deidentify deidentify) {

    public Rule(
        String id,
        Boolean enabled,
        String description,
        String when,
        Trigger trigger,
        Duration quietPeriod,
        String destination,
        Priority priority) {
      this(id, enabled, description, when, trigger, quietPeriod, destination, priority, null);
    }

    public boolean isEnabled() {
      return enabled == null || enabled;
    }

    public Trigger triggerOrDefault() {
      return trigger == null ? Trigger.STUDY : trigger;
    }

    public Duration quietPeriodOrDefault() {
      return quietPeriod == null ? Duration.ofSeconds(60) : quietPeriod;
    }

    public Priority priorityOrDefault() {
      return priority == null ? Priority.ROUTINE : priority;
    }

    public Rule withEnabled(boolean on) {
      return new Rule(
          id, on, description, when, trigger, quietPeriod, destination, priority, deidentify);
    }
  }
}
