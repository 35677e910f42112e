#!/usr/bin/env bash
# Prints the home of a JDK >= 21 (the build targets Java 21): $JAVA_HOME if it qualifies, else the
# `javac` on PATH, else the newest under /usr/lib/jvm. Fails with a clear message when none is found.
set -u
min=21

major_of() { # $1 = JDK home
  local v
  [ -x "$1/bin/javac" ] || return 1
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ -n "$v" ] || return 1
  echo "${v%%.*}"
}

candidates=()
if [ -n "${JAVA_HOME:-}" ]; then candidates+=("$JAVA_HOME"); fi
if command -v javac >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
fi
for d in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do
  if [ -d "$d" ]; then candidates+=("$d"); fi
done

best="" best_major=0
for home in "${candidates[@]}"; do
  m=$(major_of "$home") || continue
  if [ "$m" -ge "$min" ] && [ "$m" -gt "$best_major" ]; then best=$home best_major=$m; fi
  # JAVA_HOME wins when it qualifies: the user chose it.
  if [ "$home" = "${JAVA_HOME:-}" ] && [ "$m" -ge "$min" ]; then echo "$home"; exit 0; fi
done
if [ -z "$best" ]; then
  echo "No JDK >= $min found (looked at JAVA_HOME, javac on PATH, /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk-headless' where available, or Temurin 21+, and set JAVA_HOME." >&2
  exit 1
fi
echo "$best"
