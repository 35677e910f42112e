package org.strata.dicom.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Sockets this JVM has open (Linux: the socket entries of /proc/self/fd); -1 elsewhere. */
final class OpenSockets {
  private OpenSockets() {}

  static long count() {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    try (Stream<Path> s = Files.list(fds)) {
      return s.filter(OpenSockets::isSocket).count();
    } catch (IOException e) {
      return -1;
    }
  }

  private static boolean isSocket(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString().startsWith("socket:");
    } catch (IOException e) {
      return false; // closed meanwhile (e.g. the directory stream's own descriptor)
    }
  }
}
