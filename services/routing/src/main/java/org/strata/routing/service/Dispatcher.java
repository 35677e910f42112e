package org.strata.routing.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.strata.events.RoutingJob;
import org.strata.routing.config.RoutingConfig;
import org.strata.routing.dimse.CStoreSender;
import org.strata.routing.messaging.JobPublisher;
import org.strata.routing.messaging.JobPublisher.PublishException;
import org.strata.routing.repository.JobBoard;
import org.strata.routing.service.RulesDocument.Destination;
import org.strata.routing.stow.StowSender;

/**
 * Runs the jobs read from the queue topics: one {@link DestinationQueue} per destination, each
 * attempt's outcome turned into the job's next record (ADR 0029): delivered, a retry on the queue
 * topic after a backoff, or the dead-letter topic after the last attempt. A job's record is
 * acknowledged (its offset may be committed) only once its successor is durable in Kafka.
 */
@ApplicationScoped
public class Dispatcher {
  private static final Logger LOG = Logger.getLogger(Dispatcher.class);

  private final RoutingRules rules;
  private final RoutingConfig config;
  private final JobPublisher publisher;
  private final CStoreSender cStore;
  private final StowSender stow;
  private final ExportAudit audit;
  private final MeterRegistry metrics;
  private final Backoff backoff;
  private final JobBoard board;
  private final Map<String, DestinationQueue> queues = new ConcurrentHashMap<>();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final AtomicLong sequence = new AtomicLong();

  Dispatcher(
      RoutingRules rules,
      RoutingConfig config,
      JobPublisher publisher,
      CStoreSender cStore,
      StowSender stow,
      ExportAudit audit,
      JobBoard board,
      MeterRegistry metrics) {
    this.board = board;
    this.rules = rules;
    this.config = config;
    this.publisher = publisher;
    this.cStore = cStore;
    this.stow = stow;
    this.audit = audit;
    this.metrics = metrics;
    this.backoff = new Backoff(config.backoffInitial(), config.backoffMax());
  }

  void stop(@Observes ShutdownEvent event) {
    queues.values().forEach(DestinationQueue::stop);
  }

  public JobBoard board() {
    return board;
  }

  /**
   * Takes a job record read from a queue topic; {@code acknowledge} is run once the record is
   * finished with. A record of a cancelled job is acknowledged at once. A record whose attempt a
   * crash interrupted goes on with what the destination had not confirmed (ADR 0062).
   */
  public void accept(RoutingJob job, Runnable acknowledge, Object partition) {
    if (cancelled.contains(job.jobId())) {
      acknowledge.run();
      return;
    }
    JobBoard.Entry known = known(job.jobId());
    if (finishedBefore(job, known)) {
      acknowledge.run();
      return;
    }
    int confirmed = known == null ? 0 : known.confirmedOf(job);
    RoutingJob rest = job;
    if (confirmed > 0) {
      rest = job.withConfirmed(confirmed);
      metrics
          .counter("strata_routing_instances_resumed", "destination", job.destination())
          .increment(confirmed);
      LOG.infof(
          "routing job %s: %d of its %d instances were confirmed before a restart, the rest is"
              + " sent",
          job.jobId(), confirmed, job.instances().size());
    }
    board.put(
        rest,
        job.attempt() == 0 ? JobState.PENDING : JobState.FAILED,
        rest.sent(),
        rest.lastReason());
    queue(job.destination())
        .add(new QueuedJob(rest, sequence.incrementAndGet(), acknowledge, partition, confirmed));
  }

  /** The job's status, null when unknown or unreadable (then it is sent: at-least-once). */
  private JobBoard.Entry known(String jobId) {
    try {
      return board.get(jobId).orElse(null);
    } catch (JobBoard.Unavailable e) {
      return null; // without the status, send: at-least-once (ADR 0029)
    }
  }

  /**
   * Whether this record was already dealt with before a restart (ADR 0041): the job's status names
   * a newer record of it, or this very record in a final state (its offset was not committed yet).
   * Sending it again would only duplicate at the destination.
   */
  private boolean finishedBefore(RoutingJob job, JobBoard.Entry known) {
    if (known == null) {
      return false;
    }
    boolean newer = known.last().occurredAt().isAfter(job.occurredAt());
    boolean done =
        known.last().eventId().equals(job.eventId())
            && (known.state() == JobState.SENT
                || known.state() == JobState.DEAD
                || known.state() == JobState.CANCELLED);
    if (newer || done) {
      metrics
          .counter("strata_routing_replays_skipped", "destination", job.destination())
          .increment();
      LOG.debugf(
          "routing job %s: record %s already finished, not sent again", job.jobId(), job.eventId());
      return true;
    }
    return false;
  }

