package org.strata.bench.chaos;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every answer a sender got, one tab-separated line each, written (and flushed) as it arrives: what
 * the archive promised, checked afterwards against what it holds.
 */
final class Ledger implements Closeable {
  enum Outcome {
    /** STOW-RS 200/202 naming the instance in ReferencedSOPSequence, or C-STORE success/warning. */
    ACKNOWLEDGED,
    /** Anything else while the instance was on its way: an error status or no answer at all. */
    REFUSED
  }

  /**
   * @param phase the victim killed during the phase the request was sent in
   * @param channel {@code STOW-RS} or {@code C-STORE}
   * @param detail the status or the exception, for the ledger file
   * @param sentAtNanos {@link System#nanoTime()} when the request was sent
   * @param answeredAtNanos {@link System#nanoTime()} when the answer (or the failure) arrived
   */
  record Entry(
      String phase,
      String channel,
      Outcome outcome,
      String study,
      String series,
      String sop,
      String datasetSha256,
      String detail,
      long sentAtNanos,
      long answeredAtNanos) {
    double seconds() {
      return (answeredAtNanos - sentAtNanos) / 1e9;
    }
  }

  private final BufferedWriter out;
  private final List<Entry> entries = new ArrayList<>();

  Ledger(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    out.write("phase\tchannel\toutcome\tstudy\tseries\tsop\tdataset_sha256\tdetail\tseconds\n");
  }

  synchronized void record(Entry e) {
    entries.add(e);
    try {
      out.write(
          String.join(
                  "\t",
                  e.phase(),
                  e.channel(),
                  e.outcome().name(),
                  e.study(),
                  e.series(),
                  e.sop(),
                  e.datasetSha256(),
                  e.detail().replaceAll("\\s+", " "),
                  String.format(java.util.Locale.ROOT, "%.3f", e.seconds()))
              + "\n");
      out.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
