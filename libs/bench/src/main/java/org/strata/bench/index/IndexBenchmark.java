package org.strata.bench.index;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.strata.events.EventCodec;
import org.strata.events.InstanceIndexed;
import org.strata.events.InstanceStored;
import org.strata.events.ObjectLocation;
import org.strata.events.Topics;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.ServiceProcess;

/**
 * {@code make bench index}: the index service's sustained rate from a pre-filled topic, its lag
 * (InstanceStored sent to InstanceIndexed received) at a steady ingest rate, and PostgreSQL bytes
 * per instance. The service runs as packaged, on the real platform.
 */
public final class IndexBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] MODALITIES = {"CT", "MR", "CR", "US", "MG"};

  private IndexBenchmark() {}

  public static void run(Path work, Path dist, Path realm, Path serviceJar) throws Exception {
    int prefill = Integer.getInteger("strata.bench.index.events", 100_000);
    int rate = Integer.getInteger("strata.bench.index.rate", 150);
    int seconds = Integer.getInteger("strata.bench.index.seconds", 20);
    long bulkTarget = Long.getLong("strata.bench.index.bulk-instances", 1_000_000L);
    Path dataDir = Files.createDirectories(work.resolve("index"));
    PlatformConfig config =
        PlatformConfig.forTests(
            dataDir, dist, realm, EnumSet.of(Component.KAFKA, Component.POSTGRES));
    try (Platform platform = Platform.start(config);
        KafkaProducer<String, byte[]> producer = producer(platform, 5)) {
      // 1. A pre-filled topic, then the service started on it: the sustained indexing rate.
      long t0 = System.nanoTime();
      List<InstanceStored> events = studies(prefill, Instant.now());
      for (InstanceStored e : events) {
        producer.send(
            new ProducerRecord<>(Topics.INSTANCE_STORED.name(), e.key(), EventCodec.encode(e)));
      }
      producer.flush();
      double produceSeconds = (System.nanoTime() - t0) / 1e9;

      ServiceProcess service = new ServiceProcess("index", freePort(), serviceJar);
      service.start(dataDir, platform.addresses());
      try {
        long t1 = System.nanoTime();
        awaitCount(platform, prefill, Duration.ofMinutes(30));
        double indexSeconds = (System.nanoTime() - t1) / 1e9;
        long bytes = databaseBytes(platform);

        // 2. A steady rate with the service caught up: lag from send to InstanceIndexed.
        double[] lags = steadyRateLag(platform, rate, seconds);

        System.out.println("| measure | result |");
        System.out.println("|---|---|");
        System.out.printf(
            "| events produced to strata.instance.stored | %d in %.1f s |%n",
            prefill, produceSeconds);
        System.out.printf(
            "| sustained indexing from a pre-filled topic | %.0f instances/s (%d in %.1f s) |%n",
            prefill / indexSeconds, prefill, indexSeconds);
        System.out.printf(
            "| PostgreSQL size (tables and indexes) / instance at %d instances | %.0f bytes |%n",
            prefill, bytes / (double) prefill);
        System.out.printf(
            "| lag InstanceStored sent -> InstanceIndexed received, %d/s for %d s | p50 %.0f ms,"
                + " p99 %.0f ms, max %.0f ms |%n",
            rate, seconds, lags[0], lags[1], lags[2]);
        System.out.printf(
            "| index service resident memory after the run | %d MB |%n",
            service.residentBytes() / (1024 * 1024));
        // 3. The tables filled to a million instances: PostgreSQL bytes per instance at scale.
        long bulkSeconds = 0;
        double bytesAtScale = Double.NaN;
        long instancesAtScale = 0;
        if (bulkTarget > prefill) {
          service.stop();
          long t2 = System.nanoTime();
          try (Connection c =
              DriverManager.getConnection(
                  platform.jdbcUrl("strata"),
                  platform.postgresUser(),
                  platform.postgresPassword())) {
            BulkFill.fill(c, bulkTarget);
          }
          bulkSeconds = (System.nanoTime() - t2) / 1_000_000_000L;
          instancesAtScale = Long.parseLong(query(platform, "select count(*) from instance"));
          bytesAtScale = databaseBytes(platform) / (double) instancesAtScale;
        }
        if (instancesAtScale > 0) {
          System.out.printf(
              "| PostgreSQL size (tables and indexes) / instance at %d instances (bulk-filled in"
                  + " %d s) | %.0f bytes |%n",
              instancesAtScale, bulkSeconds, bytesAtScale);
        }
      } finally {
        service.stop();
      }
    }
  }

  /** Studies of 2 series x 50 instances with realistic index attributes. */
  static List<InstanceStored> studies(int count, Instant at) {
    List<InstanceStored> events = new ArrayList<>(count);
    String run = Long.toString(System.nanoTime());
    for (int i = 0; i < count; i++) {
      int study = i / 100;
      int series = (i / 50) % 2;
      String studyUid = "2.25." + run + "." + study;
      String seriesUid = studyUid + "." + (series + 1);
      String modality = MODALITIES[study % MODALITIES.length];
      ObjectNode attrs = JSON.createObjectNode();
      put(attrs, "00100010", "PN", JSON.createObjectNode().put("Alphabetic", "Patient^" + study));
      put(attrs, "00100030", "DA", JSON.getNodeFactory().textNode("19600101"));
      put(attrs, "00100040", "CS", JSON.getNodeFactory().textNode(study % 2 == 0 ? "F" : "M"));
      put(attrs, "00081030", "LO", JSON.getNodeFactory().textNode(modality + " study"));
      put(attrs, "0008103E", "LO", JSON.getNodeFactory().textNode("series " + series));
      put(attrs, "00200011", "IS", JSON.getNodeFactory().numberNode(series + 1));
      put(attrs, "00200013", "IS", JSON.getNodeFactory().numberNode(i % 50 + 1));
      put(attrs, "00080030", "TM", JSON.getNodeFactory().textNode("101500"));
      String sop = seriesUid + "." + (i % 50 + 1);
      events.add(
          new InstanceStored(
              UUID.randomUUID().toString(),
              at,
              "bench",
              studyUid,
              seriesUid,
              sop,
              "1.2.840.10008.5.1.4.1.1.2",
              "1.2.840.10008.1.2.1",
              "PID" + study,
              "BENCH",
              "ACC" + study,
              modality,
              "20250102",
              new ObjectLocation(
                  "strata-objects",
                  "bench/" + studyUid + "/" + seriesUid + "/" + sop,
                  524_288,
                  "0".repeat(64),
                  "bench/" + sop + ".json",
                  "bench/" + sop + ".frames"),
              new InstanceStored.Source(
                  InstanceStored.Channel.STOWRS, null, null, "127.0.0.1", "bench"),
              1,
              attrs));
    }
    return events;
  }

  private static void put(
      ObjectNode root, String tag, String vr, com.fasterxml.jackson.databind.JsonNode v) {
    root.set(
        tag, JSON.createObjectNode().put("vr", vr).set("Value", JSON.createArrayNode().add(v)));
  }

  private static double[] steadyRateLag(Platform platform, int rate, int seconds) throws Exception {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<Long> lagsMs = new ArrayList<>();
    int total = rate * seconds;
    try (KafkaProducer<String, byte[]> producer = producer(platform, 0);
        KafkaConsumer<String, byte[]> consumer = consumer(platform)) {
      consumer.subscribe(List.of(Topics.INSTANCE_INDEXED.name()));
      // Join the group and skip what the pre-fill produced before sending.
      long joinDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.assignment().isEmpty() && System.nanoTime() < joinDeadline) {
        consumer.poll(Duration.ofMillis(200));
      }
      consumer.seekToEnd(consumer.assignment());
      consumer.poll(Duration.ofMillis(100));
      List<InstanceStored> events = studies(total, Instant.now());
      long start = System.nanoTime();
      long intervalNanos = 1_000_000_000L / rate;
      int sent = 0;
      long deadline = start + Duration.ofSeconds(seconds + 60).toNanos();
      while (lagsMs.size() < total && System.nanoTime() < deadline) {
        long due = start + sent * intervalNanos;
        while (sent < total && System.nanoTime() >= due) {
          InstanceStored e = events.get(sent);
          sentAt.put(e.sopInstanceUid(), System.nanoTime());
          producer.send(
              new ProducerRecord<>(Topics.INSTANCE_STORED.name(), e.key(), EventCodec.encode(e)));
          sent++;
          due = start + sent * intervalNanos;
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(2))) {
          InstanceIndexed indexed = EventCodec.decode(r.value(), InstanceIndexed.class);
          Long t = sentAt.remove(indexed.sopInstanceUid());
          if (t != null) {
            lagsMs.add((System.nanoTime() - t) / 1_000_000);
          }
        }
      }
    }
    long[] sorted = lagsMs.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return new double[] {Double.NaN, Double.NaN, Double.NaN};
    }
    return new double[] {
      sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)], sorted[sorted.length - 1]
    };
  }

  private static void awaitCount(Platform platform, int count, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String n = query(platform, "select count(*) from instance where tenant = 'bench'");
      if (n != null && Long.parseLong(n) >= count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("index did not reach " + count + " instances in " + timeout);
  }

  private static long databaseBytes(Platform platform) throws Exception {
    return Long.parseLong(
        query(
            platform,
            "select sum(pg_total_relation_size(c.oid)) from pg_class c join pg_namespace n on"
                + " n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'"));
  }

  private static String query(Platform platform, String sql) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                platform.jdbcUrl("strata"), platform.postgresUser(), platform.postgresPassword());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static KafkaProducer<String, byte[]> producer(Platform platform, int lingerMs) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static KafkaConsumer<String, byte[]> consumer(Platform platform) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
