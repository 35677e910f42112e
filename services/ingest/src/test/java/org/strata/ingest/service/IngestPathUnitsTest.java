package org.strata.ingest.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.strata.dicom.Attributes;
import org.strata.ingest.config.DerivativesConfig;
import org.strata.ingest.config.IngestConfig;

/** The plain parts of the ingest data path: admission, what the derivatives need, the limits. */
class IngestPathUnitsTest {
  private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  private static final String DEFLATED = "1.2.840.10008.1.2.1.99";

  private static <T> T mapping(Class<T> type, Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(type)
            .withConverter(Duration.class, 100, new DurationConverter())
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .build();
    return config.getConfigMapping(type);
  }

  private static ParsedHeader header(
      String ts, int headerLength, long pixelStart, long pixelEnd, long fragments) {
    return new ParsedHeader(
        new Attributes(),
        new Attributes(),
        ts,
        "1.2.840.10008.5.1.4.1.1.2",
        "1.2.3.4",
        "1.2",
        "1.2.3",
        new byte[headerLength],
        pixelStart,
        pixelEnd,
        fragments);
  }

  @Test
  void aKeyWhoseEventIsHeldBackIsPublishedOnceAnotherStoreWaitsForIt() throws Exception {
    StoreAdmission admission =
        new StoreAdmission(
            mapping(IngestConfig.class, Map.of("strata.ingest.max-concurrent-stores", "2")));
    String key = "hosp.a/1.2/1.2.3/1.2.3.4.dcm";
    StoreAdmission.KeyHold first = admission.hold(key);
    // Another key is free; the same key (another String) is not.
    admission.hold("hosp.a/1.2/1.2.3/1.2.3.5.dcm").release();
    CountDownLatch published = new CountDownLatch(1);
    assertFalse(first.heldBackUntil(published::countDown), "nobody waits yet");
    CountDownLatch held = new CountDownLatch(1);
    Thread second =
        Thread.ofVirtual()
            .start(
                () -> {
                  admission.hold(new String(key)).release();
                  held.countDown();
                });
    // The waiting store has the held-back event published (ADR 0066)...
    published.await();
    assertFalse(held.await(200, TimeUnit.MILLISECONDS));
    // ...and holds the key once the first store gives it back, from any thread.
    Thread.ofVirtual().start(first::release).join();
    held.await();
    second.join();
    assertFalse(admission.isHeld(key));

    // A store waiting before the event is held back: the holder is told to publish at once.
    StoreAdmission.KeyHold again = admission.hold(key);
    Thread waiter = Thread.ofVirtual().start(() -> admission.hold(key).release());
    while (waiter.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    assertTrue(again.heldBackUntil(() -> {}), "a store waits for the key");
    again.release();
    waiter.join();
  }

  @Test
  void aThirdStoreWaitsForOneOfTwoSlots() throws Exception {
    StoreAdmission admission =
        new StoreAdmission(
            mapping(IngestConfig.class, Map.of("strata.ingest.max-concurrent-stores", "2")));
    admission.enter();
    admission.enter();
    AtomicBoolean entered = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread third =
        Thread.ofVirtual()
            .start(
                () -> {
                  admission.enter();
                  entered.set(true);
                  done.countDown();
                });
    // No timing assertion: the third store has not entered while both slots are taken...
    assertFalse(done.await(200, TimeUnit.MILLISECONDS));
    assertFalse(entered.get());
    admission.leave();
    // ...and enters once one is given back.
    done.await();
    assertTrue(entered.get());
    third.join();
  }

  @Test
  void theTailIsKeptFromAfterALargePixelDataOrFromTheStartOfASmallOne() {
    DerivativeInputs inputs =
        new DerivativeInputs(
            mapping(
                DerivativesConfig.class, Map.of("strata.derivatives.bulk-data-threshold", "100")));
    assertEquals(1100, inputs.keptFrom(header(EXPLICIT_LE, 500, 600, 1100, -1)));
    assertEquals(600, inputs.keptFrom(header(EXPLICIT_LE, 500, 600, 700, -1)));
    assertEquals(-1, inputs.keptFrom(header(EXPLICIT_LE, 500, -1, -1, -1)));
  }

  @Test
  void theHeaderStandsForTheObjectOnlyWhenEveryByteTheWriterReadsIsKnown() {
    DerivativeInputs inputs =
        new DerivativeInputs(
            mapping(
                DerivativesConfig.class, Map.of("strata.derivatives.bulk-data-threshold", "100")));
    ParsedHeader nativePixels = header(EXPLICIT_LE, 500, 600, 1100, -1);
    assertTrue(inputs.headerStandsForObject(nativePixels, new byte[20], 1120));
    assertFalse(inputs.headerStandsForObject(nativePixels, new byte[20], 1200), "tail not whole");
    assertFalse(inputs.headerStandsForObject(nativePixels, null, 1100));
    assertTrue(inputs.headerStandsForObject(header(EXPLICIT_LE, 500, -1, -1, -1), null, 500));
    assertFalse(inputs.headerStandsForObject(header(EXPLICIT_LE, 500, -1, -1, -1), null, 501));
    assertFalse(inputs.headerStandsForObject(header(EXPLICIT_LE, 500, -1, -1, 600), null, 500));
    assertFalse(inputs.headerStandsForObject(header(DEFLATED, 500, -1, -1, -1), null, 500));
  }

  @Test
  void theObjectSizeLimitFailsTheReadThatCrossesIt() throws IOException {
    LimitedInputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[10]), 9);
    assertEquals(9, in.readNBytes(9).length);
    assertFalse(in.exceeded());
    assertThrows(LimitedInputStream.TooLargeException.class, in::read);
    assertTrue(in.exceeded());
    InputStream exact = new LimitedInputStream(new ByteArrayInputStream(new byte[10]), 10);
    assertEquals(10, exact.readAllBytes().length);
  }

  @Test
  void sha256IsThatOfTheStandard() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        java.util.HexFormat.of().formatHex(Sha256.newDigest().digest()));
  }
}
