package org.strata.query;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.strata.platform.Component;
import org.strata.storage.ObjectKeys;
import org.strata.storage.ObjectStorage;
import org.strata.storage.ObjectStore;
import org.strata.storage.StorageConfig;
import org.strata.testkit.SharedPlatform;

/**
 * The WADO-RS data set: pydicom's sample objects put into the platform's S3 under the {@code
 * ObjectKeys} layout, and index rows pointing to them inserted over JDBC (the index service does
 * not run). Its own tenants, so the QIDO-RS data set and its expected results stay as they are.
 *
 * <pre>
 * tenant wado (the WadoTestProfile's default tenant)
 *   CT study / series / instance: CT_small.dcm (explicit VR LE, 128x128x16 bit, 1 frame);
 *       no sidecar and no frame index in S3 (not written yet by ingest)
 *   SC study / series:
 *     #1 SC_rgb_rle_2frame.dcm (RLE, 100x100 RGB 8 bit, 2 frames), with a hand-written sidecar and
 *        a hand-written frame index that swaps the two frames (to see that it is used)
 *     #2 SC_rgb_rle_16bit_2frame.dcm (RLE, 16 bit, 2 frames) under a SOP Instance UID of ours
 *        (the sample shares its UIDs with #1); no sidecar, no frame index
 *   CODEC study (transcoding), UIDs of ours (the objects keep theirs):
 *     series .1: #1 MR_small_bigendian.dcm, #2 image_dfl.dcm (deflated), #3 SC_rgb_jpeg_dcmtk.dcm
 *        (JPEG Baseline, YBR_FULL), #4 MR_small_implicit.dcm
 *     series .2: #1 JPEG2000.dcm (no decoder)
 *     series .3: #1 test-SR.dcm (no pixel data, explicit VR LE)
 *   NATIVE study / series (ADR 0073: native frame indexes derived from the metadata), UIDs of ours:
 *     #1 rtdose.dcm (implicit VR LE, 15 frames of 10x10 32 bit), a metadata row, no frame index
 *     #2 ExplVR_BigEnd.dcm (big endian, 60x80 RGB, Planar Configuration 1), a metadata row and a
 *        frame index written as ingest wrote them before ADR 0073
 *     #3 SC_rgb_small_odd.dcm (3x3 RGB: a 27-byte frame), a metadata row with Pixel Data inline
 *     #4 liver_1frame.dcm (512x512, 1 bit allocated), a metadata row, no frame index
 *   LEAK study: an index row whose object key lies under tenant wado-b's prefix
 * tenant wado-b
 *   OTHER study: CT_small.dcm's bytes under wado-b's prefix
 * </pre>
 */
final class WadoTestData {
  static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
  static final String TENANT = "wado";
  static final String OTHER_TENANT = "wado-b";
  static final String BUCKET = "strata-objects";

  // CT_small.dcm, from dcmdump
  static final String CT_STUDY = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
  static final String CT_SERIES = "1.3.6.1.4.1.5962.1.3.1.1.20040119072730.12322";
  static final String CT_SOP = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
  // SC_rgb_rle_2frame.dcm (and SC_rgb_rle_16bit_2frame.dcm), from dcmdump
  static final String SC_STUDY = "1.2.826.0.1.3680043.8.498.12406831542731051035295345080039845114";
  static final String SC_SERIES =
      "1.2.826.0.1.3680043.8.498.16157229083793556332623330502397121062";
  static final String SC_SOP = "1.2.826.0.1.3680043.8.498.49043964482360854182530167603505525116";
  static final String SC16_SOP = "1.2.826.0.1.3680043.10.1137.99.1";
  static final String CODEC_STUDY = "1.2.826.0.1.3680043.10.1137.96";
  static final String CODEC_SERIES = CODEC_STUDY + ".1";
  static final String J2K_SERIES = CODEC_STUDY + ".2";
  static final String SR_SERIES = CODEC_STUDY + ".3";

