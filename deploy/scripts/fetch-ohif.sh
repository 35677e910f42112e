#!/usr/bin/env bash
# Fetches the OHIF viewer's built files (the npm package @ohif/app, its dist/) into DEST, once per
# pinned version: `make run` serves them from nginx at http://127.0.0.1:8080/ (ADR 0028).
# Usage: fetch-ohif.sh DEST   (e.g. var/ohif; the files go to DEST/dist)
# The tarball comes through npm (its cache makes a second fetch local) and must match the pinned
# sha512 integrity, so a changed package is refused rather than served. Nothing here is committed.
set -euo pipefail

OHIF_VERSION=3.13.2
OHIF_INTEGRITY=sha512-WZdxmpmG7rqFgW9ZJLcbgr3XCtLi1KDNPoMaeY5PPe6j4G4fjEjjkycZM6C6Zk2F87BKxFfpq+jd5xXZB9E8EA==

dest=${1:?usage: fetch-ohif.sh DEST}
stamp="$dest/dist/.strata-ohif"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$OHIF_VERSION $OHIF_INTEGRITY" ]; then exit 0; fi

command -v npm >/dev/null || { echo "npm not found: install Node.js and npm to get the OHIF viewer" >&2; exit 1; }
mkdir -p "$dest"
work=$(mktemp -d "$dest/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "Fetching the OHIF viewer (@ohif/app $OHIF_VERSION, about 50 MB the first time)..."
(cd "$work" && npm pack --silent --prefer-offline "@ohif/app@$OHIF_VERSION" >/dev/null)
tarball="$work/ohif-app-$OHIF_VERSION.tgz"
actual=$(node -e 'process.stdout.write("sha512-" + require("crypto").createHash("sha512")
  .update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tarball")
if [ "$actual" != "$OHIF_INTEGRITY" ]; then
  echo "@ohif/app $OHIF_VERSION: integrity $actual, pinned $OHIF_INTEGRITY: refused" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/dist
# The package's own app-config.js is replaced by deploy/ohif/app-config.js when served.
echo "$OHIF_VERSION $OHIF_INTEGRITY" > "$work/package/dist/.strata-ohif"
rm -rf "$dest/dist"
mv "$work/package/dist" "$dest/dist"
