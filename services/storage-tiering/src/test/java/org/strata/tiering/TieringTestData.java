package org.strata.tiering;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.strata.indexschema.IndexMigrations;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;
import org.strata.storage.Tier;
import org.strata.storage.TieredStorage;
import org.strata.storage.Tiers;
import org.strata.testkit.SharedPlatform;

/**
 * Studies as ingest and index leave them: the objects (and a sidecar) on the first tier's server,
 * the index rows pointing at them with the size and SHA-256 ingest recorded. The index schema comes
 * from its real migrations.
 */
final class TieringTestData {
  static final String TENANT = "tiering";
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static boolean schema;

  private TieringTestData() {}

  /** One stored instance: its UIDs, its keys and its bytes. */
  record Stored(
      String study, String series, String sop, String key, String sidecar, byte[] bytes) {}

  static Platform platform() {
    return SharedPlatform.require(EnumSet.of(Component.S3, Component.S3_COLD));
  }

  static TieredStorage storage() {
    Map<String, String> keys = platform().addresses();
    return TieredStorage.open(Tiers.from(k -> Optional.ofNullable(keys.get(k))));
  }

  static ObjectStore hot() {
    TieredStorage s = storage();
    return s.store(s.tiers().first());
  }

  static ObjectStore cold() {
    TieredStorage s = storage();
    return s.store(s.tiers().named("cold").orElseThrow());
  }

  static Tier coldTier() {
    return storage().tiers().named("cold").orElseThrow();
  }

  static Connection connect() throws Exception {
    var config = ConfigProvider.getConfig();
    return DriverManager.getConnection(
        config.getValue("quarkus.datasource.jdbc.url", String.class),
        config.getValue("quarkus.datasource.username", String.class),
        config.getValue("quarkus.datasource.password", String.class));
  }

  private static synchronized void ensureSchema(Connection c) throws Exception {
    if (schema) {
      return;
    }
    boolean exists;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select to_regclass('public.object_location') is not null")) {
      rs.next();
      exists = rs.getBoolean(1);
    }
    if (!exists) {
      IndexMigrations.apply(c);
      try (Statement s = c.createStatement()) {
        s.execute("insert into tenant (id, default_issuer) values ('" + TENANT + "', 'T')");
      }
    }
    schema = true;
  }

  /** A study of {@code instances} instances (the first with a sidecar), stored and indexed. */
  static Stored[] study(int instances) throws Exception {
    return study(instances, "CT", null);
  }

  /** As {@link #study(int)}, with a modality and a Study Date (null: none). */
  static Stored[] study(int instances, String modality, java.time.LocalDate date) throws Exception {
    int n = NEXT.incrementAndGet();
    String study = "1.2.826.0.1.3680043.10.1146." + ProcessHandle.current().pid() + "." + n;
    String series = study + ".1";
    Stored[] out = new Stored[instances];
    try (Connection c = connect()) {
      ensureSchema(c);
      long patient =
          pk(
              c,
              "insert into patient (tenant, patient_id, issuer, demographics_at) values ('"
                  + TENANT
                  + "', 'P"
                  + n
                  + "', 'T', now()) returning pk");
      long studyPk =
          pk(
              c,
              "insert into study (tenant, study_uid, patient_pk, study_date, modalities_in_study)"
                  + " values ('"
                  + TENANT
                  + "', '"
                  + study
                  + "', "
                  + patient
                  + ", "
                  + (date == null ? "null" : "'" + date + "'")
                  + ", array['"
                  + modality
                  + "']) returning pk");
      long seriesPk =
          pk(
              c,
              "insert into series (tenant, study_pk, series_uid, modality) values ('"
                  + TENANT
                  + "', "
                  + studyPk
                  + ", '"
                  + series
                  + "', '"
                  + modality
                  + "') returning pk");
      for (int i = 0; i < instances; i++) {
        String sop = series + "." + (i + 1);
        String key = ObjectKeys.instance(TENANT, study, series, sop, 1);
        String sidecar = i == 0 ? ObjectKeys.sidecar(TENANT, study, series, sop) : null;
        byte[] bytes = ("DICM object " + sop + " ").repeat(50 + i).getBytes();
        hot().put(key, new ByteArrayInputStream(bytes), "application/dicom", Map.of());
        if (sidecar != null) {
          hot()
              .put(
                  sidecar,
                  new ByteArrayInputStream(("{\"" + sop + "\":1}").getBytes()),
                  "application/json",
                  Map.of());
        }
        long instancePk;
        try (PreparedStatement ps =
            c.prepareStatement(
                "insert into instance (tenant, series_pk, sop_instance_uid, sop_class_uid,"
                    + " transfer_syntax_uid, stored_event_id, version) values (?, ?, ?,"
                    + " '1.2.840.10008.5.1.4.1.1.2', '1.2.840.10008.1.2.1', ?, 1) returning pk")) {
          ps.setString(1, TENANT);
          ps.setLong(2, seriesPk);
          ps.setString(3, sop);
          ps.setObject(4, UUID.randomUUID());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            instancePk = rs.getLong(1);
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "insert into object_location (instance_pk, bucket, object_key, size, sha256,"
                    + " sidecar_key) values (?, 'strata-objects', ?, ?, ?, ?)")) {
          ps.setLong(1, instancePk);
          ps.setString(2, key);
          ps.setLong(3, bytes.length);
          ps.setString(4, sha256(bytes));
          ps.setString(5, sidecar);
          ps.executeUpdate();
        }
        out[i] = new Stored(study, series, sop, key, sidecar, bytes);
      }
    }
    return out;
  }

  /** Where the index says the instance is: {@code tier|bucket}. */
  static String location(String sop) throws Exception {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "select l.tier || '|' || l.bucket from object_location l join instance i on i.pk"
                    + " = l.instance_pk where i.tenant = ? and i.sop_instance_uid = ?")) {
      ps.setString(1, TENANT);
      ps.setString(2, sop);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  static long count(String sql) throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void execute(String sql) throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static byte[] read(ObjectStore store, String key) throws Exception {
    try (InputStream in = store.get(key)) {
      return in.readAllBytes();
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /**
   * Runs the move worker's due steps and index's part (the stand-in) until {@code done}, as the
   * background worker and index would; at most two minutes.
   */
  static void runMovesUntil(
      org.strata.tiering.service.MoveWorker worker,
      IndexStandIn index,
      java.util.concurrent.Callable<Boolean> done) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofMinutes(2))
        .pollInterval(java.time.Duration.ofMillis(100))
        .until(
            () -> {
              worker.runDue();
              index.poll();
              return done.call();
            });
  }

  /** Publishes {@code event} as its service would (acks=all), keyed as the topic says. */
  static void publish(org.strata.events.Topic topic, org.strata.events.StrataEvent event)
      throws Exception {
    java.util.Properties p = new java.util.Properties();
    p.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      producer
          .send(
              new ProducerRecord<>(
                  topic.name(), event.key(), org.strata.events.EventCodec.encode(event)))
          .get();
    }
  }

  private static long pk(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
