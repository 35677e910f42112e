#!/usr/bin/env bash
# `make bench [suite ...]`: builds the benchmark module and runs the suites (all by default).
# `make bench routing` reads STRATA_BENCH_ROUTING_INSTANCES (1000), STRATA_BENCH_ROUTING_WARMUP (40),
# STRATA_BENCH_ROUTING_CLIENTS (4) and STRATA_BENCH_ROUTING_PARALLELISM (1) from the environment.
set -euo pipefail
cd "$(dirname "$0")/../.."
# package, not install: the reactor resolves the modules from their target/ directories, and the
# shared ~/.m2 is left alone.
./mvnw -B --no-transfer-progress -q package -DskipTests \
  -pl libs/bench,services/index,services/ingest,services/query,services/storage-tiering,services/routing -am
cp="$(cat libs/bench/target/run-classpath.txt):$(ls libs/bench/target/strata-bench-*.jar | head -n 1)"
rm -rf target/bench
exec java -Xmx4g ${STRATA_BENCH_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error \
  -Dstrata.bench.dir=target/bench -cp "$cp" org.strata.bench.BenchMain "$@"
