package org.strata.platform;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A launcher like {@code PlatformMain}, for {@link LauncherEndTest}: starts the JDK's HTTP server
 * supervised, stops it from a shutdown hook, prints "ready" and waits to be ended. Arguments: port,
 * directory.
 */
final class SupervisedLauncher {
  private SupervisedLauncher() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    List<String> command = JdkWebServer.command(port, dir);
    ManagedProcess web =
        ManagedProcess.start("web", command, dir, dir.resolve("web.log"), Map.of(), "TERM", null);
    Waits.until(web, Duration.ofSeconds(60), () -> Ports.isOpen("127.0.0.1", port));
    web.supervise(RestartPolicy.DEFAULT, () -> Ports.isOpen("127.0.0.1", port));
    // PlatformMain's hook stops the services one by one before it reaches the platform's servers,
    // which got Ctrl-C's SIGINT directly and are long gone: this hook waits likewise.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Thread.sleep(3000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  web.stop(Duration.ofSeconds(20));
                }));
    System.out.println("ready " + web.server().orElseThrow().pid());
    Thread.sleep(Long.MAX_VALUE);
  }
}