  /** True when some destination holds as many jobs as it may: stop reading ROUTINE jobs. */
  public boolean full() {
    int cap = config.maxQueuedJobsPerDestination();
    return queues.values().stream().anyMatch(q -> q.size() >= cap);
  }

  /** The partition's records went to another consumer: forget its waiting jobs. */
  public void dropPartition(Object partition) {
    queues.values().forEach(q -> q.dropPartition(partition));
  }

  /**
   * Cancels a job: a waiting one is taken off its queue, an in-flight one stops before its next
   * instance; neither is retried. False when the job is unknown or already finished.
   */
  public boolean cancel(String jobId) {
    var entry = board.get(jobId).orElse(null);
    if (entry == null
        || entry.state() == JobState.SENT
        || entry.state() == JobState.CANCELLED
        || entry.state() == JobState.DEAD) {
      return false;
    }
    cancelled.add(jobId);
    DestinationQueue q = queue(entry.destination());
    QueuedJob waiting = q.removeWaiting(jobId);
    if (waiting != null) {
      audit.cancelled(waiting.job, rules.book().destination(entry.destination()), 0);
      waiting.acknowledge.run();
      board.mark(jobId, JobState.CANCELLED, entry.sent(), entry.attempts(), entry.lastReason());
      return true;
    }
    QueuedJob running = q.inFlight(jobId);
    if (running != null) {
      running.cancelled = true;
    }
    board.mark(jobId, JobState.CANCELLED, entry.sent(), entry.attempts(), entry.lastReason());
    return true;
  }

  /**
   * Retries a job now: a dead or cancelled one is queued again from its last record with a fresh
   * count of attempts; one waiting for its backoff starts at once. False when unknown or running.
   */
  public boolean retry(String jobId) throws PublishException {
    var entry = board.get(jobId).orElse(null);
    if (entry == null) {
      return false;
    }
    if (entry.state() == JobState.DEAD || entry.state() == JobState.CANCELLED) {
      RoutingJob again = entry.last().again(UUID.randomUUID().toString(), Instant.now());
      cancelled.remove(jobId);
      publisher.enqueue(again);
      board.put(again, JobState.PENDING, again.sent(), again.lastReason());
      return true;
    }
    return queue(entry.destination()).hurry(jobId);
  }

  /** Pauses or resumes a destination: a paused one starts no job (in-flight ones finish). */
  public void setPaused(String destination, boolean paused) {
    queue(destination).setPaused(paused);
  }

  /** One destination's queue figures. */
  public record QueueStatus(
      String destination,
      boolean paused,
      String breaker,
      int waiting,
      int inFlight,
      Instant oldestWaiting,
      Map<JobState, Integer> jobs) {}

  public QueueStatus status(String destination) {
    DestinationQueue q = queue(destination);
    return new QueueStatus(
        destination,
        q.paused(),
        q.breaker.state(Instant.now()).name(),
        q.waitingCount(),
        q.inFlightCount(),
        q.oldestWaiting(),
        board.counts(destination));
  }

  public List<String> knownDestinations() {
    var names = new java.util.TreeSet<>(rules.book().destinations().keySet());
    names.addAll(queues.keySet());
    return List.copyOf(names);
  }

  private DestinationQueue queue(String name) {
    return queues.computeIfAbsent(
        name,
        n -> {
          metrics.gauge(
              "strata_routing_queue_jobs",
              io.micrometer.core.instrument.Tags.of("destination", n),
              this,
              d -> d.queues.get(n) == null ? 0 : d.queues.get(n).size());
          return new DestinationQueue(
              n,
              new CircuitBreaker(config.breakerThreshold(), config.breakerOpenFor()),
              () -> {
                Destination d = rules.book().destination(n);
                return d == null ? 1 : d.parallelismOrDefault();
              },
              this::run);
        });
  }

