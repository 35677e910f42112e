package org.strata.tiering;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.strata.events.EventCodec;
import org.strata.events.InstanceDeleted;
import org.strata.events.InstanceMoved;
import org.strata.events.Topics;

/**
 * The index's part in this service's tests (the index service is not running here): reads {@code
 * strata.instance.moved} from the real Kafka and applies each event as index's {@code
 * LocationRepository} does, a compare-and-set on tenant, SOP, version and source (index's own
 * {@code InstanceMovedTest} proves index does that); and applies the study deletions of retention
 * purges from {@code strata.instance.deleted} as index's {@code DeletionRepository} does (the study
 * row and, by cascade, its series, instances and locations). Other tests' deletions are left alone.
 */
final class IndexStandIn {
  private static IndexStandIn shared;

  private final KafkaConsumer<String, byte[]> consumer;

  /** One per test JVM: joining a consumer group takes seconds; the consumer stays subscribed. */
  static synchronized IndexStandIn shared() {
    if (shared == null) {
      shared = new IndexStandIn();
    }
    return shared;
  }

  private IndexStandIn() {
    Properties p = new Properties();
    p.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "index-stand-in-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer = new KafkaConsumer<>(p);
    consumer.subscribe(List.of(Topics.INSTANCE_MOVED.name(), Topics.INSTANCE_DELETED.name()));
  }

  /** Applies what arrived within one short poll. */
  synchronized void poll() throws Exception {
    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      if (r.topic().equals(Topics.INSTANCE_DELETED.name())) {
        applyPurge(EventCodec.decode(r.value(), InstanceDeleted.class));
        continue;
      }
      InstanceMoved e = EventCodec.decode(r.value(), InstanceMoved.class);
      try (Connection c = TieringTestData.connect();
          PreparedStatement ps =
              c.prepareStatement(
                  "update object_location l set bucket = ?, tier = ? from instance i where i.pk ="
                      + " l.instance_pk and i.tenant = ? and i.sop_instance_uid = ? and i.version"
                      + " = ? and l.bucket = ? and l.object_key = ?")) {
        ps.setString(1, e.to().bucket());
        ps.setString(2, e.toTier());
        ps.setString(3, e.tenant());
        ps.setString(4, e.sopInstanceUid());
        ps.setInt(5, e.version());
        ps.setString(6, e.from().bucket());
        ps.setString(7, e.from().key());
        ps.executeUpdate();
      }
    }
  }

  private static void applyPurge(InstanceDeleted e) throws Exception {
    if (!e.requestedBy().startsWith("storage-tiering")
        || e.scope() != InstanceDeleted.Scope.STUDY) {
      return;
    }
    try (Connection c = TieringTestData.connect();
        PreparedStatement ps =
            c.prepareStatement("delete from study where tenant = ? and study_uid = ?")) {
      ps.setString(1, e.tenant());
      ps.setString(2, e.studyInstanceUid());
      ps.executeUpdate();
    }
  }
}
