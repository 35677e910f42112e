package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.strata.query.TenantTestData.A_CARD;
import static org.strata.query.TenantTestData.A_RAD;
import static org.strata.query.TenantTestData.PATIENT_ID;
import static org.strata.query.TenantTestData.sop;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.query.DimseQueryRetrieveTest.Result;
import org.strata.query.dimse.QueryRetrieveServer;
import org.strata.testkit.FindScu;
import org.strata.testkit.PlatformTestResource;

/**
 * A calling AE limited to departments by its known-AE entry (ADR 0061): CARDIO-A ({@code
 * labels=cardiology}) sees, of hospital-a's cardiology and radiology studies ({@link
 * TenantTestData}), only the cardiology one, in C-FIND and C-GET alike; HOSP-A (no labels) sees
 * both. findscu and getscu of DCMTK; skipped without.
 */
@QuarkusTest
@TestProfile(DimseQueryRetrieveTest.DimseProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres,s3"))
class DimseLabelledCallerTest {
  private static final String FILE_PROPERTY = "strata.test.dimse.labelled-known-aes-file";

  /** Written once per JVM (the profile may be read by several class loaders). */
  static synchronized String knownAesFile() {
    String f = System.getProperty(FILE_PROPERTY);
    if (f == null) {
      try {
        Path p = Files.createTempFile("known-aes", ".conf");
        p.toFile().deleteOnExit();
        Files.writeString(
            p,
            """
            # AE title   host   port   tenant       departments
            CARDIO-A     -      -      hospital-a   labels=cardiology
            HOSP-A       -      -      hospital-a
            """);
        f = p.toString();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      System.setProperty(FILE_PROPERTY, f);
    }
    return f;
  }

  @Inject QueryRetrieveServer scp;

  @TempDir Path tmp;

  @BeforeEach
  void twoDepartmentsOfOneTenant() throws Exception {
    assumeTrue(
        Stream.of("findscu", "getscu").allMatch(t -> Files.isExecutable(Path.of("/usr/bin", t))),
        "dcmtk missing");
    TenantTestData.ensureLoaded();
  }

  @Test
  void aCardiologyAeFindsOnlyTheCardiologyStudyOfItsTenant() throws Exception {
    assertEquals(List.of(A_RAD, A_CARD), findStudies("HOSP-A", "PatientID=" + PATIENT_ID));
    assertEquals(List.of(A_CARD), findStudies("CARDIO-A", "PatientID=" + PATIENT_ID));
    // The radiology study is not found by its UID either.
    assertEquals(List.of(), findStudies("CARDIO-A", "StudyInstanceUID=" + A_RAD));
  }

  @Test
  void aCardiologyAeRetrievesNothingOfTheRadiologyStudy() throws Exception {
    // Patient Root, every study of the patient: only the cardiology study's instance.
    Path out = tmp.resolve("patient");
    Result r =
        getscu("CARDIO-A", "-P", out, "QueryRetrieveLevel=PATIENT", "PatientID=" + PATIENT_ID);
    assertTrue(r.output().contains("Received C-GET Response (Success)"), r.output());
    assertEquals(Set.of(sop(A_CARD)), received(out), r.output());

    // The radiology study by its UID: not found, so nothing is retrieved (no refusal).
    out = tmp.resolve("radiology");
    r = getscu("CARDIO-A", "-S", out, "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + A_RAD);
    assertTrue(r.output().contains("Received C-GET Response (Success)"), r.output());
    assertEquals(Set.of(), received(out), r.output());

    // The same study for the AE of the whole tenant.
    out = tmp.resolve("whole");
    r = getscu("HOSP-A", "-S", out, "QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + A_RAD);
    assertEquals(Set.of(sop(A_RAD)), received(out), r.output());
  }

  /**
   * The SOP Instance UIDs getscu named its files after (the C-STORE requests'; every study of
   * {@link TenantTestData} stores the same sample object, whose own UID says nothing).
   */
  private static Set<String> received(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString().replaceFirst("^[A-Z]+\\.", ""))
          .collect(java.util.stream.Collectors.toSet());
    }
  }

  private List<String> findStudies(String callingAe, String key) throws Exception {
    FindScu.Answer r =
        FindScu.studies(
            scp.port(),
            callingAe,
            "STRATA-QR",
            List.of(),
            Files.createTempDirectory(tmp, "find"),
            key);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("Received Final Find Response (Success)"), r.output());
    return r.studyUids();
  }

  private Result getscu(String callingAe, String model, Path out, String... keys) throws Exception {
    Files.createDirectories(out);
    return DimseQueryRetrieveTest.run(
        scp.port(),
        tmp,
        List.of(
            "getscu",
            "-v",
            model,
            "-aet",
            callingAe,
            "-aec",
            "STRATA-QR",
            "+B",
            "-od",
            out.toString()),
        keys);
  }
}
