#!/usr/bin/env bash
# `make chaos`: the kill suite (libs/bench, org.strata.bench.chaos.KillSuite). Builds the packaged
# services and the suite, starts the platform and ingest/index/query supervised as under `make run`,
# kills -9 each of them mid-run while STOW-RS and C-STORE senders write a ledger, then checks that
# every acknowledged instance is retrievable byte for byte and indexed exactly once. Then the tiering
# part (org.strata.bench.chaos.TieringKillSuite): storage-tiering killed -9 after each step of a move
# (copied, verified, switch requested, switched); after the restart the move finishes, every
# instance is readable byte for byte on the target tier, and no object is left over. Then the
# routing part (org.strata.bench.chaos.RoutingKillSuite): routing killed -9 while it sends a study
# to DCMTK's storescp; after the restart every job is SENT, every acknowledged instance is at
# storescp byte for byte, and the instances it received more than once are counted.
# Settings (environment): STRATA_CHAOS_VICTIMS, STRATA_CHAOS_SECONDS (per victim, 60),
# STRATA_CHAOS_KILL_AFTER (20), STRATA_CHAOS_STOW and STRATA_CHAOS_CSTORE (senders, 2 each),
# STRATA_CHAOS_PARTS (which parts run: services,tiering,routing; default all three),
# STRATA_CHAOS_ROUTING_INSTANCES (the routed study's size, 400).
set -euo pipefail
cd "$(dirname "$0")/../.."
# package, not install: the reactor resolves the modules from their target/ directories.
./mvnw -B --no-transfer-progress -q package -DskipTests \
  -pl libs/bench,services/index,services/ingest,services/query,services/storage-tiering,services/routing -am
cp="$(cat libs/bench/target/run-classpath.txt):$(ls libs/bench/target/strata-bench-*.jar | head -n 1)"
parts="${STRATA_CHAOS_PARTS:-services,tiering,routing}"
run_part() {
  java -Xmx1g ${STRATA_CHAOS_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -Dorg.slf4j.simpleLogger.log.org.strata=info -Dorg.slf4j.simpleLogger.showDateTime=true \
    -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error \
    -Dstrata.chaos.dir="$1" -cp "$cp" "$2"
}
status=0
if [[ ",$parts," == *",services,"* ]]; then
  rm -rf target/chaos
  run_part target/chaos org.strata.bench.chaos.KillSuite || status=1
fi
if [[ ",$parts," == *",tiering,"* ]]; then
  rm -rf target/chaos-tiering
  run_part target/chaos-tiering org.strata.bench.chaos.TieringKillSuite || status=1
fi
if [[ ",$parts," == *",routing,"* ]]; then
  rm -rf target/chaos-routing
  run_part target/chaos-routing org.strata.bench.chaos.RoutingKillSuite || status=1
fi
exit $status