  /** The objects of CODEC_SERIES in instance number order; SOP Instance UID = series + ".n". */
  static final java.util.List<String> CODEC_SAMPLES =
      java.util.List.of(
          "MR_small_bigendian.dcm",
          "image_dfl.dcm",
          "SC_rgb_jpeg_dcmtk.dcm",
          "MR_small_implicit.dcm");

  static final String CODEC_TS_BE = "1.2.840.10008.1.2.2";
  static final String LEAK_STUDY = "1.2.826.0.1.3680043.10.1137.97";
  static final String NATIVE_STUDY = "1.2.826.0.1.3680043.10.1137.95";
  static final String NATIVE_SERIES = NATIVE_STUDY + ".1";

  /** The objects of NATIVE_SERIES in instance number order; SOP Instance UID = series + ".n". */
  static final java.util.List<String> NATIVE_SAMPLES =
      java.util.List.of(
          "rtdose.dcm", "ExplVR_BigEnd.dcm", "SC_rgb_small_odd.dcm", "liver_1frame.dcm");

  static final String[] NATIVE_SYNTAXES = {
    "1.2.840.10008.1.2", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1"
  };

  /**
   * The metadata of the NATIVE_SERIES instances as ingest's sidecars give it (the attributes frames
   * need; Pixel Data's value range from pydicom: offset, length), without the other attributes.
   */
  static String nativeMetadata(int n) {
    String sop = NATIVE_SERIES + "." + n;
    String bulk =
        "\"BulkDataURI\":\"http://localhost/dicomweb/studies/"
            + NATIVE_STUDY
            + "/series/"
            + NATIVE_SERIES
            + "/instances/"
            + sop
            + "/bulkdata/";
    String attrs =
        switch (n) {
          case 1 ->
              us("00280010", 10)
                  + us("00280011", 10)
                  + us("00280002", 1)
                  + us("00280100", 32)
                  + "\"00280008\":{\"vr\":\"IS\",\"Value\":[15]},"
                  + "\"7FE00010\":{\"vr\":\"OW\","
                  + bulk
                  + "1568-6000\"}";
          case 2 ->
              us("00280010", 60)
                  + us("00280011", 80)
                  + us("00280002", 3)
                  + us("00280006", 1)
                  + us("00280100", 8)
                  + "\"7FE00010\":{\"vr\":\"OB\","
                  + bulk
                  + "1012-14400\"}";
          case 3 ->
              us("00280010", 3)
                  + us("00280011", 3)
                  + us("00280002", 3)
                  + us("00280100", 8)
                  + "\"7FE00010\":{\"vr\":\"OB\",\"InlineBinary\":\""
                  + java.util.Base64.getEncoder().encodeToString(new byte[28])
                  + "\"}";
          default ->
              us("00280010", 512)
                  + us("00280011", 512)
                  + us("00280002", 1)
                  + us("00280100", 1)
                  + "\"7FE00010\":{\"vr\":\"OB\","
                  + bulk
                  + "4316-32768\"}";
        };
    return "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\"" + sop + "\"]}," + attrs + "}";
  }

  private static String us(String tag, int value) {
    return "\"" + tag + "\":{\"vr\":\"US\",\"Value\":[" + value + "]},";
  }

  static final String OTHER_STUDY = "1.2.826.0.1.3680043.10.1137.98";

  static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  static final String RLE = "1.2.840.10008.1.2.5";

  /** The sidecar of SC #1, written by hand: not what the object holds (PatientName differs). */
  static final String SC_SIDECAR =
      "{\"00080018\":{\"vr\":\"UI\",\"Value\":[\""
          + SC_SOP
          + "\"]},\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Sidecar^Written\"}]},"
          + "\"7FE00010\":{\"vr\":\"OB\",\"BulkDataURI\":\"https://example.org/sidecar-bulk\"}}";

