package org.strata.testkit.hostile;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The settings of one hostile-input run, from system properties: {@code strata.hostile.seed} (the
 * seed of every random choice), {@code strata.hostile.iterations} (random inputs per randomized
 * kind; {@code make test} runs a few hundred, {@code make fuzz} many more), {@code
 * strata.hostile.only=kind:index} (replays one reported input alone).
 *
 * <p>Every input draws from its own generator, derived from the seed, its kind and its index, so
 * one input is the same whether the run sends all or only it.
 *
 * @param deadline how long an input may go unanswered before it counts as hung: far above what a
 *     correct answer takes here (milliseconds), far below the association timers (ARTIM 30 s, idle
 *     timeout) a hanging server would wait for
 */
public record HostileRun(long seed, int iterations, String only, Duration deadline) {
  public static final long DEFAULT_SEED = 20261207L;

  public static HostileRun fromSystemProperties(int defaultIterations) {
    return new HostileRun(
        Long.getLong("strata.hostile.seed", DEFAULT_SEED),
        Integer.getInteger("strata.hostile.iterations", defaultIterations),
        System.getProperty("strata.hostile.only", ""),
        Duration.ofSeconds(10));
  }

  /** Whether input {@code index} of {@code kind} is sent in this run. */
  public boolean selected(String kind, int index) {
    return only.isEmpty() || only.equals(kind + ":" + index);
  }

  /** The generator of one input. */
  public SplittableRandom random(String kind, int index) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + kind.hashCode() * 1_000_003L + index);
  }

  public int deadlineMillis() {
    return (int) deadline.toMillis();
  }
}
