package org.strata.index;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.strata.events.EventCodec;
import org.strata.events.InstanceStored;
import org.strata.events.Topics;

/** The real Kafka producer, consumers and JDBC access the index tests share. */
abstract class IndexTestSupport {
  static final Duration WAIT = Duration.ofSeconds(30);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  @ConfigProperty(name = "quarkus.datasource.username")
  String user;

  @ConfigProperty(name = "quarkus.datasource.password")
  String password;

  KafkaProducer<String, byte[]> producer;

  @BeforeEach
  void producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
  }

  @AfterEach
  void close() {
    producer.close();
  }

  void publish(InstanceStored event) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.INSTANCE_STORED.name(), event.key(), EventCodec.encode(event)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Publishes any event on its topic, keyed as its producer keys it, and waits for the ack. */
  void publish(org.strata.events.Topic topic, org.strata.events.StrataEvent event) {
    try {
      producer
          .send(new ProducerRecord<>(topic.name(), event.key(), EventCodec.encode(event)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends the events back to back under one record key: one partition, and one poll (one batch)
   * when the consumer is quick enough.
   */
  void publishUnderOneKey(String key, java.util.List<InstanceStoredMother> events) {
    for (InstanceStoredMother m : events) {
      producer.send(
          new ProducerRecord<>(Topics.INSTANCE_STORED.name(), key, EventCodec.encode(m.build())));
    }
    producer.flush();
  }

  KafkaConsumer<String, byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new KafkaConsumer<>(p);
  }

  void awaitInstances(String studyUid, int count) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                String.valueOf(count)
                    .equals(
                        query(
                            "select count(*) from instance i join series s on s.pk = i.series_pk"
                                + " join study st on st.pk = s.study_pk where st.study_uid = '"
                                + studyUid
                                + "'")));
  }

  /** Every row of the study, with counts, as one comparable string. */
  String snapshot(String studyUid) throws Exception {
    return query(
        "select st.number_of_series || '|' || st.number_of_instances || '|' || (select count(*)"
            + " from object_location l join"
            + " instance i on i.pk = l.instance_pk join series s on s.pk = i.series_pk where"
            + " s.study_pk = st.pk) || '|' || (select count(*) from series s where s.study_pk ="
            + " st.pk) || '|' || (select count(*) from instance i join series s on s.pk ="
            + " i.series_pk where s.study_pk = st.pk) from study st where st.study_uid = '"
            + studyUid
            + "'");
  }

  String query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
