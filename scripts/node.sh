#!/usr/bin/env bash
# Manages one local single-node OpenSearch with the face-search plugin installed.
# Used by ./face-search (up, down, status, demo) and by the integTest build (real-server tests).
#
#   node.sh start  --home DIR --distribution DIST_DIR --plugin ZIP [--plugin ZIP...] [--port N|auto] [--fresh]
#   node.sh stop   --home DIR
#   node.sh status --home DIR
#
# Everything the node writes stays under --home: the server copy (DIR/opensearch), data
# (DIR/data), logs (DIR/logs, kept across restarts: the evidence of a crash), snapshot repositories
# (DIR/repo, the node's path.repo), the pid file (DIR/node.pid) and the HTTP port (DIR/http.port).
# --fresh resets the data (and the snapshot repositories), never the logs.
# The server listens on 127.0.0.1 only. OpenSearch refuses to run as root, so when this runs as
# root the node runs as the unprivileged system user "face-search" (created on first use). That
# user cannot enter a checkout inside a private folder (mode 0700, like /root or a mktemp -d): then
# the server copy, data and logs live in a folder of that user's,
# /var/lib/face-search/nodes/<hash of DIR> ($FACE_NODE_RUNTIME_ROOT to change it), linked from
# DIR/runtime, and DIR keeps the HTTP port.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source "$here/jdk.sh"

NODE_USER=${FACE_NODE_USER:-face-search}
HEAP=${FACE_NODE_HEAP:-2g}
START_TIMEOUT=${FACE_NODE_START_TIMEOUT:-240}

die() { echo "node: $*" >&2; exit 1; }

cmd=${1:-}; shift || true
home="" dist="" port=auto fresh=0
plugins=()
while [ $# -gt 0 ]; do
  case "$1" in
    --home) home=$2; shift 2 ;;
    --distribution) dist=$2; shift 2 ;;
    --plugin) plugins+=("$2"); shift 2 ;;
    --port) port=$2; shift 2 ;;
    --fresh) fresh=1; shift ;;
    *) die "unknown option $1" ;;
  esac
done
[ -n "$home" ] || die "--home is required"
mkdir -p "$home"
home=$(cd "$home" && pwd)

# Where the server copy, data, logs and pid file live: --home, or the folder DIR/runtime links to.
use_runtime() {
  run=$1
  pidfile=$run/node.pid
}
if [ -L "$home/runtime" ]; then use_runtime "$(readlink -f "$home/runtime")"; else use_runtime "$home"; fi

# As root, moves the node's files out of a --home its user cannot reach (see the header).
relocate_if_unreachable() {
  [ "$(id -u)" = 0 ] || return 0
  if runuser -u "$NODE_USER" -- test -x "$home" 2>/dev/null; then
    rm -f "$home/runtime"
    use_runtime "$home"
    return 0
  fi
  local key root=${FACE_NODE_RUNTIME_ROOT:-/var/lib/face-search/nodes}
  key=$(printf '%s' "$home" | sha256sum | cut -c1-16)
  mkdir -p "$root/$key"
  chmod 755 "$root" "$(dirname "$root")" 2>/dev/null || true
  ln -sfn "$root/$key" "$home/runtime"
  use_runtime "$root/$key"
  echo "node: user $NODE_USER cannot enter $home (a folder above it is private); the server, data and logs live in $run (linked as $home/runtime)"
}

running_pid() {  # prints the pid of the live node of this home, if any
  local pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
}

http_get() {  # http_get PORT PATH: prints the body, fails when the node does not answer
  curl -fsS --max-time 10 "http://127.0.0.1:$1$2"
}

as_node_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$NODE_USER" -- "$@"; else "$@"; fi
}

ensure_user() {
  [ "$(id -u)" = 0 ] || return 0
  if ! id -u "$NODE_USER" >/dev/null 2>&1; then
    useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$NODE_USER"
  fi
}

