package org.strata.audit;

import static org.awaitility.Awaitility.await;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.strata.events.AuditRecord;
import org.strata.events.EventCodec;
import org.strata.events.Topics;
import org.strata.platform.Component;
import org.strata.testkit.SharedPlatform;
import org.strata.testkit.auth.KeycloakTokens;

/** A plain Kafka producer (acks=all), JDBC to the audit schema and real tokens, for every test. */
abstract class AuditTestSupport {
  static final Duration WAIT = Duration.ofSeconds(60);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  @ConfigProperty(name = "quarkus.datasource.username")
  String user;

  @ConfigProperty(name = "quarkus.datasource.password")
  String password;

  KafkaProducer<String, byte[]> producer;

  static KeycloakTokens tokens() {
    return new KeycloakTokens(SharedPlatform.require(EnumSet.of(Component.KEYCLOAK)).oidcIssuer());
  }

  @BeforeEach
  void producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
  }

  @AfterEach
  void closeProducer() {
    producer.close();
  }

  /** Publishes the records in order to one partition, and waits for Kafka's acknowledgements. */
  void publish(List<AuditRecord> records) {
    try {
      for (AuditRecord r : records) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.AUDIT_RECORD.name(), 0, r.eventId(), EventCodec.encode(r)))
            .get();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Publishes and waits until the last record is in the chain; returns its seq. */
  long publishAndAwait(List<AuditRecord> records) throws SQLException {
    publish(records);
    String last = records.get(records.size() - 1).eventId();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> seqOf(last) > 0);
    return seqOf(last);
  }

  /** The seq of the record with this event id, 0 if it is not in the chain. */
  long seqOf(String eventId) throws SQLException {
    return longQuery(
        "SELECT coalesce(max(seq), 0) FROM audit.record WHERE event_id = '" + eventId + "'");
  }

  long longQuery(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl, user, password);
  }

  /** A request as the realm's auditor (strata-auditor, no tenant group). */
  static RequestSpecification asAuditor() {
    return RestAssured.given().auth().oauth2(tokens().user("auditor"));
  }
}
