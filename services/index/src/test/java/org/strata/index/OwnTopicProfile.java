package org.strata.index;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.testkit.SharedPlatform;

/**
 * A profile whose consumer reads its own InstanceStored topic with its own consumer group, for
 * tests that leave a partition stopped or crash the consumer: the other tests' topic and offsets
 * stay untouched.
 */
abstract class OwnTopicProfile implements QuarkusTestProfile {
  static final int PARTITIONS = 2;

  abstract String topic();

  Map<String, String> extraConfig() {
    return Map.of();
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new java.util.HashMap<>(extraConfig());
    config.put("strata.index.consumer.topic", topic());
    config.put("strata.index.consumer.group-id", "strata-index-" + topic());
    return config;
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(TopicResource.class, Map.of("topic", topic())));
  }

  /** Creates the profile's topic before the service starts. */
  public static final class TopicResource implements QuarkusTestResourceLifecycleManager {
    private String topic;

    @Override
    public void init(Map<String, String> initArgs) {
      topic = initArgs.get("topic");
    }

    @Override
    public Map<String, String> start() {
      Platform platform = SharedPlatform.require(EnumSet.of(Component.KAFKA, Component.POSTGRES));
      try (Admin admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafkaBootstrapServers()))) {
        admin
            .createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
            .all()
            .get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(e);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return Map.of();
    }

    @Override
    public void stop() {}
  }
}
