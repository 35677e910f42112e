package org.strata.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server process started by the platform, tied to the life of the JVM that started it.
 *
 * <p>Every command runs under a small shell guard that reads the pipe from this JVM: when this JVM
 * ends for any reason, even {@code kill -9}, the pipe closes and the guard stops the server. So a
 * crashed test run or an interrupted {@code make run} never leaves a broker or database behind. The
 * guard also turns the stop request into the signal the server expects (PostgreSQL wants SIGINT for
 * a fast shutdown; SIGTERM would wait for every client).
 *
 * <p>Once {@link #supervise supervised}, a process that exits without {@link #stop} is started
 * again with the same command (same ports, same data) by a {@link Supervisor}.
 */
final class ManagedProcess {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);

  // A background job's stdin is /dev/null in a non-interactive shell, so the pipe is kept as fd 3.
  private static final String GUARD =
      """
      sig="$1"; shift
      exec 3<&0
      "$@" </dev/null 3<&- &
      child=$!
      echo "$child" > "$STRATA_PID_FILE"
      trap 'kill -s "$sig" "$child" 2>/dev/null' TERM INT HUP
      ( cat <&3 >/dev/null; kill -s "$sig" "$child" 2>/dev/null ) &
      rc=0
      while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
      exit "$rc"
      """;

  private final String name;
  private final ProcessBuilder builder;
  private final Path logFile;
  private final Path pidFile;
  private volatile Process process;
  private volatile boolean stopRequested;
  private volatile Supervisor supervisor;

  private ManagedProcess(String name, ProcessBuilder builder, Path logFile, Path pidFile)
      throws IOException {
    this.name = name;
    this.builder = builder;
    this.logFile = logFile;
    this.pidFile = pidFile;
    this.process = builder.start();
  }

  /**
   * Starts {@code command} in {@code workDir}, output appended to {@code logFile}.
   *
   * @param stopSignal the signal the guard sends to stop the server (TERM, INT)
   * @param asUser run as this system user (PostgreSQL refuses root), or null
   */
  static ManagedProcess start(
      String name,
      List<String> command,
      Path workDir,
      Path logFile,
      Map<String, String> env,
      String stopSignal,
      String asUser) {
    try {
      Files.createDirectories(logFile.getParent());
      Files.createDirectories(workDir);
      Path pidFile = logFile.resolveSibling(name + ".pid");
      killLeftover(name, pidFile);
      List<String> full = new ArrayList<>();
      if (asUser != null) {
        full.addAll(List.of("runuser", "-u", asUser, "--"));
      }
      full.addAll(List.of("sh", "-c", GUARD, "strata-guard", stopSignal));
      full.addAll(command);
      ProcessBuilder builder = new ProcessBuilder(full).directory(workDir.toFile());
      builder.environment().putAll(env);
      builder.environment().put("STRATA_PID_FILE", pidFile.toString());
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      LOG.debug("starting {}: {}", name, command);
      return new ManagedProcess(name, builder, logFile, pidFile);
    } catch (IOException e) {
      throw new PlatformException("cannot start " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * A server left running by an earlier JVM that could not stop it (its guard normally does): stop
   * it before starting a new one on the same data directory.
   */
  private static void killLeftover(String name, Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return;
    }
    String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
    Files.deleteIfExists(pidFile);
    if (text.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> old = ProcessHandle.of(Long.parseLong(text));
    if (old.isPresent() && old.get().isAlive()) {
      LOG.warn("{}: stopping a leftover process {} from an earlier run", name, text);
      old.get().destroy();
      try {
        old.get().onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        old.get().destroyForcibly();
      }
    }
  }

  /**
   * From now on, restarts the process whenever it exits without {@link #stop} (same command, same
   * ports, same data), by {@code policy}; {@code ready} is its health check, logged once it passes
   * again.
   */
  void supervise(RestartPolicy policy, java.util.concurrent.Callable<Boolean> ready) {
    Supervisor s = new Supervisor(this, policy, ready);
    supervisor = s;
    s.watch(process);
  }

  /** How often the supervisor restarted the process (0 when not supervised). */
  int restarts() {
    Supervisor s = supervisor;
    return s == null ? 0 : s.restarts();
  }

  /** True once the supervisor stopped restarting a crash-looping process. */
  boolean gaveUp() {
    Supervisor s = supervisor;
    return s != null && s.gaveUp();
  }

  /**
   * Starts the command again after the process exited on its own; false (and nothing started) once
   * {@link #stop} was called.
   */
  synchronized Optional<Process> relaunch() throws IOException {
    if (stopRequested) {
      return Optional.empty();
    }
    closePipe(process);
    killLeftover(name, pidFile);
    process = builder.start();
    return Optional.of(process);
  }

  boolean stopRequested() {
    return stopRequested;
  }

  /**
   * The server's own process id (the guard's child) as the guard wrote it, if it is running: what a
   * fault-injection test kills.
   */
  Optional<ProcessHandle> server() {
    try {
      String text = Files.readString(pidFile, StandardCharsets.US_ASCII).trim();
      return text.isEmpty()
          ? Optional.empty()
          : ProcessHandle.of(Long.parseLong(text)).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  String name() {
    return name;
  }

  Path logFile() {
    return logFile;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines of the server's log, for error messages. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Asks the guard to stop the server, waits, then kills whatever is left. A supervised process
   * stays stopped.
   */
  void stop(Duration timeout) {
    synchronized (this) {
      stopRequested = true;
    }
    if (!process.isAlive()) {
      closePipe(process);
      return;
    }
    // Closing the pipe is the guard's stop request; it works even through runuser.
    closePipe(process);
    awaitExit(timeout);
  }

  /**
   * Closes the pipe to a guard: its stop request, and for a guard whose server already exited the
   * end of its pipe watcher.
   */
  private static void closePipe(Process guard) {
    try (OutputStream in = guard.getOutputStream()) {
      in.flush();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /** Waits for the process (after the server was told to stop by other means). */
  void awaitExit(Duration timeout) {
    Process process = this.process;
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} did not stop within {}; killing it", name, timeout);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException ignored) {
      // a stale pid file is checked against a live process before use
    }
  }

  /** Resident memory of the server process tree in bytes, from /proc; -1 when not readable. */
  long residentBytes() {
    return process.descendants().mapToLong(ManagedProcess::rss).filter(v -> v > 0).sum();
  }

  private static long rss(ProcessHandle handle) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", handle.pid() + "", "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
