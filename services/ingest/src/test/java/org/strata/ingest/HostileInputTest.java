package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.events.InstanceStored;
import org.strata.ingest.dimse.StorageScp;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.RawHttp;
import org.strata.testkit.hostile.HostileDicom;
import org.strata.testkit.hostile.HostileHttp;
import org.strata.testkit.hostile.HostileReport;
import org.strata.testkit.hostile.HostileRun;
import org.strata.testkit.hostile.HostileStow;
import org.strata.testkit.hostile.Liveness;
import org.strata.testkit.hostile.Part10Samples;

/**
 * The hostile-input suite against ingest: every parameter of its OpenAPI document, broken multipart
 * bodies and mutated Part 10 objects to STOW-RS, broken PDUs in every association state, mutated
 * command sets and mutated Part 10 objects to the storage SCP. Every input must be answered within
 * the deadline and never with a 5xx; afterwards ingest is UP, its heap is bounded, a study stored
 * at the start is unchanged, and every object in S3 has its event and vice versa (nothing
 * half-stored). {@code make fuzz} runs it with more iterations.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class HostileInputTest {
  private static final String HOST = "127.0.0.1";
  private static final List<String> TENANTS = List.of("local", "hostile");

  /**
   * Growth of the heap after GC the run may cause. Ingest keeps nothing per request or association
   * once it is answered (no caches; Kafka and S3 clients are pooled and sized at start), so what
   * stays is JIT and class metadata, off-heap, and a few MiB of pools warming up. 64 MiB is the
   * size of one endless part header the suite sends: a reader that kept it, or ~30 KiB per input,
   * would cross the bound.
   */
  private static final long HEAP_GROWTH_BOUND = 64L << 20;

  @Inject StorageScp scp;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @ConfigProperty(name = "strata.s3.endpoint")
  String s3Endpoint;

  @Test
  void everyHostileInputIsAnsweredAndNothingIsHarmed() throws Exception {
    assumeTrue(Part10Samples.present(), "pydicom samples missing: apt-get install python3-pydicom");
    int http = RestAssured.port;
    HostileRun run = HostileRun.fromSystemProperties(200);
    HostileReport report = new HostileReport("ingest", run.seed());
    ObjectStore s3 = ObjectStore.connect(s3Endpoint, "strata", "strata-secret", "strata-objects");

    // A known study, stored before the hostile input, must come out of it unchanged.
    String study = "2.25." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    byte[] known = DicomFiles.instance(study, study + ".1", study + ".1.1", "HOSTILE-KNOWN", 4096);
    RawHttp.Answer stored = stow(http, HostileStow.multipart(List.of(known)));
    // 202: the local profile adds the tenant's Issuer of Patient ID (a coercion warning).
    assertTrue(stored.status() == 200 || stored.status() == 202, stored.head());
    String knownKey = "local/" + study + "/" + study + ".1/" + study + ".1.1.dcm";

    Set<String> objectsBefore = objects(s3);
    Set<String> eventsBefore = eventIds();
    long heapBefore = Liveness.heapAfterGc();

    List<Part10Samples.Sample> samples = Part10Samples.pydicom();
    new HostileHttp(HOST, http, HostileHttp.openApi(HOST, http), Map.of(), List.of(), "")
        .run(run, report);
    HostileStow stow = new HostileStow(HOST, http, "/dicomweb/studies", run, report);
    stow.multipartBodies(known);
    stow.part10(samples);
    HostileDicom dimse =
        new HostileDicom(
            HOST,
            scp.port(),
            "STRATA",
            "HOSTILE",
            new HostileDicom.Template(
                DicomFiles.CT,
                HostileDicom.store(DicomFiles.CT, study + ".9.9", 1),
                Part10Samples.read("known", known).dataset()),
            run,
            report);
    dimse.pdus();
    dimse.commands();
    dimse.part10(samples);

    Liveness.checkAfterRun(HOST, http, heapBefore, HEAP_GROWTH_BOUND, report);
    try (InputStream in = s3.get(knownKey)) {
      if (!java.util.Arrays.equals(known, in.readAllBytes())) {
        report.violation("the known study's object changed: " + knownKey);
      }
    }
    checkNothingHalfStored(s3, objectsBefore, eventsBefore, report);
    System.out.print(report.table());
    report.assertPassed();
    // The inputs must be hostile, or the run proves nothing (a replay of one input may not be).
    assertTrue(
        !run.only().isEmpty() || report.total(HostileReport.Counts::refused) > 0,
        "nothing was refused");
  }

  /**
   * Every object the run left in S3 has its InstanceStored event, every event of the run its
   * object, and there are no more events than acknowledged stores: a refused object leaves neither.
   */
  private void checkNothingHalfStored(
      ObjectStore s3, Set<String> objectsBefore, Set<String> eventsBefore, HostileReport report)
      throws Exception {
    Set<String> newObjects = new HashSet<>(objects(s3));
    newObjects.removeAll(objectsBefore);
    List<InstanceStored> newEvents =
        StoredEvents.upToNow(bootstrap, e -> TENANTS.contains(e.tenant())).stream()
            .map(StoredEvents.Keyed::event)
            .filter(e -> !eventsBefore.contains(e.eventId().toString()))
            .toList();
    Set<String> eventKeys =
        newEvents.stream().map(e -> e.objectLocation().key()).collect(Collectors.toSet());
    for (String key : newObjects) {
      if (!eventKeys.contains(key)) {
        report.violation("object without an event (half-stored): " + key);
      }
    }
    for (String key : eventKeys) {
      if (s3.stat(key).isEmpty()) {
        report.violation("event without its object: " + key);
      }
    }
    long acknowledged =
        report.counts().entrySet().stream()
            .filter(e -> e.getKey().startsWith("stow-") || e.getKey().startsWith("dimse-"))
            .mapToLong(e -> e.getValue().accepted())
            .sum();
    if (newEvents.size() > acknowledged) {
      report.violation(newEvents.size() + " events for " + acknowledged + " acknowledged stores");
    }
    System.out.printf(
        "stored by the run: %d objects, %d events, %d acknowledged%n",
        newObjects.size(), newEvents.size(), acknowledged);
  }

  private Set<String> eventIds() {
    return StoredEvents.upToNow(bootstrap, e -> TENANTS.contains(e.tenant())).stream()
        .map(k -> k.event().eventId().toString())
        .collect(Collectors.toSet());
  }

  /** The instance objects (not sidecars or frame indexes) of the suite's tenants. */
  private static Set<String> objects(ObjectStore s3) {
    Set<String> keys = new HashSet<>();
    for (String tenant : TENANTS) {
      for (ObjectStore.ListedObject o : s3.list(tenant + "/")) {
        if (o.key().endsWith(".dcm")) {
          keys.add(o.key());
        }
      }
    }
    return keys;
  }

  private static RawHttp.Answer stow(int port, byte[] body) throws Exception {
    String head =
        "POST /dicomweb/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/dicom+json\r\n"
            + "Content-Type: multipart/related; type=\"application/dicom\"; boundary=hostile-boundary-8c1f\r\n"
            + "Content-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    return RawHttp.exchange(
        HOST,
        port,
        head.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        out -> out.write(body),
        false,
        30_000);
  }
}
