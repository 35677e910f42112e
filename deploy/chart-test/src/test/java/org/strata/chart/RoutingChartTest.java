package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.chart.ChartPolicyTest.byKindAndName;
import static org.strata.chart.ChartPolicyTest.values;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Routing in the chart (ADR 0039): its rules from the values as a read-only ConfigMap the service
 * reads in read-only mode, the known AEs, egress only to the configured destinations, STOW
 * credentials from Secrets, the Storage Commitment listener (ADR 0052).
 */
class RoutingChartTest {

  @Test
  void theRulesAreAReadOnlyConfigMapTheServiceReadsInReadOnlyMode() throws Exception {
    Map<String, HasMetadata> all =
        byKindAndName(StrictManifests.parse(Chart.render(values("production-values.yaml"))));
    String props =
        ((ConfigMap) all.get("ConfigMap/strata-routing-config"))
            .getData()
            .get("application.properties");
    for (String line :
        List.of(
            "strata.routing.rules-file=/etc/strata-routing/routing-rules.yaml",
            "strata.routing.rules-read-only=true",
            "strata.routing.known-aes-file=/etc/strata/known-aes.conf",
            "strata.routing.calling-ae-title=STRATA-ROUTER",
            "strata.s3.bucket=strata-objects")) {
      assertTrue(props.lines().anyMatch(line::equals), "routing lacks " + line + ":\n" + props);
    }

    JsonNode rules =
        new ObjectMapper(new YAMLFactory())
            .readTree(
                ((ConfigMap) all.get("ConfigMap/strata-routing-rules"))
                    .getData()
                    .get("routing-rules.yaml"));
    assertEquals(1, rules.get("version").asInt());
    assertEquals("reading-pacs", rules.at("/destinations/0/name").asText());
    assertEquals("VIEWER", rules.at("/destinations/0/dimse/aeTitle").asText());
    assertEquals(
        "STRATA_RESEARCH_SECRET", rules.at("/destinations/1/stow/clientSecretEnv").asText());
    assertEquals("ct-to-reading-pacs", rules.at("/rules/0/id").asText());
    assertEquals("modality == 'CT' && tenant == 'hosp-a'", rules.at("/rules/0/when").asText());

    var pod = ((Deployment) all.get("Deployment/strata-routing")).getSpec().getTemplate().getSpec();
    assertEquals(
        "strata-routing-rules",
        ChartPolicyTest.readOnlyMount(pod, "/etc/strata-routing").getConfigMap().getName());
    // A STOW destination's client secret reaches the variable its rule names, from a Secret.
    assertEquals(
        "strata-research-client",
        ChartPolicyTest.secretRef(pod, "STRATA_RESEARCH_SECRET").getName());
    assertTrue(all.containsKey("Service/strata-routing"));
  }

  /**
   * routing.commitment (ADR 0052): routing's listener for Storage Commitment reports is its
   * configured port, a container port, a port of the DIMSE Service and an ingress rule from the
   * destinations; off (the default), none of them.
   */
  @Test
  void theCommitmentListenerIsConfiguredExposedAndLetIn() {
    Map<String, HasMetadata> all =
        byKindAndName(StrictManifests.parse(Chart.render(values("production-values.yaml"))));
    assertTrue(
        routingProperties(all).lines().anyMatch("strata.routing.commitment-port=11114"::equals),
        routingProperties(all));
    var container =
        ((Deployment) all.get("Deployment/strata-routing"))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertTrue(
        container.getPorts().stream()
            .anyMatch(p -> "dimse".equals(p.getName()) && p.getContainerPort() == 11114),
        container.getPorts().toString());
    Service service = (Service) all.get("Service/strata-routing-dimse");
    assertEquals("ClusterIP", service.getSpec().getType());
    ServicePort port = service.getSpec().getPorts().get(0);
    assertEquals(11114, port.getPort());
    assertEquals("dimse", port.getTargetPort().getStrVal());
    NetworkPolicy np = (NetworkPolicy) all.get("NetworkPolicy/strata-routing");
    assertTrue(
        np.getSpec().getIngress().stream()
            .anyMatch(
                r ->
                    r.getPorts().stream().anyMatch(p -> "dimse".equals(p.getPort().getStrVal()))
                        && r.getFrom().stream()
                            .anyMatch(
                                f ->
                                    f.getIpBlock() != null
                                        && "10.20.0.7/32".equals(f.getIpBlock().getCidr()))),
        np.getSpec().getIngress().toString());

    Map<String, HasMetadata> off =
        byKindAndName(StrictManifests.parse(Chart.render(values("minimal-values.yaml"))));
    assertFalse(off.containsKey("Service/strata-routing-dimse"));
    assertFalse(routingProperties(off).contains("commitment-port"), routingProperties(off));
    ((NetworkPolicy) off.get("NetworkPolicy/strata-routing"))
        .getSpec()
        .getIngress()
        .forEach(r -> r.getPorts().forEach(p -> assertEquals("http", p.getPort().getStrVal())));
  }

  private static String routingProperties(Map<String, HasMetadata> all) {
    return ((ConfigMap) all.get("ConfigMap/strata-routing-config"))
        .getData()
        .get("application.properties");
  }

  @Test
  void egressReachesTheConfiguredDestinationsAndTheEnginesOnly() {
    Map<String, HasMetadata> all =
        byKindAndName(StrictManifests.parse(Chart.render(values("production-values.yaml"))));
    NetworkPolicy np = (NetworkPolicy) all.get("NetworkPolicy/strata-routing");
    List<String> rules =
        np.getSpec().getEgress().stream().map(r -> r.getPorts() + " " + r.getTo()).toList();
    assertTrue(ChartPolicyTest.allowsEgress(np, 104, "10.20.0.7/32"), rules.toString());
    assertTrue(ChartPolicyTest.allowsEgress(np, 443, "10.70.0.0/24"), rules.toString());
    // Nothing open to any address: every rule names its peers (Strimzi's and MinIO's pods here).
    np.getSpec()
        .getEgress()
        .forEach(r -> assertFalse(r.getTo().isEmpty(), "egress open to anywhere: " + r));
    // Kafka (Strimzi's brokers) and S3 (the MinIO tenant).
    assertTrue(egressToPods(np, "strimzi.io/cluster", "strata-kafka"), rules.toString());
    assertTrue(egressToPods(np, "v1.min.io/tenant", "strata-minio"), rules.toString());

    // Without destinationEgress: any address (destinations are host names the policy cannot name).
    NetworkPolicy open =
        (NetworkPolicy)
            byKindAndName(StrictManifests.parse(Chart.render(values("minimal-values.yaml"))))
                .get("NetworkPolicy/strata-routing");
    assertTrue(
        open.getSpec().getEgress().stream()
            .flatMap(r -> r.getTo().stream())
            .anyMatch(p -> p.getIpBlock() != null && "0.0.0.0/0".equals(p.getIpBlock().getCidr())));
  }

  /** Whether an egress rule of the policy selects the pods labelled {@code label=value}. */
  private static boolean egressToPods(NetworkPolicy np, String label, String value) {
    return np.getSpec().getEgress().stream()
        .flatMap(r -> r.getTo().stream())
        .anyMatch(
            p ->
                p.getPodSelector() != null
                    && value.equals(p.getPodSelector().getMatchLabels().get(label)));
  }
}
