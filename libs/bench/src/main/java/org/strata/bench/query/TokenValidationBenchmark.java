package org.strata.bench.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.strata.platform.Component;
import org.strata.platform.Platform;
import org.strata.platform.PlatformConfig;
import org.strata.platform.PlatformProbe;
import org.strata.platform.ServiceProcess;

/**
 * {@code make bench auth}: what validating OIDC bearer tokens costs QIDO-RS latency and STOW-RS
 * throughput. One platform (with Keycloak) and one index, ingest and query, started in the local
 * mode ({@code make run}'s): a request from loopback without a token is the local user and nothing
 * is validated; a request with a token (the realm's {@code strata-test} client, reader and writer)
 * is validated as in production (signature against the cached JWKS, expiry, audience, roles). So
 * both sides run in the same JVMs, alternating round by round, and machine load (other work on the
 * host) hits both alike.
 *
 * <p>Sizes from the environment: {@code STRATA_BENCH_AUTH_QIDO} (400 timed QIDO-RS searches per
 * side, by Patient ID, after 100 untimed), {@code STRATA_BENCH_AUTH_ROUNDS} (4 rounds of each),
 * {@code STRATA_BENCH_AUTH_STOW_REQUESTS} (40 STOW-RS requests of 10 instances of 128 KB per side
 * and round, 4 clients).
 */
public final class TokenValidationBenchmark {
  private static final String JSON = "application/dicom+json";
  private static final int STUDIES = 50;

  /** New tokens per round for the first-use side (each from Keycloak, used once). */
  private static final int FRESH_TOKENS_PER_ROUND = 100;

  private TokenValidationBenchmark() {}

