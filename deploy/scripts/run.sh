#!/usr/bin/env bash
# `make run`: build what is missing or out of date, then start the platform (and, as they are
# added, the services) in the foreground, then nginx (Debian's, from install-debian-deps.sh run)
# in front of ingest and query as the one DICOMweb base URL http://127.0.0.1:8080/dicomweb
# (deploy/nginx/strata.conf.template; STRATA_NGINX overrides the binary), which also serves the OHIF
# viewer at http://127.0.0.1:8080/ (deploy/ohif). Ctrl-C stops everything that was started.
set -euo pipefail
cd "$(dirname "$0")/../.."

mvn_cmd=(./mvnw -B --no-transfer-progress -q)
stamp=libs/platform/target/run-classpath.txt
# Rebuild when any source, POM or resource is newer than the last build's classpath file.
if [ ! -f "$stamp" ] || [ -n "$(find pom.xml libs services -newer "$stamp" \
    \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) \
    -not -path '*/target/*' -print -quit 2>/dev/null)" ]; then
  echo "Building Strata (first run downloads dependencies; this can take a few minutes)..."
  "${mvn_cmd[@]}" install -DskipTests
fi

mkdir -p "$STRATA_DATA_DIR"
# The OHIF viewer's built files (npm @ohif/app, version and checksum pinned in the script), once.
if ! deploy/scripts/fetch-ohif.sh "$STRATA_DATA_DIR/ohif"; then
  echo "The OHIF viewer could not be fetched: make run goes on without it (DICOMweb is unaffected)"
fi
# Known AEs (title, host, port, tenant) for the DIMSE services; edit and restart, no rebuild.
export STRATA_KNOWN_AES_FILE="${STRATA_KNOWN_AES_FILE:-$PWD/deploy/known-aes.conf}"

# DICOM TLS for the storage and Q/R SCPs: a local CA, server key store and a client certificate,
# made on first start under $STRATA_DATA_DIR/tls (never committed: ./var is ignored). Without
# openssl the services run without their TLS ports.
tls_dir="$STRATA_DATA_DIR/tls"
if deploy/scripts/dimse-tls.sh "$tls_dir"; then
  export STRATA_DIMSE_TLS_KEY_STORE="$tls_dir/server.p12"
  export STRATA_DIMSE_TLS_TRUST_STORE="$tls_dir/trust.p12"
  STRATA_DIMSE_TLS_STORE_PASSWORD="$(cat "$tls_dir/store-password")"
  export STRATA_DIMSE_TLS_STORE_PASSWORD
  export STRATA_DIMSE_TLS_DIR="$tls_dir"
else
  echo "DICOM TLS material not made (see above): the DIMSE services listen without TLS"
fi
# Routing's rules and destinations (read at start, reloaded on change, rewritten by its admin API):
# the data directory's copy, first copied from the example in deploy/ (its rule disabled).
if [ -z "${STRATA_ROUTING_RULES_FILE:-}" ]; then
  export STRATA_ROUTING_RULES_FILE="$STRATA_DATA_DIR/routing-rules.yaml"
  [ -f "$STRATA_ROUTING_RULES_FILE" ] || cp deploy/routing-rules.yaml "$STRATA_ROUTING_RULES_FILE"
fi
# Lifecycle policies and retention rules of storage-tiering (rewritten by its admin API, ADR 0054):
# the data directory's copy, first copied from the example in deploy/ (its policies disabled).
if [ -z "${STRATA_TIERING_POLICIES_FILE:-}" ]; then
  export STRATA_TIERING_POLICIES_FILE="$STRATA_DATA_DIR/tiering-policies.json"
  [ -f "$STRATA_TIERING_POLICIES_FILE" ] || cp deploy/tiering/policies.json "$STRATA_TIERING_POLICIES_FILE"
fi
# Access labels ingest sets per tenant (docs/security.md); edit and restart ingest.
export STRATA_ACCESS_LABELS_FILE="${STRATA_ACCESS_LABELS_FILE:-$PWD/deploy/access-labels.conf}"

# Every service that exists so far, on its fixed local HTTP port.
declare -A http_port=([ingest]=8081 [index]=8082 [query]=8083 [routing]=8084 [storage-tiering]=8085 [audit]=8086)
services=()
for name in ingest index query storage-tiering routing audit; do
  jar=services/$name/target/quarkus-app/quarkus-run.jar
  if [ -f "$jar" ]; then services+=("$name:${http_port[$name]}:$jar"); fi
done

cp="$(cat "$stamp"):$(ls libs/platform/target/strata-platform-*.jar | head -n 1)"
exec java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.strata=info -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error -cp "$cp" org.strata.platform.PlatformMain "${services[@]}"
