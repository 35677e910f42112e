package org.strata.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervised local stack: a server killed with signal 9 comes back on its port, a stop request
 * stops it for good, and a crash loop is given up. The server is the JDK's own HTTP file server
 * ({@code java -m jdk.httpserver}), a real process with a real port.
 */
class SupervisorTest {
  private static final String HOST = "127.0.0.1";
  private static final RestartPolicy FAST =
      new RestartPolicy(Duration.ofMillis(200), Duration.ofSeconds(1), 3, Duration.ofMinutes(1));

  @TempDir Path dir;

  @Test
  void aServerKilledWithSignal9ComesBackOnItsPortAndAStopEndsItForGood() throws Exception {
    int port = Ports.resolve(0, HOST);
    ManagedProcess web = webServer(port);
    try {
      Waits.until(web, Duration.ofSeconds(60), () -> Ports.isOpen(HOST, port));
      web.supervise(FAST, () -> Ports.isOpen(HOST, port));
      ProcessHandle first = web.server().orElseThrow();

      first.destroyForcibly(); // SIGKILL, as kill -9

      awaitTrue(
          () ->
              web.restarts() == 1
                  && web.server().map(p -> p.pid() != first.pid()).orElse(false)
                  && Ports.isOpen(HOST, port));
      assertNotEquals(first.pid(), web.server().orElseThrow().pid());
      assertTrue(Ports.isOpen(HOST, port), "the restarted server answers on the same port");

      web.stop(Duration.ofSeconds(20));
      assertFalse(web.isAlive());
      // Longer than any backoff of the policy: a restart would have happened by now.
      Thread.sleep(3000);
      assertFalse(Ports.isOpen(HOST, port), "a stopped server stays stopped");
      assertEquals(1, web.restarts());
      assertFalse(web.gaveUp());
    } finally {
      web.stop(Duration.ofSeconds(20));
    }
  }

  @Test
  void aCrashLoopIsGivenUpAfterTheRestartsInARowThePolicyAllows() throws Exception {
    ManagedProcess crashing =
        ManagedProcess.start(
            "crashing",
            List.of("sh", "-c", "sleep 0.5; exit 3"),
            dir,
            dir.resolve("crashing.log"),
            Map.of(),
            "TERM",
            null);
    try {
      crashing.supervise(FAST, () -> false);
      awaitTrue(crashing::gaveUp);
      assertEquals(FAST.maxRestartsInARow(), crashing.restarts());
      assertFalse(crashing.isAlive());
    } finally {
      crashing.stop(Duration.ofSeconds(10));
    }
  }

  @Test
  void backoffDoublesUpToItsMaximum() {
    RestartPolicy policy =
        new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5), 10, Duration.ofMinutes(1));
    assertEquals(Duration.ofSeconds(1), policy.backoff(1));
    assertEquals(Duration.ofSeconds(2), policy.backoff(2));
    assertEquals(Duration.ofSeconds(4), policy.backoff(3));
    assertEquals(Duration.ofSeconds(5), policy.backoff(4));
    assertEquals(Duration.ofSeconds(5), policy.backoff(9));
  }

  private ManagedProcess webServer(int port) {
    return ManagedProcess.start(
        "web",
        JdkWebServer.command(port, dir),
        dir,
        dir.resolve("web.log"),
        Map.of(),
        "TERM",
        null);
  }

  /** Polls a condition for up to two minutes (a wait for an outcome, not a speed assertion). */
  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within two minutes");
      }
      Thread.sleep(100);
    }
  }
}
