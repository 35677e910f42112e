package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.strata.events.Topic;
import org.strata.events.Topics;

/**
 * The KafkaTopics the chart renders for Strimzi (parsed into Strimzi's model) are libs/events'
 * topic catalogue.
 */
class TopicCatalogueTest {

  @Test
  void kafkaTopicsAreTheTopicCatalogue() throws Exception {
    List<String> expected = new ArrayList<>();
    for (Topic t : Topics.all()) {
      long retention = t.retention() == null ? -1 : t.retention().toMillis();
      expected.add(
          t.name()
              + " "
              + t.partitions()
              + " "
              + retention
              + " "
              + t.cleanupPolicy().configValue());
    }

    List<String> rendered = new ArrayList<>();
    for (HasMetadata o :
        StrictManifests.parse(Chart.render(Chart.CI_VALUES.resolve("production-values.yaml")))) {
      if (o instanceof KafkaTopic topic) {
        var spec = topic.getSpec();
        rendered.add(
            spec.getTopicName()
                + " "
                + spec.getPartitions()
                + " "
                + spec.getConfig().get("retention.ms")
                + " "
                + spec.getConfig().get("cleanup.policy"));
      }
    }
    assertEquals(expected.stream().sorted().toList(), rendered.stream().sorted().toList());

    // And the file the chart reads them from says the same (no topic only in one of them).
    JsonNode file =
        new ObjectMapper(new YAMLFactory())
            .readTree(Chart.DIR.resolve("files/topics.yaml").toFile());
    assertEquals(Topics.all().size(), file.get("topics").size());
  }
}
