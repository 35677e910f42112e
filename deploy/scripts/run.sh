#!/usr/bin/env bash
# `make run`: build what is missing or out of date, then start the platform (and, as they are
# added, the services) in the foreground, then nginx (Debian's, from install-debian-deps.sh run)
# in front of ingest and query as the one DICOMweb base URL http://127.0.0.1:8080/dicomweb
# (deploy/nginx/strata.conf.template; STRATA_NGINX overrides the binary). Ctrl-C stops everything
# that was started.
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
# Known AEs (title, host, port, tenant) for the DIMSE services; edit and restart, no rebuild.
export STRATA_KNOWN_AES_FILE="${STRATA_KNOWN_AES_FILE:-$PWD/deploy/known-aes.conf}"
export STRATA_ACCESS_LABELS_FILE="${STRATA_ACCESS_LABELS_FILE:-$PWD/deploy/access-labels.conf}"

# Every service that exists so far, on its fixed local HTTP port.
declare -A http_port=([ingest]=8081 [index]=8082 [query]=8083 [storage-tiering]=8084 [routing]=8085 [audit]=8086)
services=()
for name in ingest index query storage-tiering routing audit; do
  jar=services/$name/target/quarkus-app/quarkus-run.jar
  if [ -f "$jar" ]; then services+=("$name:${http_port[$name]}:$jar"); fi
done

cp="$(cat "$stamp"):$(ls libs/platform/target/strata-platform-*.jar | head -n 1)"
exec java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.strata=info -Dorg.slf4j.simpleLogger.log.org.apache.kafka=error -cp "$cp" org.strata.platform.PlatformMain "${services[@]}"