port_in_use() {  # true when something accepts connections on 127.0.0.1:$1
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

install_server() {  # a private copy of the distribution with the plugin zips installed
  local jdk=$1 sum zip
  sum=$(sha256sum "${plugins[@]}" | cut -d' ' -f1 | sha256sum | cut -d' ' -f1)
  if [ -d "$run/opensearch" ] && [ "$(cat "$run/plugin.sha256" 2>/dev/null)" = "$sum" ]; then
    return 0
  fi
  rm -rf "$run/opensearch" "$run/plugin.sha256"
  cp -a "$dist" "$run/opensearch"
  : > "$run/plugin-install.log"
  for zip in "${plugins[@]}"; do
    echo "node: installing $(basename "$zip") into a copy of $(basename "$dist")"
    OPENSEARCH_JAVA_HOME=$jdk "$run/opensearch/bin/opensearch-plugin" install --batch "file://$zip" \
      >> "$run/plugin-install.log" 2>&1 || { cat "$run/plugin-install.log" >&2; die "installing $zip failed"; }
  done
  echo "$sum" > "$run/plugin.sha256"
}

write_config() {
  local http_port=$1 conf=$run/opensearch/config/opensearch.yml
  cat > "$conf" <<YML
# Written by scripts/node.sh: a loopback-only, single-node development server.
cluster.name: face-search-local
node.name: face-search-node
network.host: 127.0.0.1
http.port: $http_port
transport.port: 19300-19399
discovery.type: single-node
path.data: $run/data
path.logs: $run/logs
path.repo: $run/repo
node.portsfile: true
YML
  # Heap and a private temp dir (ONNX Runtime unpacks its natives there).
  cat > "$run/opensearch/config/jvm.options.d/face-search.options" <<OPTS
-Xms$HEAP
-Xmx$HEAP
OPTS
}

start() {
  [ -n "$dist" ] && [ -d "$dist" ] || die "--distribution must be an unpacked OpenSearch (got '${dist}')"
  [ ${#plugins[@]} -gt 0 ] || die "--plugin is required (the face-search zip, and optionally other plugin zips)"
  local z
  for z in "${plugins[@]}"; do [ -f "$z" ] || die "--plugin $z: no such file"; done
  local pid jdk http_port deadline
  pid=$(running_pid)
  if [ -n "$pid" ]; then
    echo "node: already running (pid $pid) on http://127.0.0.1:$(cat "$home/http.port")"
    return 0
  fi
  jdk=$(find_jdk)
  command -v curl >/dev/null || die "curl is needed to talk to the node (apt-get install curl)"
  ensure_user
  relocate_if_unreachable
  dist=$(cd "$dist" && pwd)
  local i
  for i in "${!plugins[@]}"; do plugins[$i]=$(cd "$(dirname "${plugins[$i]}")" && pwd)/$(basename "${plugins[$i]}"); done
  install_server "$jdk"
  if [ "$port" = auto ]; then
    http_port=19200-19299
  else
    port_in_use "$port" && die "port $port on 127.0.0.1 is taken by another program (use --port N)"
    http_port=$port
  fi
  [ "$fresh" = 1 ] && rm -rf "$run/data" "$run/repo"
  # A pid file left by an earlier node would read as "started and already dead" below, and an old
  # ports file as "already listening". The logs stay: the server appends to them, and the launch
  # log of each start goes after the last one's.
  rm -f "$home/http.port" "$run/http.port" "$pidfile" "$run/logs/http.ports"
  mkdir -p "$run/data" "$run/logs" "$run/repo"
  echo "=== node.sh start $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$run/logs/launch.log"
  write_config "$http_port"
  if [ "$(id -u)" = 0 ]; then chown -R "$NODE_USER" "$run"; fi

  as_node_user env OPENSEARCH_JAVA_HOME="$jdk" OPENSEARCH_PATH_CONF="$run/opensearch/config" \
    "$run/opensearch/bin/opensearch" -d -p "$pidfile" >> "$run/logs/launch.log" 2>&1 \
    || { tail -n 60 "$run/logs/launch.log" >&2; die "the server did not launch"; }

  # The node writes its bound HTTP port to logs/http.ports (node.portsfile); then wait for health.
  deadline=$((SECONDS + START_TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    if [ -s "$run/logs/http.ports" ]; then
      local addr; addr=$(head -n1 "$run/logs/http.ports")
      echo "${addr##*:}" > "$home/http.port"
      if http_get "${addr##*:}" "/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null 2>&1; then
        echo "node: up on http://127.0.0.1:${addr##*:} (pid $(cat "$pidfile")), files in $run"
        return 0
      fi
    fi
    if [ -f "$pidfile" ] && [ -z "$(running_pid)" ]; then break; fi
    sleep 1
  done
  echo "node: the server did not answer within ${START_TIMEOUT}s; last log lines:" >&2
  tail -n 60 "$run/logs/face-search-local.log" >&2 2>/dev/null || tail -n 60 "$run/logs/launch.log" >&2
  stop
  exit 1
}

stop() {
  local pid i
  pid=$(running_pid)
  if [ -z "$pid" ]; then
    echo "node: not running"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid"
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "node: pid $pid did not stop in 60s; killing it" >&2
    kill -KILL "$pid"
  fi
  rm -f "$pidfile"
  echo "node: stopped (pid $pid); logs kept in $run/logs"
}

status() {
  local pid p
  pid=$(running_pid)
  if [ -z "$pid" ]; then echo "node: not running (home $home)"; return 3; fi
  p=$(cat "$home/http.port" 2>/dev/null || echo "?")
  echo "node: running (pid $pid) on http://127.0.0.1:$p, files in $run"
  http_get "$p" "/_cat/plugins?v" || echo "node: HTTP not answering yet"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: node.sh start|stop|status --home DIR [...]" ;;
esac
