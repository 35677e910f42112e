#!/usr/bin/env bash
# Installs the Debian packages Strata's build, tests and `make run` need, only when one is missing.
# Usage: install-debian-deps.sh [run|test]
#   run  : what `make run` needs (PostgreSQL server binaries, nginx for the DICOMweb base URL and the
#          viewer, openssl for the DIMSE services' local TLS certificates, npm to fetch the OHIF
#          viewer when the machine has no Node.js of its own)
#   test : plus the real DICOM peers and sample files the tests use, Chromium for the viewer's
#          browser test (driven by npm playwright-core, which deploy/viewer-test installs itself) and
#          the syslog receiver (rsyslog) of the audit tests
# STRATA_POLICY_RC_D overrides the path of Debian's policy-rc.d (default /usr/sbin/policy-rc.d); only
# InstallDebianDepsTest sets it, so that it never touches the machine's own file.
#
# Under `set -e`, never end a function (or the script) with `[ test ] && action`: when the test is
# false the function returns 1 and, as an EXIT trap, turns a successful run into exit 1. Use `if`.
set -euo pipefail

profile=${1:-test}
# nginx, not nginx-light: bookworm's nginx-light is only a transitional package for nginx and trixie
# has none. Strata runs it with its own configuration and prefix (var/nginx), never Debian's.
pkgs=(postgresql nginx openssl)
if [ "$profile" = test ]; then
  # rsyslog with its GnuTLS driver: the Audit Record Repository (RFC 5425) of services/audit's
  # tests; they start their own rsyslogd, never Debian's service.
  pkgs+=(dcmtk orthanc orthanc-dicomweb python3-pydicom dicom3tools chromium rsyslog rsyslog-gnutls)
fi

missing=()
# npm comes with a Node.js installed otherwise (the machine's own, e.g. NodeSource's, which Debian's
# npm package would conflict with): Debian's only when there is no npm at all.
if ! command -v npm >/dev/null; then missing+=(npm); fi
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

echo "Installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi

# Keep package post-install scripts from starting system services (Debian's own PostgreSQL
# cluster on 5432, nginx on 80, Orthanc on 4242/8042): Strata starts its own instances on its own
# ports.
policy=${STRATA_POLICY_RC_D:-/usr/sbin/policy-rc.d}
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  created_policy=1
fi
# Removes only a policy-rc.d this run created; an existing one (container images ship one) stays.
cleanup() {
  if [ "$created_policy" = 1 ]; then $sudo rm -f "$policy"; fi
}
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
