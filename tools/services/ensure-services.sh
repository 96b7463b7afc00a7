#!/usr/bin/env bash
# Makes sure the servers the tests need are installed and running on loopback:
# PostgreSQL (127.0.0.1:5432, user postgres / password postgres), NATS with JetStream
# (127.0.0.1:4222) and Redis (127.0.0.1:6379), all from Debian's packages. Tests that must
# restart a server spawn their own nats-server / redis-server from these binaries. The nginx
# and haproxy binaries are installed too (not started): tools/proxy-config's int test runs its own.
# Debian's chromium (the topology page test) and python3-venv (the synadm test) are installed too.
# Idempotent: does nothing when everything is already up. Fails loudly otherwise.
set -euo pipefail

log() { printf 'ensure-services: %s\n' "$*" >&2; }
need_root() {
  if [ "$(id -u)" != 0 ]; then
    log "cannot $1 without root; install/start it yourself or run this script as root"
    exit 1
  fi
}

apt_updated=0
apt_install() {
  need_root "install $*"
  if [ $apt_updated = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 60); do
    port_open "$1" && return 0
    sleep 0.5
  done
  log "$2 did not start listening on 127.0.0.1:$1"
  exit 1
}

# --- PostgreSQL ---------------------------------------------------------------------------
if ! command -v pg_ctlcluster >/dev/null 2>&1; then apt_install postgresql postgresql-client; fi
if ! port_open 5432; then
  need_root "start PostgreSQL"
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  if [ -z "$version" ]; then log "PostgreSQL is installed but has no cluster in /etc/postgresql"; exit 1; fi
  if ! pg_lsclusters -h | grep -q "^$version main"; then pg_createcluster "$version" main >/dev/null; fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  wait_port 5432 PostgreSQL
fi
# The tests log in over TCP as postgres/postgres; a fresh Debian cluster has no password set.
if ! PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1; then
  need_root "set the postgres password"
  su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  PGPASSWORD=postgres psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'SELECT 1' >/dev/null
fi
log "PostgreSQL ready on 127.0.0.1:5432"

# --- NATS ---------------------------------------------------------------------------------
if [ ! -x /usr/sbin/nats-server ] && ! command -v nats-server >/dev/null 2>&1; then apt_install nats-server; fi
if ! port_open 4222; then
  need_root "start nats-server"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server || echo /usr/sbin/nats-server)" -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_port 4222 nats-server
fi
log "NATS ready on 127.0.0.1:4222"

# --- Redis --------------------------------------------------------------------------------
if ! command -v redis-server >/dev/null 2>&1; then apt_install redis-server; fi
if ! port_open 6379; then
  need_root "start redis-server"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_port 6379 redis-server
fi
log "Redis ready on 127.0.0.1:6379"

# --- Reverse proxies (binaries only) -------------------------------------------------------
if [ ! -x /usr/sbin/nginx ]; then apt_install nginx-light; fi
if [ ! -x /usr/sbin/haproxy ]; then apt_install haproxy; fi
log "nginx and haproxy installed"

# --- Admin tests: headless Chromium (the topology page) and Python venvs (synadm, Synapse) ----
if [ ! -x /usr/bin/chromium ]; then apt_install chromium; fi
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then apt_install python3-venv; fi
log "chromium and python3-venv installed"