  public static void run(
      Path work, Path dist, Path realm, Path indexJar, Path ingestJar, Path queryJar)
      throws Exception {
    int qido = env("STRATA_BENCH_AUTH_QIDO", 400);
    int rounds = env("STRATA_BENCH_AUTH_ROUNDS", 4);
    int stowRequests = env("STRATA_BENCH_AUTH_STOW_REQUESTS", 40);
    Path dir = Files.createDirectories(work.resolve("auth"));
    String loadBefore = loadAverage();
    PlatformConfig config =
        PlatformConfig.forTests(
            dir,
            dist,
            realm,
            EnumSet.of(Component.KAFKA, Component.POSTGRES, Component.S3, Component.KEYCLOAK));
    try (Platform platform = Platform.start(config)) {
      Map<String, String> env = new LinkedHashMap<>(platform.addresses());
      env.put("strata.ingest.dimse.port", Integer.toString(freePort()));
      env.put("strata.query.dimse.port", Integer.toString(freePort()));
      env.put("STRATA_AUTH", "local"); // the local profile's mode, whatever the caller's shell says
      ServiceProcess index = new ServiceProcess("index", freePort(), indexJar);
      ServiceProcess ingest = new ServiceProcess("ingest", freePort(), ingestJar);
      ServiceProcess query = new ServiceProcess("query", freePort(), queryJar);
      try {
        index.start(dir, env);
        ingest.start(dir, env);
        query.start(dir, env);
        PlatformProbe probe = new PlatformProbe(platform);
        String stowUrl = ingest.url() + "/dicomweb/studies";

        // The searched studies, stored without a token.
        byte[] small = new byte[64 * 64 * 2];
        StowStream.Result seeded =
            StowStream.stow(stowUrl, STUDIES, i -> instances(i, 2, small), 4);
        require(seeded.failedRequests() == 0, "seeding STOW-RS failed");

        String base = query.url() + "/dicomweb";
        IntFunction<String> search =
            i ->
                base
                    + "/studies?PatientID="
                    + URLEncoder.encode(
                        StudyPopulation.study(new Random(i).nextInt(STUDIES)).patientId(),
                        StandardCharsets.UTF_8);
        List<double[]> off = new ArrayList<>();
        List<double[]> on = new ArrayList<>();
        List<double[]> fresh = new ArrayList<>();
        int perRound = Math.max(1, qido / rounds);
        int freshPerRound = Math.min(perRound, FRESH_TOKENS_PER_ROUND);
        for (int r = 0; r < rounds; r++) {
          HttpProbe withToken = new HttpProbe("Bearer " + token(probe));
          HttpProbe without = new HttpProbe();
          // A token never seen before on every request: what the first use of a token costs.
          List<String> newTokens = new ArrayList<>();
          for (int i = 0; i < freshPerRound; i++) {
            newTokens.add("Bearer " + token(probe));
          }
          HttpProbe.Timings f = new HttpProbe(newTokens::get).get(search, JSON, 0, freshPerRound);
          require(f.failures() == 0, "new tokens: QIDO failed");
          fresh.add(f.millis());
          // Alternate which side goes first, so neither always follows the other's warm-up.
          for (boolean tokenSide :
              r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
            HttpProbe.Timings t =
                (tokenSide ? withToken : without).get(search, JSON, r == 0 ? 100 : 10, perRound);
            require(t.failures() == 0, (tokenSide ? "with" : "without") + " token: QIDO failed");
            (tokenSide ? on : off).add(t.millis());
          }
        }

        byte[] pixels = new byte[256 * 256 * 2];
        new Random(11).nextBytes(pixels);
        double[] stowOff = new double[2]; // instances, seconds
        double[] stowOn = new double[2];
        int next = 1000;
        for (int r = 0; r < rounds; r++) {
          String bearer = "Bearer " + token(probe);
          for (boolean tokenSide :
              r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
            int first = next;
            next += stowRequests;
            StowStream.Result s =
                StowStream.stow(
                    stowUrl,
                    stowRequests,
                    i -> instances(first + i, 10, pixels),
                    4,
                    tokenSide ? bearer : null);
            require(
                s.failedRequests() == 0, (tokenSide ? "with" : "without") + " token: STOW failed");
            double[] sum = tokenSide ? stowOn : stowOff;
            sum[0] += s.instances();
            sum[1] += s.seconds();
          }
        }
        String loadAfter = loadAverage();

        double p95Off = percentile(off, 0.95);
        double p95On = percentile(on, 0.95);
        double p50Off = percentile(off, 0.5);
        double p50On = percentile(on, 0.5);
        double p95Fresh = percentile(fresh, 0.95);
        double p50Fresh = percentile(fresh, 0.5);
        double rateOff = stowOff[0] / stowOff[1];
        double rateOn = stowOn[0] / stowOn[1];
        System.out.println(
            "| | without token (local user) | with token (validated) | difference |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf(
            "| QIDO-RS by Patient ID, p50 (ms, %d per side) | %.2f | %.2f | %+.2f ms |%n",
            perRound * rounds, p50Off, p50On, p50On - p50Off);
        System.out.printf(
            "| QIDO-RS by Patient ID, p95 (ms) | %.2f | %.2f | %+.2f ms |%n",
            p95Off, p95On, p95On - p95Off);
        System.out.printf(
            "| QIDO-RS, a new token on every request, p50 (ms, %d) | %.2f | %.2f | %+.2f ms |%n",
            freshPerRound * rounds, p50Off, p50Fresh, p50Fresh - p50Off);
        System.out.printf(
            "| QIDO-RS, a new token on every request, p95 (ms) | %.2f | %.2f | %+.2f ms |%n",
            p95Off, p95Fresh, p95Fresh - p95Off);
        System.out.printf(
            "| STOW-RS (instances/s; %d x 10 x 128 KB per side, 4 clients) | %.0f | %.0f | %+.1f %% |%n",
            stowRequests * rounds, rateOff, rateOn, 100 * (rateOn - rateOff) / rateOff);
        System.out.println();
        System.out.println("Machine load before: " + loadBefore + "; after: " + loadAfter + ".");
      } finally {
        query.stop();
        ingest.stop();
        index.stop();
      }
    }
  }

  /** {@code count} instances of 1 series of study {@code s}. */
  private static List<byte[]> instances(int s, int count, byte[] pixels) {
    int side = (int) Math.round(Math.sqrt(pixels.length / 2.0));
    StudyPopulation.Study study = StudyPopulation.study(s);
    List<byte[]> out = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      out.add(Part10Files.instance(study, 1, n, side, side, pixels));
    }
    return out;
  }

  /** A fresh access token of the realm's test client (reader and writer). */
  private static String token(PlatformProbe probe) throws Exception {
    return new ObjectMapper().readTree(probe.keycloakClientToken()).get("access_token").asText();
  }

  private static double percentile(List<double[]> runs, double q) {
    double[] all = runs.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
    return all[Math.min(all.length - 1, (int) Math.ceil(q * all.length) - 1)];
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0]
          + " / "
          + f[1]
          + " / "
          + f[2]
          + " (1 / 5 / 15 min, "
          + Runtime.getRuntime().availableProcessors()
          + " cores)";
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static int env(String name, int fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