  /**
   * A frame index for SC #1 in FrameIndex's serialized form, written byte by byte, with the frames
   * swapped: frame 1 = (2024, 664), frame 2 = (1352, 664). "SFIX", version 1, flags 1
   * (encapsulated), count 2; per frame: 1 range, zigzag offset delta from the end of the previous
   * range, length. zigzag(2024) = 4048 = D0 1F; 664 = 98 05; zigzag(1352 - 2688) = 2671 = EF 14.
   */
  static final byte[] SC_SWAPPED_FRAME_INDEX = {
    'S',
    'F',
    'I',
    'X',
    1,
    1,
    2,
    1,
    (byte) 0xD0,
    0x1F,
    (byte) 0x98,
    0x05,
    1,
    (byte) 0xEF,
    0x14,
    (byte) 0x98,
    0x05
  };

  private static boolean loaded;

  private WadoTestData() {}

  static byte[] sample(String name) throws Exception {
    return Files.readAllBytes(SAMPLES.resolve(name));
  }

  static String key(String tenant, String study, String series, String sop) {
    return ObjectKeys.instance(tenant, study, series, sop, 1);
  }

  /** The test bucket of the platform's S3, opened as the service opens it. */
  static ObjectStore s3() {
    Map<String, String> addresses = SharedPlatform.require(EnumSet.of(Component.S3)).addresses();
    return ObjectStorage.open(StorageConfig.from(k -> Optional.ofNullable(addresses.get(k))))
        .store(BUCKET);
  }

