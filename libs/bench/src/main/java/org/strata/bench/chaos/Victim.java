package org.strata.bench.chaos;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Something the suite kills: a service or a platform server, supervised by {@code libs/platform}
 * (the same supervision as {@code make run}), with its health check and its restart count.
 */
record Victim(
    String name,
    Supplier<Optional<ProcessHandle>> process,
    BooleanSupplier ready,
    IntSupplier restarts) {

  /** kill -9 of the server's own process (not its guard); returns its pid. */
  long kill() {
    ProcessHandle handle =
        process.get().orElseThrow(() -> new IllegalStateException(name + " is not running"));
    handle.destroyForcibly(); // SIGKILL
    return handle.pid();
  }
}
