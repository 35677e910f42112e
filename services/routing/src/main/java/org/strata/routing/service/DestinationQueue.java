package org.strata.routing.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.strata.events.RoutingJob;

/**
 * One destination's queue in memory: jobs in order of priority (STAT first), then of arrival; a job
 * in backoff waits for its time without holding back the ones behind it. A pump thread starts jobs
 * while fewer than the destination's parallelism are in flight, the queue is not paused and the
 * circuit breaker admits them.
 */
final class DestinationQueue {
  private static final Comparator<QueuedJob> ORDER =
      Comparator.<QueuedJob>comparingInt(q -> q.job.priority() == RoutingJob.Priority.STAT ? 0 : 1)
          .thenComparingLong(q -> q.sequence);

  final String name;
  final CircuitBreaker breaker;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final TreeSet<QueuedJob> waiting = new TreeSet<>(ORDER);
  private final List<QueuedJob> inFlight = new ArrayList<>();
  private final IntSupplier parallelism;
  private final Consumer<QueuedJob> runner;
  private boolean paused;
  private volatile boolean stopped;

  DestinationQueue(
      String name, CircuitBreaker breaker, IntSupplier parallelism, Consumer<QueuedJob> runner) {
    this.name = name;
    this.breaker = breaker;
    this.parallelism = parallelism;
    this.runner = runner;
    Thread.ofVirtual().name("routing-pump-" + name).start(this::pump);
  }

  void add(QueuedJob job) {
    withLock(() -> waiting.add(job));
  }

  /** Jobs held: waiting and in flight. */
  int size() {
    lock.lock();
    try {
      return waiting.size() + inFlight.size();
    } finally {
      lock.unlock();
    }
  }

  int waitingCount() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  int inFlightCount() {
    lock.lock();
    try {
      return inFlight.size();
    } finally {
      lock.unlock();
    }
  }

  /** Removes the waiting job with this id; null when it is not waiting here. */
  QueuedJob removeWaiting(String jobId) {
    lock.lock();
    try {
      for (QueuedJob q : waiting) {
        if (q.job.jobId().equals(jobId)) {
          waiting.remove(q);
          return q;
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** The in-flight job with this id, or null. */
  QueuedJob inFlight(String jobId) {
    lock.lock();
    try {
      return inFlight.stream().filter(q -> q.job.jobId().equals(jobId)).findFirst().orElse(null);
    } finally {
      lock.unlock();
    }
  }

  /** Makes a waiting job ready now (an operator's retry of a job in backoff). */
  boolean hurry(String jobId) {
    lock.lock();
    try {
      for (QueuedJob q : waiting) {
        if (q.job.jobId().equals(jobId)) {
          q.notBefore = null;
          changed.signalAll();
          return true;
        }
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /** Drops the waiting jobs read from {@code partition} (its records go to another consumer). */
  void dropPartition(Object partition) {
    withLock(() -> waiting.removeIf(q -> q.partition.equals(partition)));
  }

  void setPaused(boolean on) {
    withLock(() -> paused = on);
  }

  boolean paused() {
    lock.lock();
    try {
      return paused;
    } finally {
      lock.unlock();
    }
  }

  /** The oldest waiting job's age basis: its record's time, or null when none waits. */
  Instant oldestWaiting() {
    lock.lock();
    try {
      return waiting.stream().map(q -> q.job.occurredAt()).min(Instant::compareTo).orElse(null);
    } finally {
      lock.unlock();
    }
  }

  /** Called by the runner when a job it was given has ended. */
  void finished(QueuedJob job) {
    withLock(() -> inFlight.remove(job));
  }

  void stop() {
    stopped = true;
    withLock(() -> {});
  }

  private void withLock(Runnable r) {
    lock.lock();
    try {
      r.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void pump() {
    while (!stopped) {
      QueuedJob next;
      lock.lock();
      try {
        next = nextStartable();
        if (next == null) {
          long waitMs = waitMillis();
          changed.await(waitMs, TimeUnit.MILLISECONDS);
          continue;
        }
        waiting.remove(next);
        inFlight.add(next);
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      QueuedJob started = next;
      Thread.ofVirtual().name("routing-send-" + name).start(() -> runner.accept(started));
    }
  }

  /** Under the lock: the first job that may start now, or null. */
  private QueuedJob nextStartable() {
    if (paused || inFlight.size() >= parallelism.getAsInt() || waiting.isEmpty()) {
      return null;
    }
    Instant now = Instant.now();
    for (QueuedJob q : waiting) {
      if (q.ready(now)) {
        return breaker.tryAcquire(now) ? q : null;
      }
    }
    return null;
  }

  /** Under the lock: how long to sleep at most before looking again. */
  private long waitMillis() {
    Instant now = Instant.now();
    Instant wake = now.plusSeconds(5);
    for (QueuedJob q : waiting) {
      if (q.notBefore != null && q.notBefore.isBefore(wake)) {
        wake = q.notBefore;
      }
    }
    Instant open = breaker.openUntil();
    if (open != null && open.isAfter(now) && open.isBefore(wake)) {
      wake = open;
    }
    return Math.max(1, wake.toEpochMilli() - now.toEpochMilli());
  }
}
