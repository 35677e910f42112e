package org.strata.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DCMTK's storescu as a load generator: files split over parallel processes, one association each.
 */
public final class Storescu {
  private Storescu() {}

  /**
   * Sends every file with {@code procs} storescu processes at once and returns the wall-clock
   * seconds until all have ended; fails if one fails or hangs. Without {@code nodelay}, DCMTK's
   * {@code TCP_NODELAY} variable is removed (Nagle and delayed ACKs then slow DCMTK peers down).
   */
  public static double send(List<Path> files, int procs, String aet, int port, boolean nodelay)
      throws Exception {
    List<Process> ps = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int p = 0; p < procs; p++) {
      List<String> cmd = new ArrayList<>(List.of("storescu", "-aec", aet, "127.0.0.1", "" + port));
      for (int i = p; i < files.size(); i += procs) {
        cmd.add(files.get(i).toString());
      }
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      if (nodelay) {
        pb.environment().put("TCP_NODELAY", "1");
      } else {
        pb.environment().remove("TCP_NODELAY");
      }
      ps.add(pb.start());
    }
    for (Process p : ps) {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("storescu hung");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("storescu failed with " + p.exitValue());
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
