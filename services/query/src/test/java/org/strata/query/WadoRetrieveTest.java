package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.strata.query.WadoTestData.CT_SERIES;
import static org.strata.query.WadoTestData.CT_SOP;
import static org.strata.query.WadoTestData.CT_STUDY;
import static org.strata.query.WadoTestData.LEAK_STUDY;
import static org.strata.query.WadoTestData.OTHER_STUDY;
import static org.strata.query.WadoTestData.SC16_SOP;
import static org.strata.query.WadoTestData.SC_SERIES;
import static org.strata.query.WadoTestData.SC_SOP;
import static org.strata.query.WadoTestData.SC_STUDY;
import static org.strata.query.WadoTestData.sample;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.strata.query.wado.ObjectCache;
import org.strata.query.wado.ObjectReadAhead;
import org.strata.query.wado.ReadAheadHold;
import org.strata.query.wado.StorageExecutor;
import org.strata.query.wado.StoredInstance;
import org.strata.storage.ObjectStore;
import org.strata.testkit.PlatformTestResource;

/** WADO-RS retrieval of studies, series and instances: the stored objects, byte for byte. */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class WadoRetrieveTest extends WadoTestSupport {
  @Inject ObjectCache objectCache;
  @Inject ObjectReadAhead objectReadAhead;
  @Inject StorageExecutor storageExecutor;
  @Inject MeterRegistry meters;

  static final String CT_PATH = "/studies/" + CT_STUDY + "/series/" + CT_SERIES;
  static final String SC_PATH = "/studies/" + SC_STUDY + "/series/" + SC_SERIES;

  @Test
  void instanceIsTheStoredObject() throws Exception {
    List<Part> parts = parts(get(CT_PATH + "/instances/" + CT_SOP, DICOM), "application/dicom");
    assertEquals(1, parts.size());
    assertEquals(
        "application/dicom; transfer-syntax=" + WadoTestData.EXPLICIT_LE,
        parts.get(0).contentType());
    assertArrayEquals(sample("CT_small.dcm"), parts.get(0).body());
  }

  @Test
  void seriesAndStudyInInstanceNumberOrder() throws Exception {
    byte[] rle8 = sample("SC_rgb_rle_2frame.dcm");
    byte[] rle16 = sample("SC_rgb_rle_16bit_2frame.dcm");
    for (String path : List.of(SC_PATH, "/studies/" + SC_STUDY)) {
      List<Part> parts = parts(get(path, DICOM), "application/dicom");
      assertEquals(2, parts.size(), path);
      assertArrayEquals(rle8, parts.get(0).body(), path);
      assertArrayEquals(rle16, parts.get(1).body(), path);
      assertEquals(
          "application/dicom; transfer-syntax=" + WadoTestData.RLE, parts.get(1).contentType());
    }
    List<Part> one = parts(get(SC_PATH + "/instances/" + SC16_SOP, DICOM), "application/dicom");
    assertEquals(1, one.size());
    assertArrayEquals(rle16, one.get(0).body());
  }

  @Test
  void acceptForms() throws Exception {
    byte[] ct = sample("CT_small.dcm");
    for (String accept :
        List.of(
            DICOM + "; transfer-syntax=*",
            "multipart/related; type=application/dicom; transfer-syntax=*",
            DICOM + "; transfer-syntax=" + WadoTestData.EXPLICIT_LE,
            "*/*",
            "multipart/related",
            "application/zip, " + DICOM + ";q=0.5")) {
      List<Part> parts = parts(get("/studies/" + CT_STUDY, accept), "application/dicom");
      assertEquals(1, parts.size(), accept);
      assertArrayEquals(ct, parts.get(0).body(), accept);
    }
    // Both SC objects are RLE: asking for RLE is asking for them as stored.
    assertEquals(
        2,
        parts(get(SC_PATH, DICOM + "; transfer-syntax=" + WadoTestData.RLE), "application/dicom")
            .size());
  }

  @Test
  void unsupportedTranscodingAndOtherTypesAreNotAcceptable() throws Exception {
    assertProblem(
        get(SC_PATH, DICOM + "; transfer-syntax=1.2.840.10008.1.2.4.90"), 406, "transcoding");
    assertProblem(
        get("/studies/" + CT_STUDY, DICOM + "; transfer-syntax=1.2.840.10008.1.2.4.50"),
        406,
        "transcoding");
    assertProblem(get("/studies/" + CT_STUDY, "application/zip"), 406, "multipart/related");
    assertProblem(
        get("/studies/" + CT_STUDY, "multipart/related; type=\"application/octet-stream\""),
        406,
        "multipart/related");
  }

  @Test
  void notFound() throws Exception {
    assertProblem(get("/studies/1.2.3.4.5", DICOM), 404, "no such study");
    assertProblem(get("/studies/" + SC_STUDY + "/series/1.2.3", DICOM), 404, "no such series");
    assertProblem(get(SC_PATH + "/instances/1.2.3", DICOM), 404, "no such instance");
    // the instance exists, but in another series
    assertProblem(get(CT_PATH + "/instances/" + SC_SOP, DICOM), 404, "no such instance");
  }

  @Test
  void tenantIsolation() throws Exception {
    // Indexed (and stored) for tenant wado-b only.
    assertProblem(get("/studies/" + OTHER_STUDY, DICOM), 404, "no such study");
    assertProblem(
        get(
            "/studies/"
                + OTHER_STUDY
                + "/series/"
                + OTHER_STUDY
                + ".1/instances/"
                + OTHER_STUDY
                + ".1.1",
            DICOM),
        404,
        "no such instance");
    // Indexed for wado, but its object key lies under wado-b's prefix: never served.
    assertProblem(get("/studies/" + LEAK_STUDY, DICOM), 404, "no such study");
    assertProblem(get("/studies/" + LEAK_STUDY + "/metadata", "application/dicom+json"), 404, "");
  }

  @Test
  void malformedUids() throws Exception {
    assertProblem(get("/studies/abc", DICOM), 400, "StudyInstanceUID");
    assertProblem(get("/studies/" + CT_STUDY + "/series/1..2", DICOM), 400, "SeriesInstanceUID");
    assertProblem(get(CT_PATH + "/instances/1.2.x", DICOM), 400, "SOPInstanceUID");
  }

  /**
   * ADR 0070: a series' metadata answer reads the series' objects into the object cache in the
   * background, so the frames a viewer asks for next come from local disk: served here as read
   * ahead after the objects in S3 were overwritten with other bytes (no frame was asked for before;
   * the frame index, computed from S3's object, is the same for both).
   */
  @Test
  void aMetadataAnswerReadsTheSeriesObjectsAheadIntoTheCache() throws Exception {
    String study = "1.2.826.0.1.3680043.10.1137.70." + (System.nanoTime() % 1_000_000_000L);
    String series = study + ".1";
    byte[] ct = sample("CT_small.dcm");
    ObjectStore s3 = WadoTestData.s3();
    List<StoredInstance> stored = ctSeries(s3, study, series, 2, "AHEAD70");
    assertEquals(
        2,
        json(get("/studies/" + study + "/series/" + series + "/metadata", "application/dicom+json"))
            .size());
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (!stored.stream().allMatch(objectCache::contains)) {
      assertTrue(System.nanoTime() < deadline, "the series' objects were not read ahead");
      Thread.sleep(50);
    }
    byte[] changed = ct.clone();
    changed[ct.length - 1] ^= 0x55; // the last pixel byte: same length, other content
    for (StoredInstance i : stored) {
      WadoTestData.put(s3, i.objectKey(), changed);
    }
    for (StoredInstance i : stored) {
      String frame = framePath(i);
      assertArrayEquals(
          slice(ct, 6300, 128 * 128 * 2),
          parts(get(frame, OCTET), "application/octet-stream").get(0).body(),
          "from the cache: S3 holds other bytes now");
    }
  }

  /** A series of {@code count} CT_small objects in S3 and the index, as the index has them. */
  private static List<StoredInstance> ctSeries(
      ObjectStore s3, String study, String series, int count, String patientId) throws Exception {
    byte[] ct = sample("CT_small.dcm");
    List<StoredInstance> stored = new ArrayList<>();
    try (Connection c = IndexDb.connect()) {
      long p = WadoTestData.patient(c, WadoTestData.TENANT, patientId);
      long st = WadoTestData.study(c, WadoTestData.TENANT, study, p);
      long se = WadoTestData.series(c, WadoTestData.TENANT, st, series, count);
      for (int n = 1; n <= count; n++) {
        String sop = series + "." + n;
        String key = WadoTestData.key(WadoTestData.TENANT, study, series, sop);
        WadoTestData.put(s3, key, ct);
        long pk =
            WadoTestData.instance(
                c, WadoTestData.TENANT, se, sop, n, WadoTestData.EXPLICIT_LE, key, ct.length);
        stored.add(
            new StoredInstance(
                study,
                series,
                sop,
                WadoTestData.EXPLICIT_LE,
                WadoTestData.BUCKET,
                key,
                ct.length,
                null,
                null,
                storedEvent(c, pk)));
      }
    }
    return stored;
  }

  /**
   * ADR 0075: a frame asked for while its object waits in the read-ahead's queue is read at once,
   * ahead of the queue. The read-ahead's threads are held busy here, so the series' objects stay
   * queued: the frame's object is read (counted as "promoted"), the others only once the threads
   * are free again.
   */
  @Test
  void aFrameOfAnObjectWaitingInTheReadAheadQueueIsReadFirst() throws Exception {
    String study = "1.2.826.0.1.3680043.10.1137.75." + (System.nanoTime() % 1_000_000_000L);
    String series = study + ".1";
    List<StoredInstance> stored = ctSeries(WadoTestData.s3(), study, series, 3, "AHEAD75");
    StoredInstance wanted = stored.get(1);
    double promoted = waits("promoted");
    try (ReadAheadHold hold = ReadAheadHold.of(storageExecutor)) {
      assertEquals(
          3,
          json(get(
                  "/studies/" + study + "/series/" + series + "/metadata",
                  "application/dicom+json"))
              .size());
      hold.awaitQueued(objectReadAhead, stored); // offered once the answer is out
      String frame = framePath(wanted);
      assertArrayEquals(
          slice(sample("CT_small.dcm"), 6300, 128 * 128 * 2),
          parts(get(frame, OCTET), "application/octet-stream").get(0).body());
      assertEquals(promoted + 1, waits("promoted"), "read by the request, out of the queue");
      assertTrue(objectCache.contains(wanted));
      assertTrue(
          !objectCache.contains(stored.get(0)) && !objectCache.contains(stored.get(2)),
          "the rest of the queue waits for the read-ahead's threads");
    }
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (!stored.stream().allMatch(objectCache::contains)) {
      assertTrue(System.nanoTime() < deadline, "the rest of the queue was not read");
      Thread.sleep(50);
    }
  }

  /** The path of frame 1 of {@code i}. */
  private static String framePath(StoredInstance i) {
    return "/studies/"
        + i.studyUid()
        + "/series/"
        + i.seriesUid()
        + "/instances/"
        + i.sopInstanceUid()
        + "/frames/1";
  }

  /** How many requests got their whole object from {@code source} (ADR 0075's timer). */
  private double waits(String source) {
    var timer = meters.find("strata.query.wado.object.wait").tag("source", source).timer();
    return timer == null ? 0 : timer.count();
  }

  private static String storedEvent(Connection c, long instancePk) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement("select stored_event_id from instance where pk = ?")) {
      ps.setLong(1, instancePk);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /**
   * ADR 0058: a study read again comes from the object cache (still served after its S3 objects are
   * gone), in order and byte for byte, frames too; an instance stored anew under the same key (a
   * new stored event) is read again from S3, and a deleted one is not served at all.
   */
  @Test
  void objectCacheServesRecentObjectsButNeverAReplacedOrDeletedVersion() throws Exception {
    String study = "1.2.826.0.1.3680043.10.1137.58." + (System.nanoTime() % 1_000_000_000L);
    String series = study + ".1";
    byte[] ct = sample("CT_small.dcm");
    byte[] changed = ct.clone();
    changed[ct.length - 1] ^= 0x55; // the last pixel byte: same length, other content
    ObjectStore s3 = WadoTestData.s3();
    String key1 = WadoTestData.key(WadoTestData.TENANT, study, series, series + ".1");
    String key2 = WadoTestData.key(WadoTestData.TENANT, study, series, series + ".2");
    WadoTestData.put(s3, key1, ct);
    WadoTestData.put(s3, key2, changed);
    long first;
    long second;
    try (Connection c = IndexDb.connect()) {
      long p = WadoTestData.patient(c, WadoTestData.TENANT, "CACHE58");
      long st = WadoTestData.study(c, WadoTestData.TENANT, study, p);
      long se = WadoTestData.series(c, WadoTestData.TENANT, st, series, 1);
      String ts = WadoTestData.EXPLICIT_LE;
      first =
          WadoTestData.instance(c, WadoTestData.TENANT, se, series + ".1", 1, ts, key1, ct.length);
      second =
          WadoTestData.instance(c, WadoTestData.TENANT, se, series + ".2", 2, ts, key2, ct.length);
    }
    String frame =
        "/studies/" + study + "/series/" + series + "/instances/" + series + ".1/frames/1";
    byte[] frameBytes = slice(ct, 6300, 128 * 128 * 2);
    assertArrayEquals(
        frameBytes, parts(get(frame, OCTET), "application/octet-stream").get(0).body());
    for (int round = 0; round < 2; round++) {
      List<Part> parts = parts(get("/studies/" + study, DICOM), "application/dicom");
      assertEquals(2, parts.size());
      assertArrayEquals(ct, parts.get(0).body());
      assertArrayEquals(changed, parts.get(1).body());
    }
    s3.delete(key1);
    s3.delete(key2);
    List<Part> cached = parts(get("/studies/" + study, DICOM), "application/dicom");
    assertEquals(2, cached.size());
    assertArrayEquals(ct, cached.get(0).body(), "from the cache: S3 no longer has it");
    assertArrayEquals(changed, cached.get(1).body());
    assertArrayEquals(
        frameBytes, parts(get(frame, OCTET), "application/octet-stream").get(0).body());

    // Stored anew under the same key with other bytes of the same length: a new stored event.
    WadoTestData.put(s3, key1, changed);
    try (Connection c = IndexDb.connect();
        PreparedStatement ps =
            c.prepareStatement("update instance set stored_event_id = ? where pk = ?")) {
      ps.setObject(1, UUID.randomUUID());
      ps.setLong(2, first);
      ps.executeUpdate();
    }
    String instance1 = "/studies/" + study + "/series/" + series + "/instances/" + series + ".1";
    assertArrayEquals(
        changed, parts(get(instance1, DICOM), "application/dicom").get(0).body(), "not the old");

    // Deleted from the index: not served, although its bytes are still in the cache.
    try (Connection c = IndexDb.connect();
        PreparedStatement location =
            c.prepareStatement("delete from object_location where instance_pk = ?");
        PreparedStatement row = c.prepareStatement("delete from instance where pk = ?")) {
      location.setLong(1, second);
      location.executeUpdate();
      row.setLong(1, second);
      row.executeUpdate();
    }
    assertEquals(
        404,
        get("/studies/" + study + "/series/" + series + "/instances/" + series + ".2", DICOM)
            .statusCode());
    assertEquals(1, parts(get("/studies/" + study, DICOM), "application/dicom").size());
  }
}
