package org.strata.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.strata.events.Topic;
import org.strata.events.Topics;

/**
 * An Apache Kafka broker in KRaft mode (combined broker and controller, one node), run from the
 * jars of {@code org.apache.kafka:kafka_2.13} in its own JVM. The topics of the catalogue in {@code
 * libs/events} are created once it is up.
 */
final class KafkaBroker implements Server {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

  private final PlatformConfig config;
  private final Path dir;
  private final int port;
  private final int controllerPort;
  private ManagedProcess process;

  KafkaBroker(PlatformConfig config) {
    this.config = config;
    this.dir = config.dataDir().resolve("kafka");
    this.port = Ports.resolve(config.kafkaPort(), config.host());
    this.controllerPort = Ports.resolve(config.kafkaControllerPort(), config.host());
  }

  @Override
  public String name() {
    return "kafka";
  }

  String bootstrapServers() {
    return config.host() + ":" + port;
  }

  @Override
  public void start() {
    Ports.requireFree(config.host(), port, "Kafka");
    Ports.requireFree(config.host(), controllerPort, "Kafka controller");
    try {
      Files.createDirectories(dir);
      Path properties = dir.resolve("server.properties");
      Files.writeString(properties, serverProperties());
      Path logDir = dir.resolve("log");
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(properties);
      }
      List<String> command = new ArrayList<>(java());
      command.addAll(Arrays.asList(config.kafkaHeap().split("\\s+")));
      command.addAll(
          List.of(
              "-Dlog4j2.configurationFile=" + log4jConfig(),
              "-cp",
              kafkaClasspath(),
              "kafka.Kafka",
              properties.toString()));
      process =
          ManagedProcess.start(
              name(), command, dir, dir.resolve("kafka.log"), Map.of(), "TERM", null);
      Waits.until(process, Duration.ofSeconds(90), this::ready);
      try (Admin admin = admin()) {
        createTopics(admin, Topics.all());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean ready() throws Exception {
    try (Admin admin = admin()) {
      return admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).size() == 1;
    }
  }

  @Override
  public ManagedProcess process() {
    return process;
  }

  /** An admin client on this broker; the caller closes it. */
  Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
    return Admin.create(props);
  }

  /** Creates the missing topics of the catalogue; existing ones are left as they are. */
  static void createTopics(Admin admin, List<Topic> topics) {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing =
          topics.stream()
              .filter(t -> !existing.contains(t.name()))
              .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.configs()))
              .toList();
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      LOG.info("created {} Kafka topics", missing.size());
    } catch (Exception e) {
      throw new PlatformException("cannot create Kafka topics: " + e.getMessage(), e);
    }
  }

  private void format(Path properties) throws IOException {
    List<String> command = new ArrayList<>(java());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-Dlog4j2.configurationFile=" + log4jConfig(),
            "-cp",
            kafkaClasspath(),
            "kafka.tools.StorageTool",
            "format",
            "--ignore-formatted",
            "-t",
            clusterId(),
            "-c",
            properties.toString()));
    ManagedProcess format =
        ManagedProcess.start(
            "kafka-format", command, dir, dir.resolve("kafka-format.log"), Map.of(), "TERM", null);
    format.awaitExit(Duration.ofSeconds(60));
    if (!Files.exists(dir.resolve("log").resolve("meta.properties"))) {
      throw new PlatformException("formatting Kafka storage failed:\n" + format.logTail(20));
    }
  }

  /**
   * Kafka's cluster id is a base64 UUID; a random one per data directory. One that starts with '-'
   * (1 in 64 of them) would be read by kafka-storage's argument parser as an option ("argument
   * --cluster-id/-t: expected one argument"), so those are drawn again, as Kafka's own Uuid does.
   */
  static String clusterId() {
    while (true) {
      UUID uuid = UUID.randomUUID();
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(16);
      buffer.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
      String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  private String serverProperties() {
    String h = config.host();
    return String.join(
        "\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@" + h + ":" + controllerPort,
        "listeners=PLAINTEXT://" + h + ":" + port + ",CONTROLLER://" + h + ":" + controllerPort,
        "advertised.listeners=PLAINTEXT://" + h + ":" + port,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "inter.broker.listener.name=PLAINTEXT",
        "log.dirs=" + dir.resolve("log"),
        // One node: internal topics cannot be replicated.
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // Topics come from the catalogue only; a typo in a topic name must fail, not create one.
        "auto.create.topics.enable=false",
        "");
  }

  private Path log4jConfig() throws IOException {
    Path file = dir.resolve("log4j2.properties");
    Files.writeString(
        file,
        String.join(
            "\n",
            "rootLogger.level=WARN",
            "rootLogger.appenderRef.out.ref=out",
            "appender.out.type=Console",
            "appender.out.name=out",
            "appender.out.layout.type=PatternLayout",
            "appender.out.layout.pattern=[%d] %p %m (%c)%n",
            "logger.kafka.name=kafka.server.KafkaRaftServer",
            "logger.kafka.level=INFO",
            ""));
    return file;
  }

  private String kafkaClasspath() {
    Path lib = config.distDir().resolve("kafka").resolve("lib");
    if (!Files.isDirectory(lib)) {
      throw new PlatformException(
          "Kafka jars not found in " + lib + ": build libs/platform-dist first (make build)");
    }
    return lib + "/*";
  }

  static List<String> java() {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    return List.of(javaBin, "-XX:+ExitOnOutOfMemoryError");
  }

  @Override
  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(60));
    }
  }

  @Override
  public long residentBytes() {
    return process == null ? -1 : process.residentBytes();
  }

  @Override
  public Map<String, String> addresses() {
    return Map.of("kafka.bootstrap.servers", bootstrapServers());
  }
}
