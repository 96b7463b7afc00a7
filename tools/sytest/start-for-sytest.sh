#!/usr/bin/env bash
# Starts this server (the monolith) for a Sytest run: a fresh PostgreSQL database, a self-signed
# certificate for the TLS federation listener, and homeserver.sytest.yaml with the ports filled
# in. Then run Sytest's split-port driver against it, e.g. with the runner of the shared docs:
#   FEDERATION_PORT=39448 run.sh SCRATCH http://127.0.0.1:39108 localhost:39448 OUT tests/50federation/*.pl
#
# Usage: tools/sytest/start-for-sytest.sh DIR [CLIENT_PORT] [FEDERATION_PORT] [DATABASE]
#   DIR: where the config, certificate, signing key, log and pid file go (created)
#   defaults: 39108, 39448, database "sytest" on the PostgreSQL at 127.0.0.1:5432 (user postgres)
# Stop it with: kill "$(cat DIR/server.pid)"
# SYTEST_CA=PATH (e.g. SCRATCH/sytest/keys/ca.crt): trust Sytest's CA for outbound requests (its
#   push gateway and appservice listen on TLS with certificates from it); without it every
#   push test fails and the pusher's retries disturb the tests that follow.
set -eu
if [ $# -lt 1 ]; then sed -n '2,15p' "$0" >&2; exit 2; fi
DIR=$(mkdir -p "$1" && cd "$1" && pwd)
CLIENT_PORT=${2:-39108}
FEDERATION_PORT=${3:-39448}
DATABASE=${4:-sytest}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 -subj /CN=localhost \
  -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1' -keyout "$DIR/tls.key" -out "$DIR/tls.crt" 2>/dev/null
sed -e "s/@CLIENT_PORT@/$CLIENT_PORT/g" -e "s/@FEDERATION_PORT@/$FEDERATION_PORT/g" -e "s/@DATABASE@/$DATABASE/g" \
  "$HERE/homeserver.sytest.yaml" > "$DIR/homeserver.yaml"
# Sytest's fixed user names (e.g. @spyglass) need a fresh database every run.
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS \"$DATABASE\"" -c "CREATE DATABASE \"$DATABASE\""
if [ -n "${SYTEST_CA:-}" ]; then export NODE_EXTRA_CA_CERTS="$SYTEST_CA"; fi
(cd "$ROOT" && node_modules/.bin/node tools/bundle/main.ts --if-stale main)
(cd "$ROOT" && exec node_modules/.bin/node apps/main/dist/main.js -c "$DIR/homeserver.yaml") > "$DIR/server.log" 2>&1 &
echo $! > "$DIR/server.pid"
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$CLIENT_PORT/_matrix/client/versions" > /dev/null; then
    echo "listening: client http://127.0.0.1:$CLIENT_PORT, federation https://localhost:$FEDERATION_PORT (pid $(cat "$DIR/server.pid"))"
    exit 0
  fi
  sleep 1
done
echo "the server did not start; see $DIR/server.log" >&2
exit 1
