package org.strata.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses rendered manifests into fabric8's Kubernetes model classes, strictly: a field the model
 * does not have (a typo, a wrong indentation) ends up in some object's additionalProperties, and
 * that is an error here; a wrong type fails the parse itself.
 */
final class StrictManifests {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * Custom resources with a published Java model, by apiVersion and kind; the others stay generic
   * objects.
   */
  private static final Map<String, Class<? extends HasMetadata>> CUSTOM_RESOURCES =
      Map.of(
          "kafka.strimzi.io/v1beta2/Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class,
          "kafka.strimzi.io/v1beta2/KafkaNodePool",
              io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class,
          "kafka.strimzi.io/v1beta2/KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class,
          "monitoring.coreos.com/v1/ServiceMonitor",
              io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class);

  private StrictManifests() {}

  static List<HasMetadata> parse(List<String> documents) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : documents) {
      KubernetesResource parsed = SERIALIZATION.unmarshal(doc, KubernetesResource.class);
      if (!(parsed instanceof HasMetadata object)) {
        throw new AssertionError("not a Kubernetes object: " + doc);
      }
      Class<? extends HasMetadata> model =
          CUSTOM_RESOURCES.get(object.getApiVersion() + "/" + object.getKind());
      if (model != null) {
        object = SERIALIZATION.unmarshal(doc, model);
      }
      if (!(object instanceof GenericKubernetesResource)) {
        List<String> unknown = new ArrayList<>();
        unknownFields(object, object.getKind(), unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
          throw new AssertionError(
              object.getKind()
                  + " "
                  + object.getMetadata().getName()
                  + " has fields its schema does not: "
                  + unknown);
        }
      }
      objects.add(object);
    }
    return objects;
  }

  /** Paths of every non-empty additionalProperties under {@code node}. */
  static void unknownFields(
      Object node, String path, List<String> unknown, IdentityHashMap<Object, Boolean> seen) {
    if (node == null || seen.put(node, Boolean.TRUE) != null) {
      return;
    }
    if (node instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        unknownFields(item, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
      return;
    }
    String type = node.getClass().getName();
    if (!type.startsWith("io.fabric8.kubernetes.api.model") && !type.startsWith("io.strimzi.api")) {
      return; // strings, numbers, Quantity's value, IntOrString's value...
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || getter.getDeclaringClass() == Object.class
          || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
        continue;
      }
      unknownFields(
          value, path + "." + getter.getName().replaceFirst("^(get|is)", ""), unknown, seen);
    }
  }
}