  /** One attempt of a job, on its own virtual thread. */
  private void run(QueuedJob q) {
    DestinationQueue queue = queue(q.job.destination());
    RoutingJob job = q.job;
    if (!audit.hasRoom()) {
      // Its export record could not be kept (audit spool full, ADR 0035): wait, uncharged.
      q.notBefore = Instant.now().plus(backoff.after(1));
      queue.add(q);
      queue.finished(q);
      return;
    }
    try {
      board.mark(job.jobId(), JobState.IN_FLIGHT, job.sent(), job.attempt(), job.lastReason());
      Destination d = rules.book().destination(job.destination());
      SendOutcome outcome =
          d == null
              ? SendOutcome.failed(0, job.instances(), "destination not in the rules file")
              : (d.dimse() != null ? cStore : stow).send(job, d, () -> q.cancelled, progress(q, d));
      if (outcome.sent() > 0) {
        metrics
            .counter("strata_routing_instances_sent", "destination", job.destination())
            .increment(outcome.sent());
      }
      finish(queue, q, outcome);
    } catch (RuntimeException e) {
      LOG.errorf(e, "routing job %s failed unexpectedly", job.jobId());
      finish(
          queue,
          q,
          SendOutcome.failed(
              0, job.instances(), "internal error: " + e.getClass().getSimpleName()));
    } finally {
      queue.finished(q);
    }
  }

  /**
   * Where an attempt records what the destination confirmed (ADR 0062): nowhere when the
   * destination proves delivery only at the end of the attempt (Storage Commitment, QIDO-RS), since
   * a crash before the proof must send the whole attempt again.
   */
  private Progress progress(QueuedJob q, Destination d) {
    boolean provenAtTheEnd =
        d.dimse() != null ? d.dimse().commitOrDefault() : d.stow().verifyOrDefault();
    if (provenAtTheEnd) {
      return Progress.NONE;
    }
    RoutingJob job = q.job;
    return new ProgressRecorder(
        confirmed -> board.progress(job.jobId(), job.eventId(), confirmed),
        q.confirmedBefore,
        config.progressBatch(),
        config.progressInterval(),
        System::nanoTime);
  }

  private void finish(DestinationQueue queue, QueuedJob q, SendOutcome outcome) {
    RoutingJob job = q.job;
    int sentSoFar = job.sent() + outcome.sent();
    Instant now = Instant.now();
    Destination d = rules.book().destination(job.destination());
    if (q.cancelled || cancelled.contains(job.jobId())) {
      queue.breaker.released();
      audit.cancelled(job, d, outcome.sent());
      board.mark(job.jobId(), JobState.CANCELLED, sentSoFar, job.attempt(), job.lastReason());
      count(job, "cancelled");
      q.acknowledge.run();
      return;
    }
    if (outcome.failure() == null) {
      queue.breaker.succeeded();
      board.mark(job.jobId(), JobState.SENT, sentSoFar, job.attempt() + 1, null);
      audit.sent(job, d, outcome.sent());
      count(job, "sent");
      q.acknowledge.run();
      return;
    }
    queue.breaker.failed(now);
    int attempts = job.attempt() + 1;
    int maxAttempts = d == null || d.maxAttempts() == null ? config.maxAttempts() : d.maxAttempts();
    boolean last = attempts >= maxAttempts;
    RoutingJob next =
        job.nextAttempt(
            UUID.randomUUID().toString(),
            now,
            outcome.left(),
            outcome.sent(),
            last ? null : now.plus(backoff.after(attempts)),
            outcome.failure());
    try {
      if (last) {
        publisher.deadLetter(next);
        board.put(next, JobState.DEAD, next.sent(), outcome.failure());
        audit.gaveUp(next, d, outcome.failure());
        count(job, "dead");
        LOG.warnf(
            "routing job %s to %s given up after %d attempts: %s",
            job.jobId(), job.destination(), attempts, outcome.failure());
      } else {
        publisher.enqueue(next);
        board.put(next, JobState.FAILED, next.sent(), outcome.failure());
        count(job, "retry");
        LOG.infof(
            "routing job %s to %s: attempt %d failed (%s), next at %s",
            job.jobId(), job.destination(), attempts, outcome.failure(), next.notBefore());
      }
      q.acknowledge.run();
    } catch (PublishException e) {
      // The successor is not durable: keep this record unacknowledged and try again later.
      LOG.warnf("routing job %s: next record not published (%s)", job.jobId(), e.getMessage());
      q.notBefore = now.plus(backoff.after(attempts));
      queue.add(q);
    }
  }

  private void count(RoutingJob job, String outcome) {
    metrics
        .counter("strata_routing_jobs", "destination", job.destination(), "outcome", outcome)
        .increment();
  }
}
