package org.strata.bench.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomOutputStream;
import org.strata.dicom.io.FrameIndex;
import org.strata.dicom.json.DicomJsonWriter;

/**
 * {@code make bench dicom}: the DICOM toolkit's JMH benchmarks with short, bounded iterations
 * (about a minute and a half in all), and DCMTK's dcmdump timed in the same run as a reference.
 * Prints a Markdown table for docs/performance.md.
 */
public final class DicomBench {

  static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

  private static final int FRAMES = 2048; // 512 x 512 x 16 bit = 512 KiB each: 1 GiB

  private DicomBench() {}

  public static void run(Path work) throws Exception {
    if (!Files.isRegularFile(SAMPLES.resolve("CT_small.dcm"))) {
      throw new IllegalStateException("pydicom samples missing: apt-get install python3-pydicom");
    }
    Path dir = work.resolve("dicom");
    Files.createDirectories(dir);
    List<String[]> rows = new ArrayList<>();

    // (a) header parse, one JVM, vs dcmdump processes
    for (RunResult r : jmh(HeaderParseBenchmark.class, List.of())) {
      String file = r.getParams().getParam("file");
      double perSecond = r.getPrimaryResult().getScore();
      rows.add(
          row(
              "header parse to Pixel Data, " + file + ", Strata (one JVM, JMH)",
              String.format(
                  "%,.0f files/s (%.1f µs each, ±%.0f%%)",
                  perSecond,
                  1e6 / perSecond,
                  100 * r.getPrimaryResult().getScoreError() / perSecond)));
    }
    int n = 200;
    double start = dcmdumpSeconds(n, "--version");
    for (String file : List.of("CT_small.dcm", "MR_small.dcm")) {
      double t =
          dcmdumpSeconds(n, "-q", "-M", "+sb", "7fe0,0010", SAMPLES.resolve(file).toString());
      rows.add(
          row(
              "header parse to Pixel Data, " + file + ", dcmdump -M +sb 7fe0,0010 (a process each)",
              String.format(
                  "%,.0f files/s (%.2f ms each; %.2f ms of it is process start: dcmdump --version)",
                  n / t, 1e3 * t / n, 1e3 * start / n)));
    }

    // (b) 1 GiB streaming with the heap capped at 64 MB
    Path big = dir.resolve("multiframe-1GiB.dcm");
    long size = generate(big);
    try {
      FrameIndex index = FrameIndex.build(big);
      if (index.frameCount() != FRAMES) {
        throw new IllegalStateException("frame index: " + index.frameCount() + " frames");
      }
      for (RunResult r :
          jmh(
              StreamingBenchmark.class,
              List.of("-Xmx64m", "-Dstrata.bench.dicom.big=" + big.toAbsolutePath()))) {
        double seconds = r.getPrimaryResult().getScore();
        String unit = r.getPrimaryResult().getScoreUnit();
        double s =
            unit.startsWith("ms") ? seconds / 1e3 : unit.startsWith("us") ? seconds / 1e6 : seconds;
        String label = r.getParams().getBenchmark().replaceAll(".*\\.", "");
        rows.add(
            row(
                "1 GiB multi-frame (" + FRAMES + " frames), " + label + ", -Xmx64m",
                String.format(
                    "%.0f MB/s (%.2f s per pass, completed; frame index of %d frames: %d bytes)",
                    size / 1e6 / s, s, FRAMES, index.toBytes().length)));
      }
    } finally {
      Files.deleteIfExists(big);
    }

    // (c) DICOM JSON of a 500-instance study
    StringWriter sample = new StringWriter();
    try (DicomJsonWriter w = new DicomJsonWriter(sample)) {
      w.startArray();
      for (Attributes ds : JsonStudyBenchmark.synthesize()) {
        w.write(ds);
      }
      w.endArray();
    }
    long chars = sample.toString().length();
    for (RunResult r : jmh(JsonStudyBenchmark.class, List.of())) {
      double ms = r.getPrimaryResult().getScore();
      rows.add(
          row(
              "DICOM JSON of a 500-instance CT study's metadata",
              String.format(
                  "%.1f ms per study (%,.0f instances/s, %.0f MB/s of JSON, %.1f MB in all)",
                  ms, 500 / (ms / 1e3), chars / 1e6 / (ms / 1e3), chars / 1e6)));
    }

    System.out.println("| measure | result |");
    System.out.println("|---|---|");
    for (String[] r : rows) {
      System.out.println("| " + r[0] + " | " + r[1] + " |");
    }
  }

  private static String[] row(String a, String b) {
    return new String[] {a, b};
  }

  private static Collection<RunResult> jmh(Class<?> benchmark, List<String> jvmArgs)
      throws Exception {
    ChainedOptionsBuilder b =
        new OptionsBuilder()
            .include(benchmark.getName() + "\\.")
            .forks(1)
            .shouldFailOnError(true)
            .jvmArgsAppend(jvmArgs.toArray(String[]::new));
    if (benchmark == StreamingBenchmark.class) {
      b.warmupIterations(2).measurementIterations(5);
    } else {
      b.warmupIterations(3)
          .warmupTime(TimeValue.seconds(2))
          .measurementIterations(5)
          .measurementTime(TimeValue.seconds(2));
    }
    return new Runner(b.build()).run();
  }

  /** Wall time of {@code n} dcmdump runs, one after the other. */
  private static double dcmdumpSeconds(int n, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("dcmdump"));
    cmd.addAll(List.of(args));
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("dcmdump failed: " + cmd);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Writes a 1 GiB 16-bit multi-frame object with the writer's streaming API. */
  private static long generate(Path file) throws IOException {
    Attributes ds = new Attributes();
    ds.setString(Tag.SOPClassUID, VR.UI, UID.MultiFrameGrayscaleWordSecondaryCaptureImageStorage);
    ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.1234.9.1");
    ds.setString(Tag.Modality, VR.CS, "OT");
    ds.setString(Tag.NumberOfFrames, VR.IS, Integer.toString(FRAMES));
    ds.set(Tag.SamplesPerPixel, VR.US, new byte[] {1, 0});
    ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
    ds.set(Tag.Rows, VR.US, new byte[] {0, 2});
    ds.set(Tag.Columns, VR.US, new byte[] {0, 2});
    ds.set(Tag.BitsAllocated, VR.US, new byte[] {16, 0});
    ds.set(Tag.BitsStored, VR.US, new byte[] {16, 0});
    ds.set(Tag.HighBit, VR.US, new byte[] {15, 0});
    ds.set(Tag.PixelRepresentation, VR.US, new byte[] {0, 0});
    long length = (long) FRAMES * 512 * 512 * 2;
    try (DicomOutputStream out =
        new DicomOutputStream(Files.newOutputStream(file), UID.ExplicitVRLittleEndian)) {
      out.writeFileMetaInformation(
          DicomOutputStream.fileMetaInformation(ds, null, UID.ExplicitVRLittleEndian));
      out.writeDataset(ds);
      out.writeHeader(Tag.PixelData, VR.OW, length);
      out.copyValue(new Pattern(length), length, VR.OW, false);
    }
    return Files.size(file);
  }

  /** A cheap deterministic byte pattern of a given length. */
  private static final class Pattern extends InputStream {
    private long left;

    Pattern(long length) {
      this.left = length;
    }

    @Override
    public int read() {
      return left-- > 0 ? (int) (left & 0xFF) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      for (int i = 0; i < n; i++) {
        b[off + i] = (byte) ((left - i) * 7);
      }
      left -= n;
      return n;
    }
  }
}
