package org.strata.bench.dimse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.strata.bench.Storescu;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.io.DicomOutputStream;
import org.strata.dicom.net.DicomServer;
import org.strata.dicom.net.DimseRegistry;
import org.strata.dicom.net.Status;

/**
 * {@code make bench dimse}: C-STORE throughput of Strata's {@link DicomServer} (a handler that
 * streams each data set to a Part 10 file, as storescp does) against DCMTK's storescp receiving the
 * same files into a directory, in the same run. The sender is DCMTK's storescu for both: one
 * association, four parallel storescu processes (the files split in four), and one association
 * without TCP_NODELAY=1 for reference. Prints a Markdown table for docs/performance.md.
 */
public final class DimseBench {
  static final int N = 300;
  static final int ROUNDS = 3;

  private DimseBench() {}

  public static void run(Path work) throws Exception {
    for (String tool : List.of("storescu", "storescp")) {
      if (!Files.isExecutable(Path.of("/usr/bin", tool))) {
        throw new IllegalStateException(tool + " missing: apt-get install dcmtk");
      }
    }
    Path dir = work.resolve("dimse");
    Path src = Files.createDirectories(dir.resolve("src"));
    List<Path> files = generate(src);
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    Path ours = Files.createDirectories(dir.resolve("ours"));
    Path theirs = Files.createDirectories(dir.resolve("storescp"));

    AtomicInteger counter = new AtomicInteger();
    DimseRegistry registry =
        new DimseRegistry()
            .registerStorage(
                (rq, data) -> {
                  Path f = ours.resolve(rq.sopInstanceUid() + ".dcm");
                  try (OutputStream out = Files.newOutputStream(f)) {
                    out.write(
                        part10Header(rq.sopClassUid(), rq.sopInstanceUid(), rq.transferSyntax()));
                    data.transferTo(out);
                  }
                  counter.incrementAndGet();
                  return Status.SUCCESS;
                });
    List<String[]> rows = new ArrayList<>();
    try (DicomServer server =
        DicomServer.builder()
            .bind("127.0.0.1", 0)
            .storageAE("STRATA")
            .registry(registry)
            .build()
            .start()) {
      int ourPort = server.port();
      int scpPort = freePort();
      // --fork: a process per association, so that parallel senders are served in parallel;
      // TCP_NODELAY=1: otherwise each C-STORE-RSP of storescp waits for a delayed ACK
      ProcessBuilder spb =
          new ProcessBuilder(
                  "storescp", "--fork", "-aet", "STORESCP", "-od", theirs.toString(), "" + scpPort)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("storescp.log").toFile());
      spb.environment().put("TCP_NODELAY", "1");
      Process storescp = spb.start();
      try {
        awaitListening(scpPort, storescp);
        // warm-up (JIT, page cache) on both receivers, not measured
        send(files, 1, "STRATA", ourPort, true, ours);
        send(files, 1, "STORESCP", scpPort, true, theirs);
        for (int[] cfg : new int[][] {{1, 1}, {4, 1}, {1, 0}}) {
          int procs = cfg[0];
          boolean nodelay = cfg[1] == 1;
          double[] s = new double[ROUNDS];
          double[] d = new double[ROUNDS];
          for (int r = 0; r < ROUNDS; r++) {
            s[r] = send(files, procs, "STRATA", ourPort, nodelay, ours);
            d[r] = send(files, procs, "STORESCP", scpPort, nodelay, theirs);
          }
          String label =
              (procs == 1 ? "1 association" : procs + " parallel storescu, 1 association each")
                  + (nodelay ? "" : ", sender without TCP_NODELAY=1");
          rows.add(
              new String[] {
                label,
                figures(median(s), bytes),
                figures(median(d), bytes),
                String.format("%.2f", median(d) / median(s))
              });
        }
      } finally {
        storescp.destroy();
        storescp.waitFor(10, TimeUnit.SECONDS);
      }
    }
    System.out.printf(
        "%d CT instances of 512 x 512 x 16 bit (%.1f MB), explicit VR little endian, sent by DCMTK"
            + " storescu over loopback; median of %d rounds, each receiver writes every instance to"
            + " a file.%n%n",
        N, bytes / 1e6, ROUNDS);
    System.out.println("| storescu | Strata DicomServer | DCMTK storescp | Strata / storescp |");
    System.out.println("| --- | --- | --- | --- |");
    for (String[] r : rows) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
  }

  private static String figures(double seconds, long bytes) {
    return String.format("%,.0f instances/s, %,.0f MB/s", N / seconds, bytes / 1e6 / seconds);
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  /**
   * Sends every file with {@code procs} storescu processes at once; returns the wall-clock seconds
   * until all have ended, after checking that each receiver got all {@link #N} files (then
   * deleted).
   */
  private static double send(
      List<Path> files, int procs, String aet, int port, boolean nodelay, Path received)
      throws Exception {
    double seconds = Storescu.send(files, procs, aet, port, nodelay);
    List<Path> got;
    try (Stream<Path> s = Files.list(received)) {
      got = s.toList();
    }
    if (got.size() != files.size()) {
      throw new IllegalStateException(
          aet + " received " + got.size() + " files instead of " + files.size());
    }
    for (Path f : got) {
      Files.delete(f);
    }
    return seconds;
  }

  private static byte[] part10Header(String sopClass, String sopInstance, String ts)
      throws IOException {
    Attributes ids = new Attributes();
    ids.setString(Tag.SOPClassUID, VR.UI, sopClass);
    ids.setString(Tag.SOPInstanceUID, VR.UI, sopInstance);
    ByteArrayOutputStream b = new ByteArrayOutputStream(256);
    try (DicomOutputStream dos = new DicomOutputStream(b, ts)) {
      dos.writeFileMetaInformation(DicomOutputStream.fileMetaInformation(ids, null, ts));
    }
    return b.toByteArray();
  }

  /** N CT instances, 512 x 512 x 16 bit, explicit VR little endian (generated once). */
  static List<Path> generate(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    byte[] pixels = new byte[512 * 512 * 2];
    for (int i = 0; i < N; i++) {
      Path f = dir.resolve(String.format("ct%04d.dcm", i));
      files.add(f);
      if (Files.exists(f)) {
        continue;
      }
      for (int p = 0; p < pixels.length; p += 2) {
        int v = (p / 2 * 31 + i * 7) & 0x0FFF;
        pixels[p] = (byte) v;
        pixels[p + 1] = (byte) (v >>> 8);
      }
      Attributes ds = new Attributes();
      ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
      ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.4242." + i);
      ds.setString(Tag.Modality, VR.CS, "CT");
      ds.setString(Tag.PatientName, VR.PN, "BENCH^DIMSE");
      ds.setString(Tag.PatientID, VR.LO, "BENCH");
      ds.setString(Tag.StudyInstanceUID, VR.UI, "2.25.4242");
      ds.setString(Tag.SeriesInstanceUID, VR.UI, "2.25.4242.1");
      ds.setString(Tag.InstanceNumber, VR.IS, Integer.toString(i + 1));
      ds.set(Tag.SamplesPerPixel, VR.US, new byte[] {1, 0});
      ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
      ds.set(Tag.Rows, VR.US, new byte[] {0, 2});
      ds.set(Tag.Columns, VR.US, new byte[] {0, 2});
      ds.set(Tag.BitsAllocated, VR.US, new byte[] {16, 0});
      ds.set(Tag.BitsStored, VR.US, new byte[] {12, 0});
      ds.set(Tag.HighBit, VR.US, new byte[] {11, 0});
      ds.set(Tag.PixelRepresentation, VR.US, new byte[] {0, 0});
      ds.set(Tag.PixelData, VR.OW, pixels);
      DicomOutputStream.writeFile(f, null, ds, UID.ExplicitVRLittleEndian);
    }
    files.sort(Comparator.naturalOrder());
    return files;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void awaitListening(int port, Process p) throws Exception {
    for (int i = 0; i < 100; i++) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return;
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new IllegalStateException("storescp ended with " + p.exitValue());
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("storescp did not come up");
  }
}
