package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.strata.query.WadoTestData.BUCKET;
import static org.strata.query.WadoTestData.OTHER_TENANT;
import static org.strata.query.WadoTestData.RLE;
import static org.strata.query.WadoTestData.SC_SWAPPED_FRAME_INDEX;
import static org.strata.query.WadoTestData.TENANT;
import static org.strata.query.WadoTestData.sample;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStore;

/**
 * What overlapping S3 reads must not change (ADR 0013): series metadata and series retrieval of 40
 * instances come in instance-number order, byte for byte, whatever order the reads finish in; a
 * frame index, once read, and a deleted instance. Run with the default settings ({@link
 * WadoOverlapTest}) and with tiny buffers, no read-ahead beyond one object and no frame-index cache
 * ({@link WadoOverlapSmallBuffersTest}), each on a study of its own.
 *
 * <p>The 40 "objects" are not DICOM: retrieval as stored copies bytes and never parses them. Object
 * {@code n} is {@code "object n;"} repeated {@code 10 n} times (90 to 4,400 bytes, so some are
 * above the small profile's 1,000-byte read-ahead size and are read in two parts). Its sidecar is
 * {@code {"00200013":{"vr":"IS","Value":[n]}}}, with a 100-character LT value added for every fifth
 * one (above the small profile's 64-byte metadata buffer, so streamed in its turn). Rows are
 * inserted in the order 1, 18, 35, 12, ... ({@code 17 k mod 40}), so index order is not instance
 * order.
 */
abstract class WadoOverlapChecks extends WadoTestSupport {
  static final int COUNT = 40;

  /** The study of this class: its own, so one class's changes do not reach the other. */
  abstract String study();

  /** Whether frame indexes and sidecars are cached in this class's profile. */
  abstract boolean frameIndexCached();

  String series() {
    return study() + ".1";
  }

  String sop(int n) {
    return series() + "." + n;
  }

  /** A study of one series whose metadata the index holds (ADR 0045). */
  String indexedStudy() {
    return study() + ".9";
  }

  /** The series of {@link #indexedStudy}: the index holds the metadata of all but instance 7. */
  String indexedSeries() {
    return indexedStudy() + ".1";
  }

  static final int INDEXED = 20;

  /** Instance 7 of the indexed series has no metadata row, only a sidecar. */
  static final int SIDECAR_ONLY = 7;

  /** Another tenant's metadata for the same UIDs and stored events. */
  static String otherTenantMetadata(int n) {
    return "{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Other^" + n + "\"}]}}";
  }

  String frameSeries() {
    return study() + ".2";
  }

  String frameSop() {
    return frameSeries() + ".1";
  }

  static byte[] object(int n) {
    return ("object " + n + ";").repeat(10 * n).getBytes(StandardCharsets.US_ASCII);
  }

  static String sidecar(int n) {
    return "{\"00200013\":{\"vr\":\"IS\",\"Value\":["
        + n
        + "]}"
        + (n % 5 == 0
            ? ",\"00204000\":{\"vr\":\"LT\",\"Value\":[\"" + "x".repeat(100) + "\"]}"
            : "")
        + "}";
  }

  static ObjectStore s3() {
    return WadoTestData.s3();
  }

  @BeforeEach
  void studyOfThisClass() throws Exception {
    ObjectStore s3 = s3();
    for (int n = 1; n <= COUNT; n++) {
      String key = WadoTestData.key(TENANT, study(), series(), sop(n));
      WadoTestData.put(s3, key, object(n));
      WadoTestData.put(
          s3,
          ObjectKeys.sidecar(TENANT, study(), series(), sop(n)),
          sidecar(n).getBytes(StandardCharsets.UTF_8));
    }
    String frameKey = WadoTestData.key(TENANT, study(), frameSeries(), frameSop());
    WadoTestData.put(s3, frameKey, sample("SC_rgb_rle_2frame.dcm"));
    try (Connection c = IndexDb.connect()) {
      try (PreparedStatement ps =
          c.prepareStatement("select count(*) from study where tenant = ? and study_uid = ?")) {
        ps.setString(1, TENANT);
        ps.setString(2, study());
        try (var rs = ps.executeQuery()) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
      }
      // The frame index (frames swapped, as WadoTestData's) is written with the rows, once: the
      // cache test replaces it.
      WadoTestData.put(
          s3,
          ObjectKeys.frameIndex(TENANT, study(), frameSeries(), frameSop()),
          SC_SWAPPED_FRAME_INDEX);
      c.setAutoCommit(false);
      long patient = WadoTestData.patient(c, TENANT, "OVERLAP-" + study());
      long st = WadoTestData.study(c, TENANT, study(), patient);
      long se = WadoTestData.series(c, TENANT, st, series(), 1);
      for (int k = 0; k < COUNT; k++) {
        int n = (17 * k) % COUNT + 1;
        WadoTestData.instance(
            c,
            TENANT,
            se,
            sop(n),
            n,
            WadoTestData.EXPLICIT_LE,
            WadoTestData.key(TENANT, study(), series(), sop(n)),
            object(n).length);
      }
      long fs = WadoTestData.series(c, TENANT, st, frameSeries(), 2);
      WadoTestData.instance(c, TENANT, fs, frameSop(), 1, RLE, frameKey, 2696);
      indexedSeriesRows(c, s3, patient);
      c.commit();
    }
  }

