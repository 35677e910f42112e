#!/usr/bin/env bash
# Installs the Debian packages Strata's build, tests and `make run` need, only when one is missing.
# Usage: install-debian-deps.sh [run|test]
#   run  : what `make run` needs (PostgreSQL server binaries, nginx for the DICOMweb base URL)
#   test : plus the real DICOM peers and sample files the tests use
set -euo pipefail

profile=${1:-test}
# nginx, not nginx-light: bookworm's nginx-light is only a transitional package for nginx and trixie
# has none. Strata runs it with its own configuration and prefix (var/nginx), never Debian's.
pkgs=(postgresql nginx)
if [ "$profile" = test ]; then
  pkgs+=(dcmtk orthanc orthanc-dicomweb python3-pydicom dicom3tools openssl)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi

# Keep package post-install scripts from starting system services (Debian's own PostgreSQL
# cluster on 5432, nginx on 80, Orthanc on 4242/8042): Strata starts its own instances on its own
# ports.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  created_policy=1
fi
cleanup() { [ "$created_policy" = 1 ] && $sudo rm -f "$policy"; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
