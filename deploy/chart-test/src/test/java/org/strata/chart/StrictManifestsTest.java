package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict parse catches what a lenient one lets through. */
class StrictManifestsTest {

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: d}
      spec:
        selector: {matchLabels: {a: b}}
        template:
          metadata: {labels: {a: b}}
          spec:
            containers:
              - name: c
                image: x:1
                %s
      """;

  @Test
  void acceptsAValidObject() {
    assertEquals(
        1, StrictManifests.parse(List.of(DEPLOYMENT.formatted("imagePullPolicy: Always"))).size());
  }

  @Test
  void refusesAFieldTheModelDoesNotHave() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () -> StrictManifests.parse(List.of(DEPLOYMENT.formatted("readinesProbe: {}"))));
    assertTrue(e.getMessage().contains("readinesProbe"), e.getMessage());
  }

  @Test
  void refusesAValueOfTheWrongType() {
    assertThrows(
        RuntimeException.class,
        () ->
            StrictManifests.parse(
                List.of(DEPLOYMENT.formatted("ports: [{containerPort: {a: b}}]"))));
  }

  @Test
  void refusesAFieldStrimzisModelDoesNotHave() {
    String topic =
        """
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata: {name: t}
        spec: {topicName: t, partitionz: 3}
        """;
    AssertionError e =
        assertThrows(AssertionError.class, () -> StrictManifests.parse(List.of(topic)));
    assertTrue(e.getMessage().contains("partitionz"), e.getMessage());
  }
}
