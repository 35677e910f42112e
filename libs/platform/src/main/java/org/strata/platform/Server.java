package org.strata.platform;

import java.util.Map;

/** One real server of the platform. */
interface Server {
  String name();

  /** Starts the server and returns once its health check passes. */
  void start();

  void stop();

  /** Whether the running server passes its health check (what start-up waits for). */
  boolean ready() throws Exception;

  /** The running server's process, or null before {@link #start}. */
  ManagedProcess process();

  /** Resident memory of the server's processes in bytes, or -1. */
  long residentBytes();

  /** The configuration keys clients use to reach this server, with their values. */
  Map<String, String> addresses();
}
