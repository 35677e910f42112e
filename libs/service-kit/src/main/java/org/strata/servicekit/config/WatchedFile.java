package org.strata.servicekit.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A configuration file that is the one source of something in force (routing's rules,
 * storage-tiering's lifecycle policies): read at start (a file that does not read stops the start),
 * re-read when an operator edits it (checked every interval by its modification time and size), and
 * rewritten by the service's own admin API through {@link #change}. An edit that does not read is
 * refused as a whole: what is in force stays, {@link #lastError()} says why and one WARN line logs
 * it (the reader's message, so readers name fields and positions, never values).
 *
 * @param <T> what the file holds once read and validated
 */
public final class WatchedFile<T> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(WatchedFile.class);

  /** Reads and validates the whole file; throws (with a reason) when it is not acceptable. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(Path file) throws IOException;
  }

  /** Writes the file from what is in force and returns what is in force afterwards. */
  @FunctionalInterface
  public interface Writer<T> {
    T write(T current) throws IOException;
  }

  private final Path path;
  private final String what;
  private final Reader<T> reader;
  private volatile T current;
  private volatile String lastError;
  private String stamp;
  private ScheduledExecutorService checker;

  private WatchedFile(Path path, String what, Reader<T> reader) {
    this.path = path;
    this.what = what;
    this.reader = reader;
  }

  /**
   * Reads {@code path} now.
   *
   * @param what what the file holds, for the log ("routing rules")
   * @throws IOException or a RuntimeException of the reader when the file is not acceptable
   */
  public static <T> WatchedFile<T> load(Path path, String what, Reader<T> reader)
      throws IOException {
    WatchedFile<T> file = new WatchedFile<>(path, what, reader);
    synchronized (file) {
      file.stamp = stamp(path);
      file.current = reader.read(path);
    }
    return file;
  }

  public Path path() {
    return path;
  }

  /** What is in force. */
  public T current() {
    return current;
  }

  /** Why the last edit of the file was not taken, or null. */
  public String lastError() {
    return lastError;
  }

  /** Checks the file for an edit every {@code interval}, on a daemon thread, until closed. */
  public synchronized void checkEvery(Duration interval) {
    if (checker != null) {
      return;
    }
    checker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("strata-watch-" + what.replace(' ', '-')).factory());
    long every = Math.max(1, interval.toMillis());
    checker.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the file if it changed since it was last read or written: true when a new version was
   * taken. A version that does not read is reported once (not at every check) and not taken.
   */
  public synchronized boolean reloadIfChanged() {
    String now;
    try {
      now = stamp(path);
    } catch (IOException e) {
      refuse(e);
      return false;
    }
    if (now == null || now.equals(stamp)) {
      return false;
    }
    stamp = now;
    try {
      current = reader.read(path);
      lastError = null;
      LOG.infof("%s: the edited file %s is in force", what, path);
      return true;
    } catch (IOException | RuntimeException e) {
      refuse(e);
      return false;
    }
  }

  /**
   * A change through the service: {@code writer} writes the file (atomically) from what is in force
   * and returns the new content, which is then in force. Serialised with the checks, so an edit
   * read half-way through a write cannot replace it.
   */
  public synchronized T change(Writer<T> writer) throws IOException {
    T next = writer.write(current);
    current = next;
    stamp = stamp(path);
    lastError = null;
    return next;
  }

  @Override
  public synchronized void close() {
    if (checker != null) {
      checker.shutdownNow();
      checker = null;
    }
  }

  private void refuse(Exception e) {
    lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    LOG.warnf(
        "%s: the edited file %s is not taken, the version in force stays: %s",
        what, path, lastError);
  }

  /** Modification time and size, to notice an edit; null when the file does not exist. */
  private static String stamp(Path path) throws IOException {
    if (!Files.exists(path)) {
      return null;
    }
    return Files.getLastModifiedTime(path).toMillis() + "/" + Files.size(path);
  }
}
