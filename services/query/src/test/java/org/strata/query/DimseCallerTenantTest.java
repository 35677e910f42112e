package org.strata.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.strata.query.QidoTestData.S1;
import static org.strata.query.QidoTestData.S2;
import static org.strata.query.QidoTestData.S6;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.strata.query.dimse.QueryRetrieveServer;
import org.strata.testkit.FindScu;
import org.strata.testkit.PlatformTestResource;

/**
 * The Q/R SCP scoped by calling AE: a known-AE file written here maps HOSP-LOCAL to tenant local
 * and HOSP-OTHER to tenant other (the {@link QidoTestData} set has PAT-001 in both); unknown
 * calling AEs are rejected (production setting). findscu and movescu of DCMTK; skipped without.
 */
@QuarkusTest
@TestProfile(DimseCallerTenantTest.KnownAesProfile.class)
@QuarkusTestResource(
    value = PlatformTestResource.class,
    restrictToAnnotatedClass = true,
    initArgs = @ResourceArg(name = "components", value = "postgres"))
class DimseCallerTenantTest {
  private static final String FILE_PROPERTY = "strata.test.dimse.known-aes-file";
  private static final String PORT_PROPERTY = "strata.test.dimse.tenant-storescp-port";

  public static class KnownAesProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "strata.query.dimse.known-aes-file",
          knownAesFile(),
          "strata.query.dimse.accept-unknown-aes",
          "false");
    }
  }

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
            # AE title   host        port   tenant
            HOSP-LOCAL   -           -      local
            HOSP-OTHER   -           -      other   # the other hospital
            DEST-LOCAL   127.0.0.1   %d      local
            DEST-OTHER   127.0.0.1   %d      other
            """
                .formatted(storescpPort(), storescpPort()));
        f = p.toString();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      System.setProperty(FILE_PROPERTY, f);
    }
    return f;
  }

  /** The storescp of the move test, listening as DEST-LOCAL (and DEST-OTHER, never reached). */
  static int storescpPort() {
    String p = System.getProperty(PORT_PROPERTY);
    if (p == null) {
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        p = String.valueOf(probe.getLocalPort());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      System.setProperty(PORT_PROPERTY, p);
    }
    return Integer.parseInt(p);
  }

  @Inject QueryRetrieveServer scp;

  @TempDir Path tmp;

  @BeforeEach
  void knownDataSet() throws Exception {
    assumeTrue(
        Stream.of("findscu", "movescu").allMatch(t -> Files.isExecutable(Path.of("/usr/bin", t))),
        "dcmtk missing");
    QidoTestData.ensureLoaded();
  }

  @Test
  void eachCallingAeQueriesItsOwnTenant() throws Exception {
    FindScu.Answer r = findscu("HOSP-LOCAL", tmp.resolve("local"), "PatientID=PAT-001");
    assertEquals(0, r.exitCode(), r.output());
    assertEquals(List.of(S2, S1), r.studyUids(), r.output());

    r = findscu("HOSP-OTHER", tmp.resolve("other"), "PatientID=PAT-001");
    assertEquals(0, r.exitCode(), r.output());
    assertEquals(List.of(S6), r.studyUids(), r.output());

    // The other tenant's study is not found by UID either.
    r = findscu("HOSP-LOCAL", tmp.resolve("cross"), "StudyInstanceUID=" + S6);
    assertEquals(0, r.exitCode(), r.output());
    assertEquals(List.of(), r.studyUids(), r.output());
  }

  @Test
  void unknownCallingAeIsRejected() throws Exception {
    FindScu.Answer r = findscu("STRANGER", tmp.resolve("stranger"), "PatientID=PAT-001");
    assertNotEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("Calling AE Title Not Recognized"), r.output());
    assertEquals(List.of(), r.studyUids());
  }

  @Test
  void moveOnlyToDestinationsOfTheCallersTenant() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/storescp")), "dcmtk missing");
    Path rcv = Files.createDirectories(tmp.resolve("rcv"));
    Process storescp =
        new ProcessBuilder(
                "storescp",
                "-od",
                rcv.toString(),
                "-aet",
                "DEST-LOCAL",
                String.valueOf(storescpPort()))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("storescp.log").toFile())
            .start();
    try {
      awaitListening(storescp, storescpPort());
      moves();
    } finally {
      storescp.destroy();
      if (!storescp.waitFor(10, TimeUnit.SECONDS)) {
        storescp.destroyForcibly().waitFor();
      }
    }
  }

  private static void awaitListening(Process p, int port) throws Exception {
    for (int i = 0; i < 100; i++) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return;
      } catch (IOException e) {
        if (!p.isAlive()) {
          throw new IOException("storescp ended with " + p.exitValue());
        }
        Thread.sleep(100);
      }
    }
    throw new IOException("storescp did not come up");
  }

  private void moves() throws Exception {
    // DEST-OTHER belongs to tenant other: refused as an unknown destination.
    Result r = movescu("HOSP-LOCAL", "DEST-OTHER", "StudyInstanceUID=" + S1);
    assertTrue(
        r.output().contains("Received Final Move Response (Refused: MoveDestinationUnknown)"),
        r.output());
    // DEST-LOCAL is local's: accepted, the sub-operations run (and fail: the QIDO data set's
    // object locations name no object in storage, which is not started here).
    r = movescu("HOSP-LOCAL", "DEST-LOCAL", "StudyInstanceUID=" + S1);
    assertTrue(r.output().contains("Received Move Response 1 (Pending)"), r.output());
    assertFalse(r.output().contains("MoveDestinationUnknown"), r.output());
    // And the same destination refused for the other tenant's caller.
    r = movescu("HOSP-OTHER", "DEST-LOCAL", "StudyInstanceUID=" + S6);
    assertTrue(
        r.output().contains("Received Final Move Response (Refused: MoveDestinationUnknown)"),
        r.output());
  }

  record Result(int exitCode, String output) {}

  private FindScu.Answer findscu(String callingAe, Path out, String key) throws Exception {
    return FindScu.studies(scp.port(), callingAe, "STRATA-QR", List.of(), out, key);
  }

  private Result movescu(String callingAe, String dest, String key) throws Exception {
    return run(
        List.of(
            "movescu",
            "-v",
            "-S",
            "-aet",
            callingAe,
            "-aec",
            "STRATA-QR",
            "-aem",
            dest,
            "-k",
            "QueryRetrieveLevel=STUDY",
            "-k",
            key));
  }

  private Result run(List<String> command) throws Exception {
    List<String> cmd = new ArrayList<>(command);
    cmd.add("127.0.0.1");
    cmd.add(String.valueOf(scp.port()));
    Path log = Files.createTempFile(tmp, "dcmtk", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TCP_NODELAY", "1");
    Process p = pb.start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) { // hang guard only
      p.destroyForcibly();
      throw new IllegalStateException(cmd.get(0) + " did not end");
    }
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }
}
