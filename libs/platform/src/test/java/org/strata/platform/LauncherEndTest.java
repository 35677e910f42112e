package org.strata.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Supervision must not outlive its launcher: Ctrl-C (SIGINT to the launcher's whole process group,
 * the supervised server included) stops everything without a restart, and a launcher killed with
 * signal 9 leaves nothing running.
 */
class LauncherEndTest {
  @TempDir Path dir;
  private Process launched;

  /** A failed test must not leave its launcher and server running: kill their process group. */
  @AfterEach
  void killWhatIsLeft() throws Exception {
    if (launched != null && launched.isAlive()) {
      new ProcessBuilder("kill", "-KILL", "--", "-" + launched.pid()).inheritIO().start().waitFor();
    }
  }

  @Test
  void ctrlCStopsTheSupervisedServerWithoutRestartingIt() throws Exception {
    int port = Ports.resolve(0, "127.0.0.1");
    Process launcher = launch(port);
    long server = awaitReady(launcher);

    // Ctrl-C in a terminal: SIGINT to every process of the foreground group.
    signal("-INT", "-" + launcher.pid());

    assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the launcher ends");
    awaitGone(server);
    // Longer than the first backoff: a restart would have happened by now.
    Thread.sleep(3000);
    assertFalse(Ports.isOpen("127.0.0.1", port), "nothing listens after Ctrl-C");
    String output = Files.readString(dir.resolve("launcher.out"), StandardCharsets.UTF_8);
    assertFalse(output.contains("restarting"), output);
  }

  @Test
  void aLauncherKilledWithSignal9LeavesNothingRunning() throws Exception {
    int port = Ports.resolve(0, "127.0.0.1");
    Process launcher = launch(port);
    long server = awaitReady(launcher);

    launcher.destroyForcibly(); // SIGKILL: no shutdown hook runs

    assertTrue(launcher.waitFor(60, TimeUnit.SECONDS));
    awaitGone(server);
    Thread.sleep(3000);
    assertFalse(Ports.isOpen("127.0.0.1", port), "nothing listens after the launcher died");
  }

  /**
   * The launcher in a session (and process group) of its own, as a terminal would run it: with
   * SIGINT at its default. A test run from a background job inherits SIGINT ignored, an ignored
   * signal stays ignored across exec, and a JVM started so never sees Ctrl-C; perl (Debian's
   * essential perl-base) restores the default and execs the JVM under the same process id.
   */
  private Process launch(int port) throws IOException {
    Path out = dir.resolve("launcher.out");
    launched =
        new ProcessBuilder(
                List.of(
                    "setsid",
                    "perl",
                    "-e",
                    "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die \"exec: $!\\n\";",
                    ProcessHandle.current().info().command().orElse("java"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    SupervisedLauncher.class.getName(),
                    Integer.toString(port),
                    dir.toString()))
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    return launched;
  }

  private long awaitReady(Process launcher) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    Path out = dir.resolve("launcher.out");
    while (System.nanoTime() < deadline && launcher.isAlive()) {
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(Files.newInputStream(out), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("ready ")) {
            return Long.parseLong(line.substring(6).trim());
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "launcher not ready: " + Files.readString(out, StandardCharsets.UTF_8));
  }

  private static void awaitGone(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("server process " + pid + " still running");
      }
      Thread.sleep(100);
    }
  }

  private static void signal(String signal, String target) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, "--", target).inheritIO().start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill " + signal);
  }
}
