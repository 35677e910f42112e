package org.strata.routing.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.strata.events.InstanceStored;
import org.strata.events.RoutingJob;
import org.strata.routing.config.RoutingConfig;
import org.strata.routing.messaging.JobPublisher;
import org.strata.routing.messaging.JobPublisher.PublishException;
import org.strata.routing.service.RuleBook.CompiledRule;
import org.strata.routing.service.RulesDocument.Trigger;

/**
 * Turns stored instances into jobs: each enabled rule whose predicate holds either queues a job for
 * the instance at once (trigger INSTANCE) or gathers it into its study until the study is quiet
 * (trigger STUDY, {@link StudyQuietTimer}).
 */
@ApplicationScoped
public class RuleEvaluator {
  private static final Logger LOG = Logger.getLogger(RuleEvaluator.class);

  private final RoutingRules rules;
  private final JobPublisher publisher;
  private final RoutingConfig config;
  private final StudyQuietTimer studies = new StudyQuietTimer();
  private ScheduledExecutorService flusher;

  private final RecentInstances recent;
  private final RuleMatches matches;

  RuleEvaluator(
      RoutingRules rules,
      JobPublisher publisher,
      RoutingConfig config,
      RecentInstances recent,
      RuleMatches matches) {
    this.rules = rules;
    this.publisher = publisher;
    this.config = config;
    this.recent = recent;
    this.matches = matches;
  }

  void start(@Observes StartupEvent event) {
    flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
    flusher.scheduleWithFixedDelay(this::flushQuietStudies, 200, 200, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (flusher != null) {
      flusher.shutdownNow();
    }
  }

  /**
   * Evaluates every enabled rule on {@code event}. Jobs of INSTANCE rules are on the queue when
   * this returns; for STUDY rules {@code hold} is called once per gathering, and the Runnable it
   * returns is run when the study's jobs are queued.
   *
   * @throws PublishException when a job could not be queued (the event must be read again)
   */
  public void evaluate(InstanceStored event, java.util.function.Supplier<Runnable> hold)
      throws PublishException {
    Map<String, Object> facts = InstanceFacts.of(event);
    Instant now = Instant.now();
    recent.add(
        new RecentInstances.Seen(
            event.tenant(), event.studyInstanceUid(), event.sopInstanceUid(), now, facts));
    for (CompiledRule r : rules.book().rules()) {
      if (!r.rule().isEnabled()) {
        continue;
      }
      if (!r.predicate().test(facts)) {
        continue;
      }
      matches.matched(r.rule().id(), now);
      LOG.debugf("rule %s matches %s", r.rule().id(), event.sopInstanceUid());
      if (r.rule().triggerOrDefault() == Trigger.INSTANCE) {
        for (RoutingJob job :
            JobFactory.jobs(
                event.tenant(),
                event.studyInstanceUid(),
                r.rule().destination(),
                r.rule().priorityOrDefault(),
                r.rule().id(),
                List.of(JobFactory.instanceOf(event)),
                1,
                JobFactory.Origin.of(event),
                deidentifyOf(r.rule()))) {
          publisher.enqueue(job);
        }
      } else {
        Runnable release = hold.get();
        synchronized (studies) {
          studies.add(r.rule(), event, release, Instant.now());
        }
      }
    }
  }

  /** Queues the jobs of the studies that became quiet. */
  void flushQuietStudies() {
    List<StudyQuietTimer.Gathering> due;
    synchronized (studies) {
      due = studies.due(Instant.now());
    }
    for (StudyQuietTimer.Gathering g : due) {
      try {
        for (RoutingJob job :
            JobFactory.jobs(
                g.tenant,
                g.studyUid,
                g.rule.destination(),
                g.rule.priorityOrDefault(),
                g.rule.id(),
                List.copyOf(g.instances.values()),
                config.maxInstancesPerJob(),
                g.origin,
                deidentifyOf(g.rule))) {
          publisher.enqueue(job);
        }
        g.releases.forEach(Runnable::run);
      } catch (PublishException e) {
        LOG.warnf("study jobs of rule %s not queued yet: %s", g.rule.id(), e.getMessage());
        synchronized (studies) {
          studies.restore(g);
        }
      } catch (RuntimeException e) {
        LOG.errorf(e, "study jobs of rule %s not queued", g.rule.id());
        synchronized (studies) {
          studies.restore(g);
        }
      }
    }
  }

  /** The rule's de-identification options as the job carries them: null when it sends as stored. */
  private static List<String> deidentifyOf(RulesDocument.Rule rule) {
    return rule.deidentify() == null ? null : rule.deidentify().optionsOrEmpty();
  }
}
