package org.strata.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.InflaterInputStream;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.strata.events.InstanceStored;
import org.strata.ingest.derivatives.DerivativesWriter;
import org.strata.ingest.service.IngestSource;
import org.strata.ingest.service.InstanceIngestor;
import org.strata.ingest.service.StoreResult;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;

/**
 * ADR 0015: the derivatives of a just-stored instance are written from the header ingest kept,
 * without reading the object back. For every python3-pydicom sample ingest accepts, the sidecar and
 * frame index written that way must be byte for byte what the read-back path writes for the same
 * event; and the objects that do not end with their native Pixel Data (encapsulated, trailing
 * padding, deflated) must take the read-back path. ADR 0045: the metadata the event carries to the
 * index is, inflated, byte for byte that read-back sidecar; objects read back carry none.
 */
@QuarkusTest
@QuarkusTestResource(
    value = PlatformTestResource.class,
    initArgs = @ResourceArg(name = "components", value = "kafka,s3"))
class DerivativesFromHeaderTest {
  private static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/pydicom/data");

  /**
   * Native pixel data, maybe followed by trailing padding (CT_small, MR_small, MR_small_padded), or
   * no pixel data: derivatives from the kept header and tail.
   */
  private static final List<String> FROM_HEADER =
      List.of(
          "test_files/CT_small.dcm",
          "test_files/MR_small.dcm",
          "test_files/MR_small_implicit.dcm",
          "test_files/MR_small_bigendian.dcm",
          "test_files/ExplVR_BigEnd.dcm",
          "test_files/rtdose.dcm",
          "test_files/rtplan.dcm",
          "test_files/reportsi.dcm",
          "test_files/waveform_ecg.dcm",
          "test_files/SC_rgb_small_odd.dcm",
          "test_files/MR_small_padded.dcm",
          "test_files/liver_1frame.dcm",
          // Pixel Data of 1,024 bytes, under the bulk-data threshold: the sidecar inlines it.
          "charset_files/chrArab.dcm");

  /** Encapsulated pixel data: read back from the object. */
  private static final List<String> FROM_OBJECT =
      List.of(
          "test_files/MR_small_RLE.dcm",
          "test_files/JPEG2000.dcm",
          "test_files/SC_rgb_jpeg_dcmtk.dcm",
          "test_files/rtdose_rle.dcm");

  @Inject InstanceIngestor ingestor;
  @Inject DerivativesWriter writer;
  @Inject ObjectStore store;
  @Inject MeterRegistry metrics;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  record Stored(String file, String eventId, String readFrom) {}

  @Test
  void derivativesFromTheKeptHeaderEqualThoseReadBackFromTheObject() throws Exception {
    // A tenant per sample and run: several samples share UIDs, and every run must store anew.
    String run = "dfh-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    List<Path> files;
    try (Stream<Path> s = Files.walk(SAMPLES)) {
      files = s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
    }
    Map<String, Stored> stored = new LinkedHashMap<>();
    for (Path file : files) {
      double before = count("header") + count("object") + skipped();
      double header = count("header");
      double object = count("object");
      IngestSource source =
          new IngestSource(
              run + stored.size(), InstanceStored.Channel.STOWRS, null, null, "127.0.0.1", null);
      StoreResult result;
      try (InputStream in = Files.newInputStream(file)) {
        result = ingestor.store(in, source, null, true);
      }
      if (!result.stored()) {
        continue;
      }
      assertTrue(!result.duplicate(), file + " is new in its tenant");
      // The consumer of this process writes the derivatives; wait until it has, one by one, so
      // the counters say which path this sample took.
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> count("header") + count("object") + skipped() > before);
      String readFrom =
          count("header") > header ? "header" : count("object") > object ? "object" : "none";
      stored.put(
          result.eventId(),
          new Stored(SAMPLES.relativize(file).toString(), result.eventId(), readFrom));
    }
    assertTrue(stored.size() >= 40, "most samples are accepted, got " + stored.size());
    Map<String, String> pathOf = new LinkedHashMap<>();
    stored.values().forEach(s -> pathOf.put(s.file(), s.readFrom()));
    for (String f : FROM_HEADER) {
      assertEquals("header", pathOf.get(f), f + " in " + pathOf);
    }
    for (String f : FROM_OBJECT) {
      assertEquals("object", pathOf.get(f), f);
    }

    int compared = 0;
    int fromEvent = 0;
    for (InstanceStored event : events(stored.keySet())) {
      Stored s = stored.get(event.eventId());
      if (!s.readFrom().equals("header")) {
        assertNull(event.compressedMetadata(), s.file() + " carries no metadata");
        continue;
      }
      String sidecarKey = event.objectLocation().sidecarKey();
      String frameKey = event.objectLocation().frameIndexKey();
      byte[] sidecar = bytes(sidecarKey).orElseThrow();
      Optional<byte[]> frames = bytes(frameKey);
      store.delete(sidecarKey);
      if (frames.isPresent()) {
        store.delete(frameKey);
      }
      // No kept header now, nor metadata in the event: the read-back path, the reference.
      DerivativesWriter.Result again = writer.write(event.withCompressedMetadata(null));
      assertEquals("object", again.readFrom(), s.file());
      assertArrayEquals(bytes(sidecarKey).orElseThrow(), sidecar, s.file() + " sidecar");
      assertArrayEquals(
          sidecar, inflate(event.compressedMetadata()), s.file() + " metadata in the event");
      if (!org.strata.dicom.io.TransferSyntax.of(event.transferSyntaxUid()).encapsulated()) {
        // What a replica that did not store the instance does (ADR 0077): the event's sidecar.
        store.delete(sidecarKey);
        assertEquals("event", writer.write(event).readFrom(), s.file());
        assertArrayEquals(sidecar, bytes(sidecarKey).orElseThrow(), s.file() + " from the event");
        fromEvent++;
      }
      Optional<byte[]> framesAgain = bytes(frameKey);
      assertEquals(framesAgain.isPresent(), frames.isPresent(), s.file() + " frame index");
      if (frames.isPresent()) {
        assertArrayEquals(framesAgain.get(), frames.get(), s.file() + " frame index");
      }
      compared++;
    }
    assertTrue(compared >= FROM_HEADER.size(), "compared " + compared);
    // Samples with native pixel data (or none) have no frame index to write.
    assertTrue(fromEvent > 0, "sidecars written from the event: " + fromEvent);
  }

  private static byte[] inflate(byte[] compressed) throws Exception {
    assertNotNull(compressed, "the event carries the metadata");
    try (InputStream in = new InflaterInputStream(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    }
  }

  private double count(String from) {
    var c = metrics.find("strata.derivatives.read").tag("from", from).counter();
    return c == null ? 0 : c.count();
  }

  private double skipped() {
    return metrics.find("strata.derivatives.events").tag("outcome", "skipped").counters().stream()
            .mapToDouble(c -> c.count())
            .sum()
        + metrics.find("strata.derivatives.events").tag("outcome", "failed").counters().stream()
            .mapToDouble(c -> c.count())
            .sum();
  }

  private Optional<byte[]> bytes(String key) throws Exception {
    if (key == null || store.stat(key).isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = store.get(key)) {
      return Optional.of(in.readAllBytes());
    }
  }

  private List<InstanceStored> events(java.util.Set<String> eventIds) {
    List<InstanceStored> found =
        StoredEvents.upToNow(bootstrap, e -> eventIds.contains(e.eventId())).stream()
            .map(StoredEvents.Keyed::event)
            .toList();
    assertEquals(eventIds.size(), found.size(), "every stored instance has its event");
    return found;
  }
}