  /**
   * The indexed series: instances 1..20 (and 21, which a test deletes) with metadata rows holding
   * {@link #sidecar}, inserted out of order, no objects and no sidecars in S3 but instance 7's; the
   * same UIDs in another tenant, with the same stored events and other metadata.
   */
  private void indexedSeriesRows(Connection c, ObjectStore s3, long patient) throws Exception {
    String series = indexedSeries();
    WadoTestData.put(
        s3,
        ObjectKeys.sidecar(TENANT, indexedStudy(), series, series + "." + SIDECAR_ONLY),
        sidecar(SIDECAR_ONLY).getBytes(StandardCharsets.UTF_8));
    long study = WadoTestData.study(c, TENANT, indexedStudy(), patient);
    long se = WadoTestData.series(c, TENANT, study, series, 1);
    long otherPatient = WadoTestData.patient(c, OTHER_TENANT, "OVERLAP-" + study());
    long otherStudy = WadoTestData.study(c, OTHER_TENANT, indexedStudy(), otherPatient);
    long otherSe = WadoTestData.series(c, OTHER_TENANT, otherStudy, series, 1);
    for (int k = 0; k <= INDEXED; k++) {
      int n = (8 * k) % (INDEXED + 1) + 1;
      String sop = series + "." + n;
      long pk =
          WadoTestData.instance(
              c,
              TENANT,
              se,
              sop,
              n,
              WadoTestData.EXPLICIT_LE,
              WadoTestData.key(TENANT, indexedStudy(), series, sop),
              100);
      if (n != SIDECAR_ONLY) {
        WadoTestData.metadata(c, pk, sidecar(n));
      }
      long other =
          WadoTestData.instance(
              c,
              OTHER_TENANT,
              otherSe,
              sop,
              n,
              WadoTestData.EXPLICIT_LE,
              WadoTestData.key(OTHER_TENANT, indexedStudy(), series, sop),
              100);
      WadoTestData.metadata(c, other, otherTenantMetadata(n));
      try (PreparedStatement ps =
          c.prepareStatement(
              "update instance set stored_event_id = (select stored_event_id from instance where"
                  + " pk = ?) where pk = ?")) {
        ps.setLong(1, pk);
        ps.setLong(2, other);
        ps.executeUpdate();
      }
    }
  }

  /**
   * ADR 0045: series and study metadata from the index's copies, byte for byte, in instance order
   * across pages of rows, mixed with a sidecar; the caller's tenant's rows only; a deleted instance
   * gone. Nothing else in S3 could give these bytes: the objects do not exist.
   */
  @Test
  void metadataFromTheIndex() throws Exception {
    String path = "/studies/" + indexedStudy() + "/series/" + indexedSeries() + "/metadata";
    StringBuilder expected = new StringBuilder("[");
    for (int n = 1; n <= INDEXED + 1; n++) {
      expected.append(n > 1 ? "," : "").append(sidecar(n));
    }
    var r = get(path, "application/json");
    assertEquals(200, r.statusCode(), r.asString());
    assertEquals(expected + "]", new String(r.asByteArray(), StandardCharsets.UTF_8), "the series");
    var one =
        get(path.replace("/metadata", "/instances/" + indexedSeries() + ".5/metadata"), "*/*");
    assertEquals("[" + sidecar(5) + "]", new String(one.asByteArray(), StandardCharsets.UTF_8));
    assertEquals(
        expected + "]",
        new String(
            get("/studies/" + indexedStudy() + "/metadata", "application/dicom+json").asByteArray(),
            StandardCharsets.UTF_8),
        "the study");

    try (Connection c = IndexDb.connect();
        PreparedStatement ps =
            c.prepareStatement("delete from instance where tenant = ? and sop_instance_uid = ?")) {
      ps.setString(1, TENANT);
      ps.setString(2, indexedSeries() + "." + (INDEXED + 1));
      assertEquals(1, ps.executeUpdate());
    }
    StringBuilder afterDelete = new StringBuilder("[");
    for (int n = 1; n <= INDEXED; n++) {
      afterDelete.append(n > 1 ? "," : "").append(sidecar(n));
    }
    assertEquals(
        afterDelete + "]",
        new String(get(path, "application/json").asByteArray(), StandardCharsets.UTF_8),
        "the deleted instance is gone");
  }

