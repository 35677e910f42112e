package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.dicom.net.DicomClient;
import org.strata.dicom.net.Status;
import org.strata.events.InstanceStored;
import org.strata.ingest.dimse.StorageScp;
import org.strata.testkit.PlatformTestResource;

/**
 * Read-your-writes for DIMSE (ADR 0010 amendment): each C-STORE is answered as soon as it is
 * durable, but the A-RELEASE-RP waits until the association's instances are indexed, so a PACS that
 * queries after releasing finds every instance it sent. The index is played by {@link
 * StandInIndex}, which publishes InstanceIndexed on the real topic only when told to.
 */
@QuarkusTest
@TestProfile(DimseReadYourWritesTest.Enabled.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class DimseReadYourWritesTest {
  static final String WAIT_METER = "strata.ingest.dimse.release.index.wait";

  public static final class Enabled implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      // Profiled keys: application.properties switches the wait off for %test.
      return Map.of(
          "%test.strata.ingest.read-your-writes.enabled", "true",
          "%test.strata.ingest.read-your-writes.timeout", "8s");
    }
  }

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @Inject StorageScp scp;
  @Inject MeterRegistry metrics;

  private StandInIndex index;

  @BeforeEach
  void startStandInIndex() throws InterruptedException {
    index = StandInIndex.start(bootstrap);
  }

  @AfterEach
  void stopStandIn() throws InterruptedException {
    index.close();
  }

  private DicomClient connect() throws IOException {
    return DicomClient.connect(
        "127.0.0.1",
        scp.port(),
        "HOSPB",
        "STRATA",
        DicomClient.proposal().verification().add(DicomFiles.CT, DicomFiles.EXPLICIT_LE),
        DicomClient.Options.DEFAULTS);
  }

  /** Stores {@code count} new instances of one series; returns their SOP Instance UIDs. */
  private static List<String> storeSeries(DicomClient client, int count) throws IOException {
    String study = uid(), series = uid();
    List<String> sops = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String sop = uid();
      byte[] file = DicomFiles.instance(study, series, sop, "RYW-DIMSE", 1024);
      int status =
          client.store(
              DicomFiles.CT,
              sop,
              DicomFiles.EXPLICIT_LE,
              new ByteArrayInputStream(StorageScpTest.datasetOf(file)));
      assertEquals(Status.SUCCESS, status);
      sops.add(sop);
    }
    return sops;
  }

  private static CompletableFuture<Void> releaseAsync(DicomClient client) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            client.close(); // A-RELEASE-RQ, then waits for the A-RELEASE-RP
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private double waits(String outcome) {
    Timer t = metrics.find(WAIT_METER).tag("outcome", outcome).timer();
    return t == null ? 0 : t.count();
  }

  @Test
  void releaseIsAnsweredOnlyAfterEveryStoredInstanceIsIndexed() throws Exception {
    double indexedBefore = waits("indexed");
    DicomClient client = connect();
    // Every C-STORE is answered while the index has acknowledged nothing: no per-instance wait.
    List<String> sops = storeSeries(client, 5);
    CompletableFuture<Void> release = releaseAsync(client);

    List<InstanceStored> stored = new ArrayList<>();
    for (String sop : sops) {
      stored.add(index.awaitArrival(sop));
    }
    for (InstanceStored e : stored.subList(0, stored.size() - 1)) {
      index.acknowledge(e);
    }
    assertFalse(release.isDone(), "released before the last instance was indexed");

    index.acknowledge(stored.get(stored.size() - 1));
    release.get(60, TimeUnit.SECONDS); // an orderly release, no abort
    assertEquals(indexedBefore + 1, waits("indexed"), "released because indexed, not timed out");
  }

  @Test
  void withoutTheIndexTheReleaseComesAfterTheTimeoutAndIsCounted() throws Exception {
    double timeoutsBefore = waits("timeout");
    double indexedBefore = waits("indexed");
    DicomClient client = connect();
    List<String> sops = storeSeries(client, 2);
    CompletableFuture<Void> release = releaseAsync(client);
    index.awaitArrival(sops.get(1));
    // no InstanceIndexed: the release is still answered (after 8 s here), not refused or aborted
    release.get(60, TimeUnit.SECONDS);
    assertEquals(timeoutsBefore + 1, waits("timeout"), "the late release is counted");
    assertEquals(indexedBefore, waits("indexed"));
  }

  @Test
  void anAssociationThatStoredNothingIsNotCounted() throws Exception {
    double before = waits("timeout") + waits("indexed");
    DicomClient client = connect();
    assertEquals(Status.SUCCESS, client.echo());
    releaseAsync(client).get(60, TimeUnit.SECONDS);
    assertEquals(before, waits("timeout") + waits("indexed"));
  }

  private static String uid() {
    return "2.25." + new BigInteger(UUID.randomUUID().toString().replace("-", ""), 16);
  }
}
