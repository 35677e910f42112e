#!/usr/bin/env bash
# DICOM TLS material for the DIMSE services' TLS listeners (docs/security.md), made once in DIR
# (make run: ./var/tls) and left alone when DIR/server.p12 exists:
#   ca.pem / ca.key              a local CA (never leaves DIR; not for production)
#   server.p12                   the services' key store: key + certificate (CN=localhost, SAN
#                                localhost and 127.0.0.1) signed by the CA
#   trust.p12                    the services' trust store: the CA (clients with a CA-signed
#                                certificate are admitted)
#   client.key / client.pem      a client key and CA-signed certificate for DCMTK, e.g.
#                                echoscu +tls DIR/client.key DIR/client.pem +cf DIR/ca.pem -aec STRATA 127.0.0.1 2762
#   store-password               the password of both stores (random; read by make run)
# EC P-256 keys (ECDSA certificates: the ECDHE_ECDSA suites of BCP 195 for TLS 1.2).
# Needs openssl and the JDK's keytool (KEYTOOL, else $JAVA_HOME/bin/keytool, else on PATH, else
# beside java).
set -euo pipefail
dir="${1:?usage: dimse-tls.sh DIR}"
days="${STRATA_TLS_DAYS:-825}"
if [ -f "$dir/server.p12" ] && [ -f "$dir/trust.p12" ] && [ -f "$dir/store-password" ]; then
  exit 0
fi
keytool="${KEYTOOL:-}"
if [ -z "$keytool" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/keytool" ]; then keytool="$JAVA_HOME/bin/keytool"
  elif command -v keytool >/dev/null; then keytool=keytool
  elif command -v java >/dev/null; then keytool="$(dirname "$(readlink -f "$(command -v java)")")/keytool"
  else keytool=keytool; fi
fi
command -v openssl >/dev/null || { echo "dimse-tls.sh: openssl not found (apt-get install openssl)" >&2; exit 1; }
command -v "$keytool" >/dev/null || { echo "dimse-tls.sh: keytool not found (a JDK's bin)" >&2; exit 1; }

mkdir -p "$dir"
umask 077
tmp="$(mktemp -d "$dir/.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
openssl rand -hex 16 > "$tmp/store-password"
pw="$(cat "$tmp/store-password")"
ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)

openssl req -x509 "${ec[@]}" -keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days "$days" \
  -subj "/O=Strata local/CN=Strata local DICOM CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null

# $1 name, $2 CN, $3 extensions
leaf() {
  openssl req "${ec[@]}" -keyout "$tmp/$1.key" -out "$tmp/$1.csr" -subj "/O=Strata local/CN=$2" 2>/dev/null
  printf '%s\n' "$3" > "$tmp/$1.ext"
  openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
    -days "$days" -extfile "$tmp/$1.ext" -out "$tmp/$1.pem" 2>/dev/null
}
leaf server localhost "subjectAltName=DNS:localhost,IP:127.0.0.1
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth"
leaf client "strata-local-client" "keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"

openssl pkcs12 -export -inkey "$tmp/server.key" -in "$tmp/server.pem" -certfile "$tmp/ca.pem" \
  -name server -out "$tmp/server.p12" -passout "pass:$pw"
# A Java trust store needs keytool: JSSE ignores certificates openssl 3.0 writes without a key.
"$keytool" -importcert -noprompt -alias strata-local-ca -file "$tmp/ca.pem" \
  -keystore "$tmp/trust.p12" -storetype PKCS12 -storepass "$pw" >/dev/null 2>&1

for f in ca.key ca.pem server.key server.pem server.p12 client.key client.pem trust.p12 store-password; do
  mv "$tmp/$f" "$dir/$f"
done
echo "DICOM TLS: local CA, server and client certificates written to $dir"
