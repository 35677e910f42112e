package org.strata.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.GetObjectArgs;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.strata.events.Topic;
import org.strata.events.Topics;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformProbe;

/** Each component of the shared test platform answers as a real server, in its clients' terms. */
@UsesPlatform({Component.KAFKA, Component.POSTGRES, Component.S3, Component.KEYCLOAK})
class PlatformTest {

  @Test
  void kafkaHasEveryCatalogueTopicWithItsPartitionsAndRetention(Platform platform)
      throws Exception {
    Set<String> names = new PlatformProbe(platform).kafkaTopics();
    try (Admin admin = platform.kafkaAdmin()) {
      for (Topic topic : Topics.all()) {
        assertTrue(names.contains(topic.name()), "missing topic " + topic.name());
        TopicDescription description =
            admin
                .describeTopics(Set.of(topic.name()))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic.name());
        assertEquals(topic.partitions(), description.partitions().size(), topic.name());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
        var config =
            admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        for (Map.Entry<String, String> expected : topic.configs().entrySet()) {
          assertEquals(
              expected.getValue(),
              config.get(expected.getKey()).value(),
              topic.name() + " " + expected.getKey());
        }
      }
    }
  }

  @Test
  void postgresAnswersSqlOnTheStrataDatabase(Platform platform) {
    PlatformProbe probe = new PlatformProbe(platform);
    assertEquals("strata", probe.postgresQuery("select current_database()"));
    assertEquals("2", probe.postgresQuery("select 1 + 1"));
  }

  @Test
  void s3StoresAndReturnsObjectsThroughTheMinioSdk(Platform platform) throws Exception {
    assertTrue(new PlatformProbe(platform).s3Buckets().contains("strata-objects"));
    byte[] body = "strata platform test".getBytes(StandardCharsets.UTF_8);
    platform
        .s3Client()
        .putObject(
            PutObjectArgs.builder().bucket("strata-objects").object("probe/one.txt").stream(
                    new ByteArrayInputStream(body), body.length, -1)
                .build());
    try (InputStream in =
        platform
            .s3Client()
            .getObject(
                GetObjectArgs.builder().bucket("strata-objects").object("probe/one.txt").build())) {
      assertEquals("strata platform test", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void keycloakIssuesATokenForTheRealmsTestClient(Platform platform) {
    String response = new PlatformProbe(platform).keycloakClientToken();
    assertTrue(response.contains("\"token_type\":\"Bearer\""), response);
  }
}
