package org.strata.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code make bench [suite ...]}: runs the named suites, or all of them. Each prints a Markdown
 * table whose figures go to docs/performance.md, with its peer or ceiling from the same run.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    List<String> suites =
        args.length == 0 ? List.of("platform", "ingest", "index", "query") : List.of(args);
    Path work = Path.of(System.getProperty("strata.bench.dir", "target/bench")).toAbsolutePath();
    Path dist =
        Path.of(System.getProperty("strata.platform.dist", "libs/platform-dist/target/dist"));
    Path realm = Path.of("deploy/keycloak/strata-realm.json");
    Path indexJar = Path.of("services/index/target/quarkus-app/quarkus-run.jar");
    Path ingestJar = Path.of("services/ingest/target/quarkus-app/quarkus-run.jar");
    Path queryJar = Path.of("services/query/target/quarkus-app/quarkus-run.jar");
    for (String suite : suites) {
      System.out.println("\n## " + suite + "\n");
      switch (suite) {
        case "platform" -> PlatformCeilings.run(work, dist, realm);
        case "ingest" ->
            org.strata.bench.ingest.IngestBenchmark.run(work, dist, realm, ingestJar, indexJar);
        case "index" -> org.strata.bench.index.IndexBenchmark.run(work, dist, realm, indexJar);
        case "large" ->
            org.strata.bench.ingest.LargeObjectBenchmark.run(work, dist, realm, ingestJar);
        case "auth" ->
            org.strata.bench.query.TokenValidationBenchmark.run(
                work, dist, realm, indexJar, ingestJar, queryJar);
        case "audit" ->
            org.strata.bench.ingest.AuditBenchmark.run(
                work, dist, realm, ingestJar, indexJar, queryJar);
        case "dicom" -> org.strata.bench.dicom.DicomBench.run(work);
        case "dimse" -> org.strata.bench.dimse.DimseBench.run(work);
        case "query" ->
            org.strata.bench.query.QueryBenchmark.run(
                work, dist, realm, indexJar, ingestJar, queryJar);
        case "tiering" ->
            org.strata.bench.tiering.TieringBenchmark.run(
                work,
                dist,
                realm,
                indexJar,
                ingestJar,
                Path.of("services/storage-tiering/target/quarkus-app/quarkus-run.jar"));
        case "routing" -> org.strata.bench.routing.RoutingBenchmark.run(work, dist);
        case "viewer" ->
            org.strata.bench.viewer.ViewerBenchmark.run(
                work, dist, realm, indexJar, ingestJar, queryJar);
        default -> throw new IllegalArgumentException("unknown benchmark suite: " + suite);
      }
    }
  }
}
