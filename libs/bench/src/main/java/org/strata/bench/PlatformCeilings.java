package org.strata.bench;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.strata.events.Topics;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;

/**
 * The ceilings every ingest figure is compared with, measured in the same run: raw s3proxy PUT rate
 * through the MinIO SDK at the concurrencies ingest uses, and the latency of one synchronous
 * idempotent {@code acks=all} Kafka send. Nothing of Strata's own runs here but the platform.
 */
public final class PlatformCeilings {
  private static final int LARGE = 512 * 1024;
  private static final int SMALL = 2 * 1024;

  private PlatformCeilings() {}

  public static void run(Path workDir, Path dist, Path realm) throws Exception {
    Path dataDir = Files.createDirectories(workDir.resolve("platform-ceilings"));
    PlatformConfig config =
        PlatformConfig.forTests(dataDir, dist, realm, EnumSet.of(Component.KAFKA, Component.S3));
    try (Platform platform = Platform.start(config)) {
      System.out.println("| measure | concurrency | operations | result |");
      System.out.println("|---|---|---|---|");
      MinioClient s3 = platform.s3Client();
      s3Puts(s3, LARGE, 4, 100); // warm-up
      for (int threads : new int[] {1, 4, 8}) {
        report("s3proxy PUT 512 KB", threads, 400, s3Puts(s3, LARGE, threads, 400), LARGE);
      }
      s3Puts(s3, SMALL, 8, 500); // warm-up
      for (int threads : new int[] {8, 16}) {
        report("s3proxy PUT 2 KB", threads, 3000, s3Puts(s3, SMALL, threads, 3000), SMALL);
      }
      for (int linger : new int[] {0, 5}) {
        kafkaSyncSends(platform.kafkaBootstrapServers(), linger, 2000);
      }
    }
  }

  /** Seconds taken by {@code count} PUTs of {@code size} bytes from {@code threads} threads. */
  public static double s3Puts(MinioClient s3, int size, int threads, int count) throws Exception {
    byte[] body = new byte[size];
    new Random(42).nextBytes(body);
    AtomicInteger next = new AtomicInteger();
    String run = Long.toHexString(System.nanoTime());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                  s3.putObject(
                      PutObjectArgs.builder()
                          .bucket("strata-objects")
                          .object("bench/" + run + "/" + i)
                          .stream(new ByteArrayInputStream(body), size, -1)
                          .build());
                }
                return null;
              }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    return seconds;
  }

  private static void report(String what, int threads, int count, double seconds, int size) {
    System.out.printf(
        "| %s | %d | %d | %.0f PUT/s, %.1f MB/s |%n",
        what, threads, count, count / seconds, count * (double) size / seconds / 1e6);
  }

  /** p50/p99 of one synchronous send at a time, 1.5 KB records, as one STOW request would do. */
  static void kafkaSyncSends(String bootstrap, int lingerMs, int count) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    byte[] value = new byte[1536];
    String topic = Topics.all().get(0).name();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      for (int i = 0; i < 300; i++) { // warm-up
        producer.send(new ProducerRecord<>(topic, "study-" + (i % 97), value)).get();
      }
      long[] micros = new long[count];
      for (int i = 0; i < count; i++) {
        long t0 = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, "study-" + (i % 97), value)).get();
        micros[i] = (System.nanoTime() - t0) / 1000;
      }
      Arrays.sort(micros);
      System.out.printf(
          "| Kafka sync send, acks=all, idempotent, linger.ms=%d | 1 | %d | p50 %.2f ms, p99 %.2f"
              + " ms |%n",
          lingerMs, count, micros[count / 2] / 1000.0, micros[count * 99 / 100] / 1000.0);
    }
  }
}
