package org.strata.query.wado;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Results of {@code count} blocking tasks, handed out in order while at most {@code window} of them
 * run or wait to be taken: task {@code k + window - 1} starts when result {@code k} is asked for.
 * So S3 round trips overlap (sidecars of a series, the next objects of a study) while memory stays
 * bounded by {@code window} results. One consumer thread; not reusable.
 *
 * <p>{@link #close()} (always, in a finally) hands every result not taken, already there or still
 * to come, to {@code discard}, so open streams are closed even when the client went away mid-way;
 * tasks not yet running are skipped.
 */
final class Ahead<T> implements AutoCloseable {

  /** One blocking task. */
  @FunctionalInterface
  interface Task<T> {
    T call() throws IOException;
  }

  private final Executor executor;
  private final int window;
  private final int count;
  private final IntFunction<Task<T>> tasks;
  private final Consumer<T> discard;
  private final ArrayDeque<CompletableFuture<T>> pending = new ArrayDeque<>();
  private volatile boolean closed;
  private int started;
  private int taken;

  Ahead(Executor executor, int window, int count, IntFunction<Task<T>> tasks, Consumer<T> discard) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1");
    }
    this.executor = executor;
    this.window = window;
    this.count = count;
    this.tasks = tasks;
    this.discard = discard;
  }

  boolean hasNext() {
    return taken < count;
  }

  /** Result {@code k} (in order), waiting for it; a task's IOException is rethrown here. */
  T next() throws IOException {
    if (taken >= count) {
      throw new IllegalStateException("no more results");
    }
    while (started < count && started < taken + window) {
      Task<T> task = tasks.apply(started++);
      pending.add(
          CompletableFuture.supplyAsync(
              () -> {
                if (closed) {
                  return null;
                }
                try {
                  return task.call();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              executor));
    }
    CompletableFuture<T> f = pending.poll();
    taken++;
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.thenAccept(this::discardQuietly);
      throw new InterruptedIOException("interrupted while waiting for storage");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      if (cause instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (CompletableFuture<T> f; (f = pending.poll()) != null; ) {
      f.thenAccept(this::discardQuietly);
    }
  }

  private void discardQuietly(T result) {
    if (result != null) {
      try {
        discard.accept(result);
      } catch (RuntimeException e) {
        // closing a stream nobody reads any more: nothing to do about a failure
      }
    }
  }
}
