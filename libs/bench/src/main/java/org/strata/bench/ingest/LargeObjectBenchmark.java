package org.strata.bench.ingest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.ServiceProcess;

/**
 * {@code make bench large}: one multi-frame object of about 2 GB (default 4,000 frames of 512x512
 * 16-bit; {@code -Dstrata.bench.large.frames}) stored with STOW-RS into an ingest service whose
 * heap is capped at 256 MB, while its heap use is sampled from its metrics every 100 ms. The object
 * is generated as it is sent, so the client holds no copy either.
 */
public final class LargeObjectBenchmark {
  private static final Pattern HEAP =
      Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*}\\s+([0-9.eE+-]+)");

  private LargeObjectBenchmark() {}

  public static void run(Path work, Path dist, Path realm, Path serviceJar) throws Exception {
    int frames = Integer.getInteger("strata.bench.large.frames", 4000);
    Path dir = Files.createDirectories(work.resolve("large"));
    byte[] header = SyntheticInstances.multiFrameHeader(512, 512, frames, 21);
    long pixels = 2L * 512 * 512 * frames;
    long size = header.length + pixels;

    System.out.println("| what | result |");
    System.out.println("|---|---|");
    PlatformConfig config =
        PlatformConfig.forTests(
            dir.resolve("strata"), dist, realm, EnumSet.of(Component.KAFKA, Component.S3));
    try (Platform platform = Platform.start(config)) {
      Map<String, String> env = new HashMap<>(platform.addresses());
      env.put("strata.ingest.read-your-writes.enabled", "false");
      ServiceProcess ingest = new ServiceProcess("ingest", freePort(), serviceJar).maxHeap("256m");
      ingest.start(dir.resolve("strata"), env);
      AtomicLong peakHeap = new AtomicLong();
      AtomicLong samples = new AtomicLong();
      Thread sampler =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    HttpClient http = HttpClient.newHttpClient();
                    HttpRequest metrics =
                        HttpRequest.newBuilder(URI.create(ingest.url() + "/q/metrics")).build();
                    while (!Thread.currentThread().isInterrupted()) {
                      try {
                        String body =
                            http.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
                        long used = 0;
                        Matcher m = HEAP.matcher(body);
                        while (m.find()) {
                          used += (long) Double.parseDouble(m.group(1));
                        }
                        peakHeap.accumulateAndGet(used, Math::max);
                        samples.incrementAndGet();
                        Thread.sleep(100);
                      } catch (InterruptedException e) {
                        return;
                      } catch (Exception e) {
                        // a missed sample; keep sampling
                      }
                    }
                  });
      try {
        Thread.sleep(1500); // baseline samples before the upload
        long baseline = peakHeap.get();
        String boundary = "strata-large-object-boundary";
        byte[] head =
            ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long t0 = System.nanoTime();
        HttpResponse<String> response =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(ingest.url() + "/dicomweb/studies"))
                        .timeout(Duration.ofMinutes(30))
                        .header(
                            "Content-Type",
                            "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                        .POST(
                            HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(
                                    () ->
                                        new SequenceInputStream(
                                            Collections.enumeration(
                                                List.of(
                                                    new ByteArrayInputStream(head),
                                                    new ByteArrayInputStream(header),
                                                    new GeneratedBytes(pixels),
                                                    new ByteArrayInputStream(tail))))),
                                head.length + size + tail.length))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Thread.sleep(500);
        sampler.interrupt();
        System.out.printf("| object | %,d bytes (%d frames of 512x512x16 bit) |%n", size, frames);
        System.out.printf(
            "| STOW-RS answer | HTTP %d after %.1f s, %.0f MB/s end to end |%n",
            response.statusCode(), seconds, size / 1e6 / seconds);
        System.out.printf(
            "| ingest heap (-Xmx256m), sampled every 100 ms | before %d MB, peak %d MB (%d samples) |%n",
            baseline / (1 << 20), peakHeap.get() / (1 << 20), samples.get());
        System.out.printf(
            "| ingest resident memory after | %d MB |%n", ingest.residentBytes() / (1 << 20));
        if (response.statusCode() != 200 && response.statusCode() != 202) {
          System.out.println("| response | " + response.body().replace('|', '/') + " |");
        }
      } finally {
        sampler.interrupt();
        ingest.stop();
      }
    }
  }

  /** {@code length} pseudo-random bytes made on the fly (a 1 MiB block repeated). */
  private static final class GeneratedBytes extends InputStream {
    private final byte[] block = new byte[1 << 20];
    private long left;

    GeneratedBytes(long length) {
      new Random(7).nextBytes(block);
      this.left = length;
    }

    @Override
    public int read() {
      if (left <= 0) {
        return -1;
      }
      return block[(int) (left-- % block.length)] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      int pos = (int) ((left) % block.length);
      n = Math.min(n, block.length - pos);
      System.arraycopy(block, pos, b, off, n);
      left -= n;
      return n;
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
