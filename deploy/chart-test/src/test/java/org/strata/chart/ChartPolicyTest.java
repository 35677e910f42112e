package org.strata.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * helm/strata linted and rendered for each values file in helm/strata/ci, every object parsed
 * strictly, and the deployment rules checked on what would be applied.
 */
class ChartPolicyTest {

  static Stream<String> valuesFiles() {
    return Stream.of("minimal-values.yaml", "production-values.yaml", "ha-values.yaml");
  }

  /**
   * Words that mark a credential; none may appear as a key in a ConfigMap. "token" only as the last
   * word: {@code quarkus.oidc.token.audience} names what tokens must carry, not a token.
   */
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(password|secret|access-key|credential|private).*|(?i).*token$");

  @Test
  void lintsStrictlyWithoutErrors() {
    LintResult lint = Chart.lint();
    assertFalse(lint.isFailed(), () -> String.join("\n", lint.getMessages()));
  }

  @Test
  void refusesALatestTagAndValuesNoTemplateReads(@TempDir Path dir) throws Exception {
    Path latest = Files.writeString(dir.resolve("latest.yaml"), "image: {tag: latest}\n");
    assertThrows(IllegalStateException.class, () -> Chart.render(latest));
    Path typo = Files.writeString(dir.resolve("typo.yaml"), "ingest: {replicas: 3}\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Chart.render(typo));
    assertTrue(e.getMessage().contains("replicas"), e.getMessage());
  }

  @Test
  void everyServiceValidatesTokensOfTheConfiguredRealmAndPrometheusScrapesWithAToken() {
    List<HasMetadata> objects =
        StrictManifests.parse(Chart.render(values("production-values.yaml")));
    String issuer = "https://sso.example.org/realms/strata";
    List<ConfigMap> configs =
        of(objects, ConfigMap.class).stream()
            .filter(c -> c.getData().containsKey("application.properties"))
            .toList();
    assertEquals(6, configs.size());
    for (ConfigMap cm : configs) {
      String props = cm.getData().get("application.properties");
      assertTrue(
          props.contains("quarkus.oidc.auth-server-url=" + issuer), cm.getMetadata().getName());
      assertTrue(props.contains("quarkus.oidc.token.audience=strata-api"), props);
    }
    // The key download: egress to the configured Keycloak peers on the issuer's port (443).
    for (NetworkPolicy np : of(objects, NetworkPolicy.class)) {
      if (np.getSpec().getEgress().isEmpty()) {
        continue; // the default deny
      }
      assertTrue(
          allowsEgress(np, 443, "10.20.0.0/16"),
          np.getMetadata().getName() + " lets no key download through");
    }
    var monitor =
        of(objects, io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class).get(0);
    var oauth2 = monitor.getSpec().getEndpoints().get(0).getOauth2();
    assertEquals(issuer + "/protocol/openid-connect/token", oauth2.getTokenUrl());
    assertEquals("strata-metrics-client", oauth2.getClientSecret().getName());
    assertEquals("client-secret", oauth2.getClientSecret().getKey());
    assertEquals("client-id", oauth2.getClientId().getSecret().getKey());
  }

  @Test
  void kedaScalesTheIndexOnItsConsumerLagInsteadOfTheCpuAutoscaler() {
    List<HasMetadata> objects = StrictManifests.parse(Chart.render(values("ha-values.yaml")));
    GenericKubernetesResource scaled =
        of(objects, GenericKubernetesResource.class).stream()
            .filter(r -> r.getKind().equals("ScaledObject"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no ScaledObject rendered"));
    Map<?, ?> spec = (Map<?, ?>) scaled.get("spec");
    assertEquals("strata-index", ((Map<?, ?>) spec.get("scaleTargetRef")).get("name"));
    assertEquals(3, ((Number) spec.get("minReplicaCount")).intValue());
    Map<?, ?> kafka = (Map<?, ?>) ((List<?>) spec.get("triggers")).get(0);
    assertEquals("kafka", kafka.get("type"));
    Map<?, ?> trigger = (Map<?, ?>) kafka.get("metadata");
    // The index's real consumer group and topic (a wrong name would scale on nothing).
    assertEquals("strata-index", trigger.get("consumerGroup"));
    assertEquals(org.strata.events.Topics.INSTANCE_STORED.name(), trigger.get("topic"));
    assertEquals("500", trigger.get("lagThreshold"));
    // KEDA owns the index's HorizontalPodAutoscaler: the chart renders none of its own for it.
    assertTrue(
        of(objects, HorizontalPodAutoscaler.class).stream()
            .noneMatch(h -> h.getSpec().getScaleTargetRef().getName().equals("strata-index")));
    assertTrue(
        of(objects, HorizontalPodAutoscaler.class).stream()
            .anyMatch(h -> h.getSpec().getScaleTargetRef().getName().equals("strata-query")));
  }

  @Test
  void theRealmImportCarriesNoSecretsAndTheViewersRedirectUris() {
    GenericKubernetesResource realmImport =
        of(
                StrictManifests.parse(Chart.render(values("production-values.yaml"))),
                GenericKubernetesResource.class)
            .stream()
            .filter(r -> r.getKind().equals("KeycloakRealmImport"))
            .findFirst()
            .orElseThrow();
    Map<?, ?> realm = (Map<?, ?>) ((Map<?, ?>) realmImport.get("spec")).get("realm");
    assertEquals("strata", realm.get("realm"));
    // No people and no passwords: only the metrics client's service account, for its role.
    for (Object user : (List<?>) realm.get("users")) {
      Map<?, ?> u = (Map<?, ?>) user;
      assertEquals("strata-metrics", u.get("serviceAccountClientId"), u.toString());
      assertFalse(u.containsKey("credentials"), u.toString());
    }
    List<?> clients = (List<?>) realm.get("clients");
    for (Object client : clients) {
      assertFalse(((Map<?, ?>) client).containsKey("secret"), client.toString());
    }
    assertEquals(
        List.of("https://viewer.example.org/*"), ((Map<?, ?>) clients.get(0)).get("redirectUris"));
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void rendersOnlyValidObjectsThatFollowTheRules(String valuesFile) {
    List<HasMetadata> objects =
        StrictManifests.parse(Chart.render(Chart.CI_VALUES.resolve(valuesFile)));
    List<Deployment> deployments = of(objects, Deployment.class);
    // Audit is off by default (it needs a signing key the operator makes); the others enable it.
    Set<String> expected =
        new java.util.TreeSet<>(
            Set.of(
                "strata-ingest",
                "strata-index",
                "strata-query",
                "strata-storage-tiering",
                "strata-routing"));
    if (!valuesFile.equals("minimal-values.yaml")) {
      expected.add("strata-audit");
    }
    assertEquals(
        expected,
        deployments.stream()
            .map(d -> d.getMetadata().getName())
            .collect(Collectors.toCollection(java.util.TreeSet::new)));

    for (Deployment deployment : deployments) {
      String name = deployment.getMetadata().getName();
      var pod = deployment.getSpec().getTemplate().getSpec();
      assertTrue(pod.getSecurityContext().getRunAsNonRoot(), name);
      assertFalse(pod.getAutomountServiceAccountToken(), name);
      assertFalse(pod.getTopologySpreadConstraints().isEmpty(), name);
      for (Container c : pod.getContainers()) {
        String where = name + "/" + c.getName();
        assertNotNull(c.getLivenessProbe(), where + " liveness probe");
        assertNotNull(c.getReadinessProbe(), where + " readiness probe");
        assertNotNull(c.getStartupProbe(), where + " startup probe");
        assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertNotNull(c.getResources().getLimits().get("memory"), where + " memory limit");
        assertNotNull(c.getResources().getLimits().get("cpu"), where + " cpu limit");
        assertNotNull(c.getResources().getRequests().get("memory"), where + " memory request");
        var sc = c.getSecurityContext();
        assertNotNull(sc, where + " securityContext");
        assertTrue(sc.getReadOnlyRootFilesystem(), where + " read-only root");
        assertFalse(sc.getAllowPrivilegeEscalation(), where + " privilege escalation");
        assertTrue(sc.getCapabilities().getDrop().contains("ALL"), where + " capabilities");
        assertFalse(c.getImage().endsWith(":latest") || !c.getImage().contains(":"), where);
        // Credentials come from Secrets only: no literal value for a secret-looking variable.
        c.getEnv().stream()
            .filter(e -> SECRET_KEY.matcher(e.getName()).matches())
            .forEach(e -> assertNotNull(e.getValueFrom().getSecretKeyRef(), e.getName()));
      }
      int minReplicas = minReplicas(deployment, objects);
      if (minReplicas > 1) {
        assertTrue(
            of(objects, PodDisruptionBudget.class).stream()
                .anyMatch(
                    pdb ->
                        pdb.getSpec()
                            .getSelector()
                            .getMatchLabels()
                            .equals(deployment.getSpec().getSelector().getMatchLabels())),
            name + " runs " + minReplicas + " replicas without a PodDisruptionBudget");
      }
    }

    // Default deny: one policy over every Strata pod, both directions, allowing nothing.
    assertTrue(
        of(objects, NetworkPolicy.class).stream()
            .anyMatch(
                np ->
                    np.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                        && np.getSpec().getIngress().isEmpty()
                        && np.getSpec().getEgress().isEmpty()
                        && "strata"
                            .equals(
                                np.getSpec()
                                    .getPodSelector()
                                    .getMatchLabels()
                                    .get("app.kubernetes.io/part-of"))),
        "no default-deny NetworkPolicy");

    for (ConfigMap cm : of(objects, ConfigMap.class)) {
      cm.getData()
          .forEach(
              (file, content) -> {
                for (String line : content.lines().toList()) {
                  String key = line.contains("=") ? line.substring(0, line.indexOf('=')) : "";
                  assertFalse(
                      SECRET_KEY.matcher(key).matches(),
                      cm.getMetadata().getName() + " holds a credential: " + key);
                }
              });
    }
    // Every Secret a Deployment reads or mounts is rendered by the chart or named in the values.
    Set<String> secrets =
        of(objects, Secret.class).stream()
            .map(s -> s.getMetadata().getName())
            .collect(Collectors.toSet());
    String valuesText = read(Chart.CI_VALUES.resolve(valuesFile));
    Stream<String> read =
        deployments.stream()
            .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
            .flatMap(c -> c.getEnv().stream())
            .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
            .map(e -> e.getValueFrom().getSecretKeyRef().getName());
    Stream<String> mounted =
        deployments.stream()
            .flatMap(d -> d.getSpec().getTemplate().getSpec().getVolumes().stream())
            .filter(v -> v.getSecret() != null)
            .map(v -> v.getSecret().getSecretName());
    Stream.concat(read, mounted)
        .forEach(
            s ->
                assertTrue(
                    secrets.contains(s) || valuesText.contains(s),
                    "Secret " + s + " is neither rendered nor named in " + valuesFile));
  }

  @Test
  void auditAndDicomTlsRefuseToRenderWithoutTheirSecrets(@TempDir Path dir) throws Exception {
    Path audit = Files.writeString(dir.resolve("audit.yaml"), "audit: {enabled: true}\n");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Chart.render(audit));
    assertTrue(
        e.getMessage().contains("audit.signingKey.existingSecret is required"), e.getMessage());
    assertTrue(e.getMessage().contains("openssl genpkey -algorithm ed25519"), e.getMessage());
    Path tls =
        Files.writeString(dir.resolve("tls.yaml"), "query: {dimse: {tls: {enabled: true}}}\n");
    e = assertThrows(IllegalStateException.class, () -> Chart.render(tls));
    assertTrue(
        e.getMessage().contains("query.dimse.tls.existingSecret is required"), e.getMessage());
  }

  @Test
  void dicomTlsListensBesideThePlainPortWithStoresFromTheSecret() {
    List<HasMetadata> objects =
        StrictManifests.parse(Chart.render(values("production-values.yaml")));
    Map<String, HasMetadata> all = byKindAndName(objects);
    for (String service : List.of("ingest", "query")) {
      String port = service.equals("ingest") ? "2762" : "2763";
      var svc =
          (io.fabric8.kubernetes.api.model.Service) all.get("Service/strata-" + service + "-dimse");
      var tlsPort =
          svc.getSpec().getPorts().stream()
              .filter(p -> p.getName().equals("dimse-tls"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(service + ": no dimse-tls port"));
      assertEquals(Integer.parseInt(port), tlsPort.getPort());
      assertEquals("dimse-tls", tlsPort.getTargetPort().getStrVal());
      var pod =
          ((Deployment) all.get("Deployment/strata-" + service)).getSpec().getTemplate().getSpec();
      assertTrue(
          pod.getVolumes().stream()
              .anyMatch(
                  v ->
                      v.getSecret() != null
                          && v.getSecret().getSecretName().equals("strata-dimse-tls")),
          service + ": the stores' Secret is not mounted");
      var password =
          pod.getContainers().get(0).getEnv().stream()
              .filter(v -> v.getName().equals("STRATA_DIMSE_TLS_STORE_PASSWORD"))
              .findFirst()
              .orElseThrow();
      assertEquals("strata-dimse-tls", password.getValueFrom().getSecretKeyRef().getName());
      String props =
          ((ConfigMap) all.get("ConfigMap/strata-" + service + "-config"))
              .getData()
              .get("application.properties");
      assertTrue(
          props.contains(
              "strata." + service + ".dimse.tls.key-store=/etc/strata-dimse-tls/key-store.p12"),
          props);
      assertTrue(props.contains("strata." + service + ".dimse.tls.port=" + port), props);
      var np = (NetworkPolicy) all.get("NetworkPolicy/strata-" + service);
      assertTrue(
          np.getSpec().getIngress().stream()
              .flatMap(r -> r.getPorts().stream())
              .anyMatch(p -> "dimse-tls".equals(p.getPort().getStrVal())),
          service + ": the TLS port is not allowed in");
    }
    var query = (io.fabric8.kubernetes.api.model.Service) all.get("Service/strata-query-dimse");
    assertEquals(
        32763,
        query.getSpec().getPorts().stream()
            .filter(p -> p.getName().equals("dimse-tls"))
            .findFirst()
            .orElseThrow()
            .getNodePort());
    // Off by default.
    List<HasMetadata> minimal = StrictManifests.parse(Chart.render(values("minimal-values.yaml")));
    of(minimal, io.fabric8.kubernetes.api.model.Service.class).stream()
        .flatMap(s -> s.getSpec().getPorts().stream())
        .forEach(p -> assertFalse(p.getName().equals("dimse-tls"), "TLS port by default"));
  }

  @Test
  void everyTierReachesQueryAndStorageTieringWithCredentialsFromItsSecret() {
    List<HasMetadata> objects =
        StrictManifests.parse(Chart.render(values("production-values.yaml")));
    Map<String, HasMetadata> all = byKindAndName(objects);
    for (String service : List.of("query", "storage-tiering")) {
      String props =
          ((ConfigMap) all.get("ConfigMap/strata-" + service + "-config"))
              .getData()
              .get("application.properties");
      for (String line :
          List.of(
              "strata.s3.tier=hot",
              "strata.s3.tiers=cold",
              "strata.s3.tiers.cold.bucket=strata-cold",
              "strata.s3.tiers.cold.endpoint=https://archive-s3.example.org",
              "strata.s3.tiers.cold.retrieval=nearline",
              "strata.s3.tiers.cold.retrieval-delay=PT4H")) {
        assertTrue(
            props.lines().anyMatch(line::equals), service + " lacks " + line + ":\n" + props);
      }
      var env =
          ((Deployment) all.get("Deployment/strata-" + service))
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0)
              .getEnv();
      for (String variable :
          List.of("STRATA_S3_TIERS_COLD_ACCESS_KEY", "STRATA_S3_TIERS_COLD_SECRET_KEY")) {
        var v = env.stream().filter(e -> e.getName().equals(variable)).findFirst().orElseThrow();
        assertEquals("strata-s3-cold", v.getValueFrom().getSecretKeyRef().getName(), variable);
      }
      var np = (NetworkPolicy) all.get("NetworkPolicy/strata-" + service);
      assertTrue(allowsEgress(np, 443, "10.50.0.0/16"), service + ": no egress to the cold tier");
    }
    // The lifecycle policies as the service's policies file.
    String policies =
        ((ConfigMap) all.get("ConfigMap/strata-storage-tiering-policies"))
            .getData()
            .get("policies.json");
    assertTrue(policies.contains("\"toTier\": \"cold\""), policies);
    assertTrue(
        ((ConfigMap) all.get("ConfigMap/strata-storage-tiering-config"))
            .getData()
            .get("application.properties")
            .contains("strata.tiering.policies.file=/etc/strata-tiering/policies.json"));
    // The ConfigMap is read-only, the same for every replica: the admin API does not change it
    // (ADR 0054).
    assertTrue(
        ((ConfigMap) all.get("ConfigMap/strata-storage-tiering-config"))
            .getData()
            .get("application.properties")
            .contains("strata.tiering.policies.read-only=true"));
  }

  /** Whether one of the policy's egress rules lets traffic to {@code cidr} on {@code port}. */
  static boolean allowsEgress(NetworkPolicy np, int port, String cidr) {
    return np.getSpec().getEgress().stream()
        .anyMatch(
            rule ->
                rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port)
                    && rule.getTo().stream()
                        .anyMatch(
                            peer ->
                                peer.getIpBlock() != null
                                    && cidr.equals(peer.getIpBlock().getCidr())));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int minReplicas(Deployment deployment, List<HasMetadata> objects) {
    return of(objects, HorizontalPodAutoscaler.class).stream()
        .filter(
            h ->
                h.getSpec()
                    .getScaleTargetRef()
                    .getName()
                    .equals(deployment.getMetadata().getName()))
        .map(h -> h.getSpec().getMinReplicas())
        .filter(Objects::nonNull)
        .findFirst()
        .or(() -> scaledObjectMinReplicas(deployment, objects))
        .orElse(deployment.getSpec().getReplicas());
  }

  /** KEDA's ScaledObject owns the autoscaler when it is rendered. */
  private static java.util.Optional<Integer> scaledObjectMinReplicas(
      Deployment deployment, List<HasMetadata> objects) {
    return of(objects, GenericKubernetesResource.class).stream()
        .filter(r -> r.getKind().equals("ScaledObject"))
        .map(r -> (Map<?, ?>) r.get("spec"))
        .filter(
            spec ->
                deployment
                    .getMetadata()
                    .getName()
                    .equals(((Map<?, ?>) spec.get("scaleTargetRef")).get("name")))
        .map(spec -> ((Number) spec.get("minReplicaCount")).intValue())
        .findFirst();
  }

  /** The volume mounted read-only at {@code path} in the pod's container. */
  static io.fabric8.kubernetes.api.model.Volume readOnlyMount(
      io.fabric8.kubernetes.api.model.PodSpec pod, String path) {
    var mount =
        pod.getContainers().get(0).getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(path))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    assertTrue(mount.getReadOnly(), path + " is writable");
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(mount.getName()))
        .findFirst()
        .orElseThrow();
  }

  /** The Secret key the container's environment variable {@code name} comes from. */
  static io.fabric8.kubernetes.api.model.SecretKeySelector secretRef(
      io.fabric8.kubernetes.api.model.PodSpec pod, String name) {
    return pod.getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name))
        .getValueFrom()
        .getSecretKeyRef();
  }

  static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static Map<String, HasMetadata> byKindAndName(List<HasMetadata> objects) {
    return objects.stream()
        .collect(Collectors.toMap(o -> o.getKind() + "/" + o.getMetadata().getName(), o -> o));
  }

  static Path values(String file) {
    return Chart.CI_VALUES.resolve(file);
  }
}
