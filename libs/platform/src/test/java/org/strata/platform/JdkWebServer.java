package org.strata.platform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JDK's own HTTP file server as a real child process with a real port, for the tests. */
final class JdkWebServer {
  private JdkWebServer() {}

  static List<String> command(int port, Path dir) {
    List<String> command = new ArrayList<>(KafkaBroker.java());
    command.addAll(
        List.of(
            "-Xmx32m",
            "-m",
            "jdk.httpserver",
            "-b",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-d",
            dir.toString(),
            "-o",
            "none"));
    return command;
  }
}
