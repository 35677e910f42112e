package org.strata.query.wado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ObjectReadsTest {
  /** Runs nothing until told: the reader loops it was given wait in {@link #tasks}. */
  static final class HeldExecutor implements Executor {
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      while (!tasks.isEmpty()) {
        tasks.remove(0).run();
      }
    }
  }

  /** The keys as items of their own, in order. */
  private static SequencedMap<String, String> items(String... keys) {
    SequencedMap<String, String> items = new LinkedHashMap<>();
    for (String k : keys) {
      items.put(k, k);
    }
    return items;
  }

  private final HeldExecutor executor = new HeldExecutor();
  private final List<String> read = new CopyOnWriteArrayList<>();
  private final ObjectReads<String> reads = new ObjectReads<>(5, 4, 1, executor, read::add);

  @Test
  void queuedObjectsAreReadInOrderOnAtMostFourLoops() {
    assertFalse(reads.offer(items("a", "b", "c", "d", "e", "f")), "the sixth did not fit");
    assertEquals(4, executor.tasks.size(), "four reader loops for five queued objects");
    assertEquals(5, reads.queued());
    assertFalse(reads.offer(items("g")), "a full queue refuses");
    assertTrue(reads.offer(items("a")), "an object already queued is not queued twice");
    executor.runAll();
    assertEquals(List.of("a", "b", "c", "d", "e"), read);
    assertEquals(0, reads.queued());
  }

  @Test
  void aRequestTakesAQueuedObjectOutOfTheQueueAndReadsItFirst() {
    reads.offer(items("a", "b", "c"));
    try (ObjectReads<String>.Claim claim = reads.claim("c")) {
      assertEquals(ObjectReads.Source.PROMOTED, claim.source());
      assertTrue(claim.own(), "the request reads it itself, now");
      assertFalse(reads.isQueued("c"));
      assertTrue(reads.isUnderWay("c"));
      reads.offer(items("c"));
      assertFalse(reads.isQueued("c"), "not queued again while the request reads it");
    }
    assertFalse(reads.isUnderWay("c"));
    executor.runAll();
    assertEquals(List.of("a", "b"), read, "the read-ahead does not read it again");
  }

  @Test
  void anObjectTheReadAheadDoesNotKnowIsTheRequestsOwnRead() {
    try (ObjectReads<String>.Claim claim = reads.claim("x")) {
      assertEquals(ObjectReads.Source.REQUEST, claim.source());
      assertTrue(claim.own());
      try (ObjectReads<String>.Claim second = reads.claim("x")) {
        assertEquals(ObjectReads.Source.WAITED, second.source(), "a second request waits");
        assertFalse(second.own());
      }
    }
  }

  @Test
  void aRequestWaitsForTheReadUnderWay() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ObjectReads<String> slow =
        new ObjectReads<>(
            8,
            1,
            1,
            task -> Thread.ofPlatform().daemon(true).start(task),
            k -> {
              started.countDown();
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              read.add(k);
            });
    slow.offer(items("a"));
    assertTrue(started.await(60, TimeUnit.SECONDS));
    try (ObjectReads<String>.Claim claim = slow.claim("a")) {
      assertEquals(ObjectReads.Source.WAITED, claim.source());
      assertFalse(claim.own());
      release.countDown();
      assertTrue(claim.await(60), "the read under way ended");
      assertEquals(List.of("a"), read, "waited for: read once");
    }
  }

  @Test
  void whileARequestReadsTheReadAheadStartsOneReadAtATime() {
    try (ObjectReads<String>.Claim claim = reads.claim("x")) {
      reads.offer(items("a", "b", "c"));
      assertEquals(1, executor.tasks.size(), "one reader loop while a request reads");
    }
    assertEquals(4, executor.tasks.size(), "back to four once the request is done");
    executor.runAll();
    assertEquals(List.of("a", "b", "c"), read);
  }

  @Test
  void aRunningLoopStopsAfterItsObjectWhenARequestComes() {
    List<ObjectReads<String>.Claim> requests = new ArrayList<>();
    java.util.concurrent.atomic.AtomicReference<ObjectReads<String>> box =
        new java.util.concurrent.atomic.AtomicReference<>();
    box.set(
        new ObjectReads<>(
            8,
            2,
            1,
            executor,
            k -> {
              read.add(k);
              if (k.equals("a")) {
                requests.add(box.get().claim("x")); // a request comes while "a" is read
              }
            }));
    box.get().offer(items("a", "b", "c", "d"));
    assertEquals(2, executor.tasks.size());
    executor.tasks.remove(0).run();
    assertEquals(List.of("a"), read, "the first loop ended after its object");
    executor.tasks.remove(0).run();
    assertEquals(List.of("a", "b", "c", "d"), read, "the other one read on, alone");
    requests.get(0).close();
  }

  @Test
  void aLoopOverTheLimitEndsWithoutReading() {
    reads.offer(items("a", "b"));
    assertEquals(2, executor.tasks.size());
    try (ObjectReads<String>.Claim claim = reads.claim("x")) {
      executor.tasks.remove(0).run(); // two loops, one allowed: this one ends at once
      assertEquals(List.of(), read);
      executor.tasks.remove(0).run(); // now alone: reads the queue
      assertEquals(List.of("a", "b"), read);
    }
  }
}
