#!/bin/bash
# A whole cluster on this one machine, each part a process of its own: PostgreSQL 15 (a
# throw-away cluster), `chroma run`, a Ray head and a second Ray node, the sample clips
# served as RTSP cameras, `vigil watch --ray` recording and analysing them on the cluster,
# and `vigil serve` on the same stores. Prints the URL; Ctrl-C stops everything.
#
#   make cluster-demo            (or: scripts/cluster-demo.sh [PORT])
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/.venv/bin
DATA=${VIGIL_SHARED_DATA:-$ROOT/../shared/data}
WEB_PORT=${1:-8080}
PG=/usr/lib/postgresql/15/bin
PASSWORD=${DEMO_PASSWORD:-vigil-demo-2026}
RUN=$(mktemp -d /tmp/vigil-cluster-XXXXXX)
chmod 755 "$RUN"
PIDS=()

free_port() { "$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
say() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"; }

stop_all() {
  say "stopping"
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$BIN/ray" stop --force >/dev/null 2>&1 || true
  as_postgres "$PG/pg_ctl" -D "$RUN/pg" -m fast stop >/dev/null 2>&1 || true
  say "logs and data were in $RUN"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

PG_PORT=$(free_port); CHROMA_PORT=$(free_port); RAY_PORT=$(free_port)

say "PostgreSQL on port $PG_PORT"
mkdir -p "$RUN/pg" "$RUN/pg-sockets"
[ "$(id -u)" = 0 ] && chown postgres "$RUN/pg" "$RUN/pg-sockets"
as_postgres "$PG/initdb" -D "$RUN/pg" -A trust -U vigil >/dev/null
as_postgres "$PG/pg_ctl" -D "$RUN/pg" -l "$RUN/pg-sockets/server.log" \
  -o "-p $PG_PORT -k $RUN/pg-sockets -c listen_addresses=127.0.0.1" -w start >/dev/null
"$BIN/python" -c "import psycopg; psycopg.connect('host=127.0.0.1 port=$PG_PORT user=vigil dbname=postgres', autocommit=True).execute('CREATE DATABASE vigil')"

say "Chroma server on port $CHROMA_PORT"
ANONYMIZED_TELEMETRY=False "$BIN/chroma" run --path "$RUN/chroma" --host 127.0.0.1 \
  --port "$CHROMA_PORT" >"$RUN/chroma.log" 2>&1 &
PIDS+=($!)
"$BIN/python" - "$CHROMA_PORT" <<'EOF'
import sys, time, httpx
for _ in range(100):
    try:
        if httpx.get(f"http://127.0.0.1:{sys.argv[1]}/api/v2/heartbeat", timeout=1).is_success:
            sys.exit(0)
    except httpx.HTTPError:
        time.sleep(0.2)
sys.exit("the Chroma server did not come up")
EOF

export VIGIL_DATABASE_URL="postgresql+psycopg://vigil@127.0.0.1:$PG_PORT/vigil"
export VIGIL_CHROMA_URL="http://127.0.0.1:$CHROMA_PORT"
export VIGIL_DATA_DIR="$RUN/shared"   # on a real cluster: one NFS export, same path everywhere
export VIGIL_TIMEZONE=${VIGIL_TIMEZONE:-Europe/Amsterdam}

say "Ray head (1 CPU) and a second node (1 CPU) on port $RAY_PORT"
RAY_OPTS=(--num-cpus=1 --object-store-memory=200000000 --disable-usage-stats)
"$BIN/ray" start --head --port="$RAY_PORT" --include-dashboard=false "${RAY_OPTS[@]}" >"$RUN/ray-head.log" 2>&1
"$BIN/ray" start --address="127.0.0.1:$RAY_PORT" "${RAY_OPTS[@]}" >"$RUN/ray-node.log" 2>&1

STREAMS=()
for camera_clip in lobby=one-by-one-person-detection.mp4 parking=car-detection.mp4; do
  camera=${camera_clip%%=*}; clip=$DATA/clips/${camera_clip#*=}
  port=$(free_port)
  /usr/bin/python3 "$ROOT/scripts/rtsp-serve.py" "$clip" "$port" >"$RUN/rtsp-$camera.log" 2>&1 &
  PIDS+=($!)
  STREAMS+=(--stream "$camera=rtsp://127.0.0.1:$port/live")
  say "camera $camera: rtsp://127.0.0.1:$port/live ($(basename "$clip"))"
done
sleep 2

say "vigil watch on the cluster (an actor per camera); log in $RUN/watch.log"
"$BIN/vigil" watch --ray "127.0.0.1:$RAY_PORT" --segment-s 10 "${STREAMS[@]}" >"$RUN/watch.log" 2>&1 &
PIDS+=($!)

for user in operator supervisor admin; do
  echo "$PASSWORD" | "$BIN/vigil" users add "$user" --role "$user" --password-stdin --if-missing >/dev/null
done
"$BIN/vigil" keys init --if-missing >/dev/null
"$BIN/vigil" serve --port "$WEB_PORT" >"$RUN/serve.log" 2>&1 &
PIDS+=($!)
say "the control room: http://127.0.0.1:$WEB_PORT (operator, supervisor or admin; password $PASSWORD)"
say "the cameras' first segments are searchable about 10 s after they close; Ctrl-C stops"
wait