  @Test
  void seriesMetadataInInstanceOrder() throws Exception {
    var r = get("/studies/" + study() + "/series/" + series() + "/metadata", "application/json");
    assertEquals(200, r.statusCode());
    StringBuilder expected = new StringBuilder("[");
    for (int n = 1; n <= COUNT; n++) {
      expected.append(n > 1 ? "," : "").append(sidecar(n));
    }
    expected.append(']');
    // Byte for byte: the sidecars as stored, in instance number order.
    assertEquals(expected.toString(), new String(r.asByteArray(), StandardCharsets.UTF_8));
    JsonNode array = JSON.readTree(r.asByteArray());
    assertEquals(COUNT, array.size());
    assertEquals(40, array.get(39).path("00200013").path("Value").path(0).asInt());
  }

  @Test
  void seriesRetrievalInInstanceOrder() throws Exception {
    List<Part> parts =
        parts(get("/studies/" + study() + "/series/" + series(), DICOM), "application/dicom");
    assertEquals(COUNT, parts.size());
    for (int n = 1; n <= COUNT; n++) {
      Part p = parts.get(n - 1);
      assertEquals("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", p.contentType());
      assertArrayEquals(object(n), p.body(), "part " + n);
    }
    // Object 40: "object 40;" 400 times = 4,000 bytes.
    assertEquals(4000, parts.get(39).body().length);
  }

  @Test
  void studyRetrievalHasBothSeries() throws Exception {
    List<Part> parts = parts(get("/studies/" + study(), DICOM), "application/dicom");
    assertEquals(COUNT + 1, parts.size());
    assertArrayEquals(object(1), parts.get(0).body());
    assertArrayEquals(sample("SC_rgb_rle_2frame.dcm"), parts.get(COUNT).body());
  }