  static synchronized void ensureLoaded() throws Exception {
    if (loaded) {
      return;
    }
    QidoTestData.ensureLoaded(); // the index schema (and the QIDO data, in other tenants)
    ObjectStore s3 = s3();
    put(s3, key(TENANT, CT_STUDY, CT_SERIES, CT_SOP), sample("CT_small.dcm"));
    put(s3, key(TENANT, SC_STUDY, SC_SERIES, SC_SOP), sample("SC_rgb_rle_2frame.dcm"));
    put(
        s3,
        ObjectKeys.sidecar(TENANT, SC_STUDY, SC_SERIES, SC_SOP),
        SC_SIDECAR.getBytes(StandardCharsets.UTF_8));
    put(s3, ObjectKeys.frameIndex(TENANT, SC_STUDY, SC_SERIES, SC_SOP), SC_SWAPPED_FRAME_INDEX);
    put(s3, key(TENANT, SC_STUDY, SC_SERIES, SC16_SOP), sample("SC_rgb_rle_16bit_2frame.dcm"));
    for (int n = 1; n <= CODEC_SAMPLES.size(); n++) {
      String sop = CODEC_SERIES + "." + n;
      put(s3, key(TENANT, CODEC_STUDY, CODEC_SERIES, sop), sample(CODEC_SAMPLES.get(n - 1)));
    }
    put(s3, key(TENANT, CODEC_STUDY, J2K_SERIES, J2K_SERIES + ".1"), sample("JPEG2000.dcm"));
    put(s3, key(TENANT, CODEC_STUDY, SR_SERIES, SR_SERIES + ".1"), sample("test-SR.dcm"));
    for (int n = 1; n <= NATIVE_SAMPLES.size(); n++) {
      String sop = NATIVE_SERIES + "." + n;
      put(s3, key(TENANT, NATIVE_STUDY, NATIVE_SERIES, sop), sample(NATIVE_SAMPLES.get(n - 1)));
      String frames = ObjectKeys.frameIndex(TENANT, NATIVE_STUDY, NATIVE_SERIES, sop);
      if (n == 2) {
        // As ingest wrote it before ADR 0073 (an instance stored then).
        put(
            s3,
            frames,
            org.strata.dicom.io.FrameIndex.build(SAMPLES.resolve(NATIVE_SAMPLES.get(1))).toBytes());
      } else {
        s3.delete(frames);
      }
    }
    String otherKey = key(OTHER_TENANT, OTHER_STUDY, OTHER_STUDY + ".1", OTHER_STUDY + ".1.1");
    put(s3, otherKey, sample("CT_small.dcm"));
    // The objects may still exist from an earlier class of this JVM; the sidecar and frame index
    // of the CT must not (they are "not written yet").
    s3.delete(ObjectKeys.sidecar(TENANT, CT_STUDY, CT_SERIES, CT_SOP));
    s3.delete(ObjectKeys.frameIndex(TENANT, CT_STUDY, CT_SERIES, CT_SOP));

    try (Connection c = IndexDb.connect()) {
      if (IndexDb.hasTenant(c, "wado")) {
        loaded = true;
        return;
      }
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute(
            "insert into tenant (id, default_issuer) values ('wado', 'STRATA-wado'), ('wado-b',"
                + " 'STRATA-wado-b')");
      }
      long p = patient(c, TENANT, "1CT1");
      long ct = study(c, TENANT, CT_STUDY, p);
      long ctSeries = series(c, TENANT, ct, CT_SERIES, 1);
      instance(
          c,
          TENANT,
          ctSeries,
          CT_SOP,
          1,
          EXPLICIT_LE,
          key(TENANT, CT_STUDY, CT_SERIES, CT_SOP),
          39206);
      long sc = study(c, TENANT, SC_STUDY, p);
      long scSeries = series(c, TENANT, sc, SC_SERIES, 1);
      instance(c, TENANT, scSeries, SC_SOP, 1, RLE, key(TENANT, SC_STUDY, SC_SERIES, SC_SOP), 2696);
      instance(
          c, TENANT, scSeries, SC16_SOP, 2, RLE, key(TENANT, SC_STUDY, SC_SERIES, SC16_SOP), 3896);
      long codec = study(c, TENANT, CODEC_STUDY, p);
      long codecSeries = series(c, TENANT, codec, CODEC_SERIES, 1);
      String[] syntaxes = {
        CODEC_TS_BE, "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2"
      };
      sampleInstances(c, CODEC_STUDY, codecSeries, CODEC_SERIES, CODEC_SAMPLES, syntaxes);
      instance(
          c,
          TENANT,
          series(c, TENANT, codec, J2K_SERIES, 2),
          J2K_SERIES + ".1",
          1,
          "1.2.840.10008.1.2.4.91",
          key(TENANT, CODEC_STUDY, J2K_SERIES, J2K_SERIES + ".1"),
          sample("JPEG2000.dcm").length);
      instance(
          c,
          TENANT,
          series(c, TENANT, codec, SR_SERIES, 3),
          SR_SERIES + ".1",
          1,
          EXPLICIT_LE,
          key(TENANT, CODEC_STUDY, SR_SERIES, SR_SERIES + ".1"),
          sample("test-SR.dcm").length);
      long nativeSeries = series(c, TENANT, study(c, TENANT, NATIVE_STUDY, p), NATIVE_SERIES, 1);
      long[] nativePks =
          sampleInstances(
              c, NATIVE_STUDY, nativeSeries, NATIVE_SERIES, NATIVE_SAMPLES, NATIVE_SYNTAXES);
      for (int n = 1; n <= nativePks.length; n++) {
        metadata(c, nativePks[n - 1], nativeMetadata(n));
      }
      long leak = study(c, TENANT, LEAK_STUDY, p);
      instance(
          c,
          TENANT,
          series(c, TENANT, leak, LEAK_STUDY + ".1", 1),
          LEAK_STUDY + ".1.1",
          1,
          EXPLICIT_LE,
          otherKey,
          39206);
      long pb = patient(c, OTHER_TENANT, "1CT1");
      long other = study(c, OTHER_TENANT, OTHER_STUDY, pb);
      instance(
          c,
          OTHER_TENANT,
          series(c, OTHER_TENANT, other, OTHER_STUDY + ".1", 1),
          OTHER_STUDY + ".1.1",
          1,
          EXPLICIT_LE,
          otherKey,
          39206);
      c.commit();
    }
    loaded = true;
  }

  /**
   * Instance n of a series of tenant wado: sample n - 1 in syntax n - 1, SOP Instance UID series +
   * ".n"; returns their pks.
   */
  private static long[] sampleInstances(
      Connection c,
      String study,
      long seriesPk,
      String series,
      java.util.List<String> samples,
      String[] syntaxes)
      throws Exception {
    long[] pks = new long[samples.size()];
    for (int n = 1; n <= samples.size(); n++) {
      String sop = series + "." + n;
      pks[n - 1] =
          instance(
              c,
              TENANT,
              seriesPk,
              sop,
              n,
              syntaxes[n - 1],
              key(TENANT, study, series, sop),
              sample(samples.get(n - 1)).length);
    }
    return pks;
  }

  static void put(ObjectStore s3, String key, byte[] bytes) throws Exception {
    s3.put(key, new ByteArrayInputStream(bytes), "application/octet-stream", Map.of());
  }

  static long patient(Connection c, String tenant, String id) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into patient (tenant, patient_id, issuer, demographics_at) values (?, ?,"
                + " 'HOSP-W', now()) returning pk")) {
      ps.setString(1, tenant);
      ps.setString(2, id);
      return IndexDb.pk(ps);
    }
  }

  static long study(Connection c, String tenant, String uid, long patient) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into study (tenant, study_uid, patient_pk) values (?, ?, ?) returning pk")) {
      ps.setString(1, tenant);
      ps.setString(2, uid);
      ps.setLong(3, patient);
      return IndexDb.pk(ps);
    }
  }

  static long series(Connection c, String tenant, long study, String uid, int number)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into series (tenant, study_pk, series_uid, series_number) values (?, ?, ?, ?)"
                + " returning pk")) {
      ps.setString(1, tenant);
      ps.setLong(2, study);
      ps.setString(3, uid);
      ps.setInt(4, number);
      return IndexDb.pk(ps);
    }
  }

  /**
   * An instance and its object location; sidecar and frame index keys as ingest sets them. Returns
   * the instance's pk.
   */
  static long instance(
      Connection c,
      String tenant,
      long series,
      String sop,
      int number,
      String ts,
      String objectKey,
      long size)
      throws Exception {
    long pk;
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into instance (tenant, series_pk, sop_instance_uid, sop_class_uid,"
                + " instance_number, transfer_syntax_uid, stored_event_id, version) values (?, ?,"
                + " ?, '1.2.840.10008.5.1.4.1.1.7', ?, ?, ?, 1) returning pk")) {
      ps.setString(1, tenant);
      ps.setLong(2, series);
      ps.setString(3, sop);
      ps.setInt(4, number);
      ps.setString(5, ts);
      ps.setObject(6, UUID.randomUUID());
      pk = IndexDb.pk(ps);
    }
    String base = objectKey.substring(0, objectKey.length() - ".dcm".length());
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into object_location (instance_pk, bucket, object_key, size, sidecar_key,"
                + " frame_index_key) values (?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, pk);
      ps.setString(2, BUCKET);
      ps.setString(3, objectKey);
      ps.setLong(4, size);
      ps.setString(5, base + ".json");
      ps.setString(6, base + ".frames");
      ps.executeUpdate();
    }
    return pk;
  }

  /** The index's copy of an instance's metadata (ADR 0045): {@code json} zlib-compressed. */
  static void metadata(Connection c, long instancePk, String json) throws Exception {
    java.util.zip.Deflater deflater = new java.util.zip.Deflater();
    deflater.setInput(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    deflater.finish();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    try (PreparedStatement ps =
        c.prepareStatement("insert into instance_metadata (instance_pk, metadata) values (?, ?)")) {
      ps.setLong(1, instancePk);
      ps.setBytes(2, out.toByteArray());
      ps.executeUpdate();
    }
  }
}
