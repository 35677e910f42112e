package org.strata.ingest.health;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while no Kafka broker answers: ingest acknowledges only what Kafka holds. The answer is
 * bounded: the Kafka extension's own check waited for the admin client's default API timeout (60 s)
 * while the broker was away, longer than any readiness probe, so the probe saw a hang instead of
 * DOWN.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
  static final int TIMEOUT_MS = 3000;

  private final Admin admin;

  public KafkaReadiness(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "strata-ingest-readiness");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    this.admin = Admin.create(p);
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("kafka");
    try {
      int brokers =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
              .nodes()
              .get(TIMEOUT_MS + 1000L, TimeUnit.MILLISECONDS)
              .size();
      return response.status(brokers > 0).withData("brokers", brokers).build();
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return response.down().withData("reason", cause.getClass().getSimpleName()).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return response.down().withData("reason", "interrupted").build();
    }
  }

  @PreDestroy
  void close() {
    admin.close();
  }
}
