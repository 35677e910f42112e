package org.strata.query.wado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Ahead}: order, the window's bound, overlap, errors and what close() does. */
class AheadTest {
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  /**
   * Tasks 0, 3, 6, 9 wait until task k + 2 has finished, so within each window of 3 the last
   * finishes first (which also shows they overlap: one after the other, task 0 would wait for
   * ever); results still come in order, and no more than 3 ever run at once.
   */
  @Test
  void resultsInOrderWhateverOrderTasksFinishIn() throws Exception {
    int count = 12;
    List<CountDownLatch> done = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      done.add(new CountDownLatch(1));
    }
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
    List<Integer> taken = new ArrayList<>();
    try (Ahead<Integer> ahead =
        new Ahead<>(
            executor,
            3,
            count,
            k ->
                () -> {
                  maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                  try {
                    if (k % 3 == 0 && !done.get(k + 2).await(30, TimeUnit.SECONDS)) {
                      throw new IOException("task " + (k + 2) + " never ran alongside " + k);
                    }
                  } catch (InterruptedException e) {
                    throw new IOException(e);
                  }
                  running.decrementAndGet();
                  finished.add(k);
                  done.get(k).countDown();
                  return k * 10;
                },
            r -> {})) {
      while (ahead.hasNext()) {
        taken.add(ahead.next());
      }
    }
    assertEquals(List.of(0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110), taken);
    assertTrue(maxRunning.get() <= 3, "at most the window at once: " + maxRunning.get());
    assertTrue(finished.indexOf(2) < finished.indexOf(0), "out of order: " + finished);
  }

  @Test
  void windowOfOneIsOneAfterTheOther() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<String> taken = new ArrayList<>();
    try (Ahead<String> ahead =
        new Ahead<>(
            executor,
            1,
            5,
            k ->
                () -> {
                  maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                  running.decrementAndGet();
                  return "r" + k;
                },
            r -> {})) {
      while (ahead.hasNext()) {
        taken.add(ahead.next());
      }
    }
    assertEquals(List.of("r0", "r1", "r2", "r3", "r4"), taken);
    assertEquals(1, maxRunning.get());
  }

  @Test
  void aTasksIoExceptionIsRethrownInItsTurn() throws Exception {
    IOException failure = new IOException("storage failed");
    try (Ahead<String> ahead =
        new Ahead<>(
            executor,
            4,
            4,
            k ->
                () -> {
                  if (k == 2) {
                    throw failure;
                  }
                  return "r" + k;
                },
            r -> {})) {
      assertEquals("r0", ahead.next());
      assertEquals("r1", ahead.next());
      assertSame(failure, assertThrows(IOException.class, ahead::next));
    }
  }

  @Test
  void aTasksRuntimeExceptionIsRethrown() throws Exception {
    try (Ahead<String> ahead =
        new Ahead<>(
            executor,
            2,
            2,
            k ->
                () -> {
                  throw WadoException.notFound("gone");
                },
            r -> {})) {
      WadoException e = assertThrows(WadoException.class, ahead::next);
      assertEquals(404, e.status());
    }
  }

  /**
   * The consumer stops after result 0 (a client went away): results 1 and 2, started ahead, are
   * handed to discard, 1 already finished and 2 finishing after close(); tasks 3.. never start.
   */
  @Test
  void closeDiscardsResultsNotTaken() throws Exception {
    CyclicBarrier task2Started = new CyclicBarrier(2);
    CountDownLatch release2 = new CountDownLatch(1);
    CountDownLatch task1Done = new CountDownLatch(1);
    List<String> discarded = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch discardedTwo = new CountDownLatch(2);
    AtomicInteger started = new AtomicInteger();
    Ahead<String> ahead =
        new Ahead<>(
            executor,
            3,
            10,
            k ->
                () -> {
                  started.incrementAndGet();
                  try {
                    if (k == 1) {
                      task1Done.countDown();
                    }
                    if (k == 2) {
                      task2Started.await(30, TimeUnit.SECONDS);
                      release2.await(30, TimeUnit.SECONDS);
                    }
                  } catch (Exception e) {
                    throw new IOException(e);
                  }
                  return "r" + k;
                },
            r -> {
              discarded.add(r);
              discardedTwo.countDown();
            });
    assertEquals("r0", ahead.next());
    task2Started.await(30, TimeUnit.SECONDS);
    assertTrue(task1Done.await(30, TimeUnit.SECONDS));
    ahead.close();
    release2.countDown();
    assertTrue(discardedTwo.await(30, TimeUnit.SECONDS), "discarded: " + discarded);
    assertEquals(List.of("r1", "r2"), discarded.stream().sorted().toList());
    assertEquals(3, started.get(), "nothing started after close");
  }
}
