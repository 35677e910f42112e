#!/usr/bin/env bash
# `make chaos`: the kill suite (libs/bench, org.strata.bench.chaos.KillSuite). Builds the packaged
# services and the suite, starts the platform and ingest/index/query supervised as under `make run`,
# kills -9 each of them mid-run while STOW-RS and C-STORE senders write a ledger, then checks that
# every acknowledged instance is retrievable byte for byte and indexed exactly once.
# Settings (environment): STRATA_CHAOS_VICTIMS, STRATA_CHAOS_SECONDS (per victim, 60),
# STRATA_CHAOS_KILL_AFTER (20), STRATA_CHAOS_STOW and STRATA_CHAOS_CSTORE (senders, 2 each).
set -euo pipefail
cd "$(dirname "$0")/../.."
# package, not install: the reactor resolves the modules from their target/ directories.
./mvnw -B --no-transfer-progress -q package -DskipTests \
  -pl libs/bench,services/index,services/ingest,services/query -am
cp="$(cat libs/bench/target/run-classpath.txt):$(ls libs/bench/target/strata-bench-*.jar | head -n 1)"
rm -rf target/chaos
exec java -Xmx1g ${STRATA_CHAOS_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.strata=info -Dorg.slf4j.simpleLogger.showDateTime=true \
  -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error \
  -Dstrata.chaos.dir=target/chaos -cp "$cp" org.strata.bench.chaos.KillSuite