  /**
   * The sidecar of instance 3 is rewritten after its metadata was served: with the cache the first
   * one is still served, without it the new one. (Sidecars are rewritten only for a new version of
   * an instance, which has a new object key: see ByteBoundedLruTest.)
   */
  @Test
  void sidecarCache() throws Exception {
    String path =
        "/studies/" + study() + "/series/" + series() + "/instances/" + sop(3) + "/metadata";
    var first = get(path, "application/json");
    assertEquals("[" + sidecar(3) + "]", new String(first.asByteArray(), StandardCharsets.UTF_8));
    String rewritten = "{\"00200013\":{\"vr\":\"IS\",\"Value\":[33]}}";
    WadoTestData.put(
        s3(),
        ObjectKeys.sidecar(TENANT, study(), series(), sop(3)),
        rewritten.getBytes(StandardCharsets.UTF_8));
    try {
      var second = get(path, "application/json");
      assertEquals(
          "[" + (frameIndexCached() ? sidecar(3) : rewritten) + "]",
          new String(second.asByteArray(), StandardCharsets.UTF_8));
    } finally {
      WadoTestData.put(
          s3(),
          ObjectKeys.sidecar(TENANT, study(), series(), sop(3)),
          sidecar(3).getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Instance 4 is deleted from the index and stored again under the same (version 1) object key
   * with another sidecar, as ingest and the index do after a delete (a new stored event): its
   * metadata is the new sidecar, the cache notwithstanding.
   */
  @Test
  void storedAgainAfterADeleteIsNotServedFromTheCache() throws Exception {
    String path =
        "/studies/" + study() + "/series/" + series() + "/instances/" + sop(4) + "/metadata";
    assertEquals(
        "[" + sidecar(4) + "]",
        new String(get(path, "application/json").asByteArray(), StandardCharsets.UTF_8));
    String again = "{\"00200013\":{\"vr\":\"IS\",\"Value\":[4]},\"00080018\":{\"vr\":\"UI\"}}";
    try {
      restore(again);
      assertEquals(
          "[" + again + "]",
          new String(get(path, "application/json").asByteArray(), StandardCharsets.UTF_8));
    } finally {
      restore(sidecar(4));
    }
  }

  /** Instance 4's rows deleted and inserted again (a new stored event), with this sidecar. */
  private void restore(String sidecar) throws Exception {
    WadoTestData.put(
        s3(),
        ObjectKeys.sidecar(TENANT, study(), series(), sop(4)),
        sidecar.getBytes(StandardCharsets.UTF_8));
    try (Connection c = IndexDb.connect()) {
      long seriesPk;
      try (PreparedStatement ps =
          c.prepareStatement("select pk from series where tenant = ? and series_uid = ?")) {
        ps.setString(1, TENANT);
        ps.setString(2, series());
        seriesPk = IndexDb.pk(ps);
      }
      try (PreparedStatement ps =
          c.prepareStatement("delete from instance where tenant = ? and sop_instance_uid = ?")) {
        ps.setString(1, TENANT);
        ps.setString(2, sop(4));
        assertEquals(1, ps.executeUpdate());
      }
      WadoTestData.instance(
          c,
          TENANT,
          seriesPk,
          sop(4),
          4,
          WadoTestData.EXPLICIT_LE,
          WadoTestData.key(TENANT, study(), series(), sop(4)),
          object(4).length);
    }
  }

  /**
   * Frame 1 through the swapped frame index: the bytes of the object's second fragment (1352 + 672
   * = 2024, 664 bytes). Then the frame index object is replaced by the true one (frame 1 at 1352):
   * with the cache the answer stays the same (the index is not read again: one S3 request per
   * frame), without it the new index is read. Then the instance's location is deleted from the
   * index: 404 either way, the cache notwithstanding.
   */
  @Test
  void frameIndexCacheAndDeletes() throws Exception {
    byte[] object = sample("SC_rgb_rle_2frame.dcm");
    String frame1 =
        "/studies/"
            + study()
            + "/series/"
            + frameSeries()
            + "/instances/"
            + frameSop()
            + "/frames/1";
    List<Part> before = parts(get(frame1, OCTET), "application/octet-stream");
    assertArrayEquals(Arrays.copyOfRange(object, 2024, 2024 + 664), before.get(0).body());

    // The true index: frame 1 = (1352, 664), frame 2 = (2024, 664); zigzag(1352) = 2704 = 90 15,
    // 664 = 98 05, zigzag(2024 - 2016) = 16 = 10.
    byte[] trueIndex = {
      'S',
      'F',
      'I',
      'X',
      1,
      1,
      2,
      1,
      (byte) 0x90,
      0x15,
      (byte) 0x98,
      0x05,
      1,
      0x10,
      (byte) 0x98,
      0x05
    };
    WadoTestData.put(
        s3(), ObjectKeys.frameIndex(TENANT, study(), frameSeries(), frameSop()), trueIndex);
    List<Part> after = parts(get(frame1, OCTET), "application/octet-stream");
    int expectedOffset = frameIndexCached() ? 2024 : 1352;
    assertArrayEquals(
        Arrays.copyOfRange(object, expectedOffset, expectedOffset + 664), after.get(0).body());

    String key = WadoTestData.key(TENANT, study(), frameSeries(), frameSop());
    try (Connection c = IndexDb.connect()) {
      try (PreparedStatement ps =
          c.prepareStatement("delete from object_location where object_key = ?")) {
        ps.setString(1, key);
        assertEquals(1, ps.executeUpdate());
      }
      try {
        assertEquals(404, get(frame1, OCTET).statusCode());
      } finally {
        // Back as it was, for the other tests of the class.
        try (PreparedStatement ps =
            c.prepareStatement(
                "insert into object_location (instance_pk, bucket, object_key, size, sidecar_key,"
                    + " frame_index_key) select pk, ?, ?, 2696, ?, ? from instance"
                    + " where tenant = ? and sop_instance_uid = ?")) {
          String base = key.substring(0, key.length() - ".dcm".length());
          ps.setString(1, BUCKET);
          ps.setString(2, key);
          ps.setString(3, base + ".json");
          ps.setString(4, base + ".frames");
          ps.setString(5, TENANT);
          ps.setString(6, frameSop());
          assertEquals(1, ps.executeUpdate());
        }
      }
    }
  }
}
