package org.strata.query;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.strata.dicom.Attributes;
import org.strata.dicom.Tag;
import org.strata.dicom.UID;
import org.strata.dicom.VR;
import org.strata.dicom.net.DicomClient;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.query.dimse.QueryRetrieveServer;
import org.strata.storage.ObjectStore;
import org.strata.storage.TieredStorage;
import org.strata.storage.Tiers;
import org.strata.testkit.PlatformTestResource;
import org.strata.testkit.SharedPlatform;

/**
 * Query serves an instance from wherever the index says, on any tier: before a move (first S3
 * server), while both copies exist, once the index points at the second tier (another S3 server)
 * and after the source is gone. The index rows change as index applies storage-tiering's
 * InstanceMoved.
 */
@QuarkusTest
@TestProfile(WadoTestSupport.WadoProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3,s3_cold"))
class WadoSecondTierTest extends WadoTestSupport {
  private static final String STUDY = "1.2.826.0.1.3680043.10.1146.31";
  private static final String SERIES = STUDY + ".1";
  private static final String SOP = SERIES + ".1";
  private static final String PATH =
      "/studies/" + STUDY + "/series/" + SERIES + "/instances/" + SOP;

  @Inject QueryRetrieveServer scp;

  @Test
  void anInstanceIsServedFromTheTierTheIndexNames() throws Exception {
    Map<String, String> keys =
        SharedPlatform.require(EnumSet.of(Component.S3, Component.S3_COLD)).addresses();
    TieredStorage tiers = TieredStorage.open(Tiers.from(k -> Optional.ofNullable(keys.get(k))));
    ObjectStore hot = tiers.store(tiers.tiers().first());
    ObjectStore cold = tiers.store(tiers.tiers().named("cold").orElseThrow());
    byte[] ct = WadoTestData.sample("CT_small.dcm");
    String key = WadoTestData.key(WadoTestData.TENANT, STUDY, SERIES, SOP);
    WadoTestData.put(hot, key, ct);
    indexed("TIER-1", STUDY, SERIES, SOP, key, ct.length);
    assertServed(ct, "before the move");

    WadoTestData.put(cold, key, ct);
    assertServed(ct, "copied, not switched");

    try (Connection c = IndexDb.connect()) {
      IndexDb.execute(
          c,
          "update object_location set bucket = 'strata-cold', tier = 'cold' where object_key = '"
              + key
              + "'");
    }
    assertServed(ct, "switched, source still there");

    hot.delete(key);
    assertFalse(hot.stat(key).isPresent());
    assertServed(ct, "after the move");
    assertEquals(200, get(PATH + "/metadata", "application/dicom+json").statusCode());
  }

  /**
   * The test profile's cold tier is nearline (delay PT30S, {@link WadoTestSupport.WadoProfile}).
   * With its server stopped, an instance the index places there is 503 with Retry-After 30 and the
   * one error body on WADO-RS (instance, frames) and WADO-URI, never a 404 or a 500, and C-GET is
   * refused with A702 before any sub-operation; once the server is back it is served.
   */
  @Test
  void aNearlineTierThatDoesNotAnswerIs503WithRetryAfterNever404() throws Exception {
    String study = "1.2.826.0.1.3680043.10.1146.32";
    String series = study + ".1";
    String sop = series + ".1";
    String path = "/studies/" + study + "/series/" + series + "/instances/" + sop;
    Platform platform = SharedPlatform.require(EnumSet.of(Component.S3, Component.S3_COLD));
    Map<String, String> keys = platform.addresses();
    TieredStorage tiers = TieredStorage.open(Tiers.from(k -> Optional.ofNullable(keys.get(k))));
    byte[] ct = WadoTestData.sample("CT_small.dcm");
    String key = WadoTestData.key(WadoTestData.TENANT, study, series, sop);
    WadoTestData.put(tiers.store(tiers.tiers().named("cold").orElseThrow()), key, ct);
    indexed("TIER-2", study, series, sop, key, ct.length);
    try (Connection c = IndexDb.connect()) {
      IndexDb.execute(
          c,
          "update object_location set bucket = 'strata-cold', tier = 'cold' where object_key = '"
              + key
              + "'");
    }
    platform.stop(Component.S3_COLD);
    try {
      assertUnavailable(get(path, DICOM));
      assertUnavailable(
          get(path + "/frames/1", "multipart/related; type=application/octet-stream"));
      assertUnavailable(
          given()
              .when()
              .get(
                  "/dicomweb/wado?requestType=WADO&contentType=application/dicom&studyUID="
                      + study
                      + "&seriesUID="
                      + series
                      + "&objectUID="
                      + sop)
              .then()
              .extract());
      assertEquals(0xA702, cGet(study), "C-GET refused before any sub-operation");
    } finally {
      SharedPlatform.require(EnumSet.of(Component.S3, Component.S3_COLD));
    }
    List<Part> parts = parts(get(path, DICOM), "application/dicom");
    assertArrayEquals(ct, parts.get(0).body(), "served once the tier answers");
  }

  /** The index rows of one instance of a new patient, its object at {@code key} on hot. */
  private static void indexed(
      String patientId, String study, String series, String sop, String key, long size)
      throws Exception {
    try (Connection c = IndexDb.connect()) {
      long patient = WadoTestData.patient(c, WadoTestData.TENANT, patientId);
      long st = WadoTestData.study(c, WadoTestData.TENANT, study, patient);
      long se = WadoTestData.series(c, WadoTestData.TENANT, st, series, 1);
      WadoTestData.instance(
          c, WadoTestData.TENANT, se, sop, 1, WadoTestData.EXPLICIT_LE, key, size);
    }
  }

  private static void assertUnavailable(ExtractableResponse<Response> r) {
    assertEquals(503, r.statusCode(), r.asString());
    assertEquals("30", r.header("Retry-After"));
    assertEquals(503, r.jsonPath().getInt("status"));
    assertTrue(r.jsonPath().getString("reason").contains("nearline"), r.asString());
  }

  private int cGet(String study) throws Exception {
    DicomClient.Proposal proposal =
        DicomClient.proposal()
            .add(UID.StudyRootQueryRetrieveInformationModelGet, UID.ExplicitVRLittleEndian)
            .retrieveStorage(UID.CTImageStorage, UID.ExplicitVRLittleEndian);
    try (DicomClient client =
        DicomClient.connect(
            "127.0.0.1",
            scp.port(),
            "TIERGET",
            "STRATA-QR",
            proposal,
            DicomClient.Options.DEFAULTS)) {
      Attributes keys = new Attributes();
      keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
      keys.setString(Tag.StudyInstanceUID, VR.UI, study);
      return client
          .get(
              UID.StudyRootQueryRetrieveInformationModelGet,
              keys,
              (rq, data) -> {
                throw new AssertionError("no sub-operation while the tier is away");
              })
          .status();
    }
  }

  private static void assertServed(byte[] expected, String when) {
    List<Part> parts = parts(get(PATH, DICOM), "application/dicom");
    assertEquals(1, parts.size(), when);
    assertArrayEquals(expected, parts.get(0).body(), when);
  }
}
