package org.strata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.strata.events.Topics;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.PlatformProbe;

/**
 * A platform of its own (not the shared one): stopping it leaves no process and no open port
 * behind, and starting it again on the same data directory shows the same data, as {@code make run}
 * does across restarts.
 */
class PlatformLifecycleTest {

  @Test
  void stopLeavesNothingRunningAndRestartKeepsTheData() throws Exception {
    Path dataDir = Files.createTempDirectory(Path.of("target"), "lifecycle-");
    Set<Component> components = Set.of(Component.KAFKA, Component.POSTGRES, Component.S3);
    PlatformConfig config = PlatformConfig.forTests(dataDir, dist(), realm(), components);
    long baseline = ProcessHandle.current().descendants().count();

    String topic = Topics.all().get(0).name();
    List<String> ports;
    PlatformConfig used;
    try (Platform platform = Platform.start(config)) {
      used = platform.config();
      ports = List.copyOf(platform.addresses().values());
      PlatformProbe probe = new PlatformProbe(platform);
      probe.postgresExecute(
          "create table lifecycle(v text); insert into lifecycle values ('kept')");
      platform
          .s3Client()
          .putObject(
              PutObjectArgs.builder().bucket("strata-objects").object("kept").stream(
                      new ByteArrayInputStream(new byte[] {1, 2, 3}), 3, -1)
                  .build());
      try (KafkaProducer<String, String> producer = producer(platform)) {
        producer.send(new ProducerRecord<>(topic, 0, "key", "kept")).get();
      }
      assertTrue(ProcessHandle.current().descendants().count() > baseline);
    }
    assertEquals(
        baseline,
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count(),
        "processes left after close");
    for (String address : ports) {
      if (address.matches("https?://127\\.0\\.0\\.1:\\d+")
          || address.matches("127\\.0\\.0\\.1:\\d+")) {
        int port = Integer.parseInt(address.replaceAll(".*:", ""));
        assertFalse(isOpen(port), "port still open after close: " + address);
      }
    }

    // The same data directory and configuration again, as a second `make run` would use.
    try (Platform platform = Platform.start(used)) {
      assertEquals("kept", new PlatformProbe(platform).postgresQuery("select v from lifecycle"));
      assertEquals(
          3,
          platform
              .s3Client()
              .statObject(StatObjectArgs.builder().bucket("strata-objects").object("kept").build())
              .size());
      try (KafkaConsumer<String, String> consumer = consumer(platform)) {
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(20));
        assertEquals(1, records.count());
        assertEquals("kept", records.iterator().next().value());
      }
    }
  }

  private static boolean isOpen(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static KafkaProducer<String, String> producer(Platform platform) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  private static KafkaConsumer<String, String> consumer(Platform platform) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  private static Path dist() {
    return Path.of(System.getProperty("strata.platform.dist"));
  }

  private static Path realm() {
    return Path.of("../../deploy/keycloak/strata-realm.json");
  }
}
