#!/usr/bin/env bash
# Manages a local OpenSearch with the face-search plugin installed: one node, or a cluster of
# several nodes on loopback. Used by ./face-search (up, down, status, demo), by the integTest build
# (real-server tests, single node and cluster) and by the node benchmarks.
#
#   node.sh start  --home DIR --distribution DIST_DIR --plugin ZIP [--plugin ZIP...] [--port N|auto] [--fresh]
#                  [--nodes N] [--roles LIST]... [--heap SIZE]
#   node.sh stop   --home DIR                  stops every node of DIR
#   node.sh status --home DIR                  0: every node runs, 3: none, 4: some
#   node.sh kill         --home DIR --node I   kill -9 of node I (1-based); its files stay
#   node.sh stop-node    --home DIR --node I   stops node I gracefully
#   node.sh start-node   --home DIR --node I   starts node I again as it was configured; waits until it joined
#   node.sh restart-node --home DIR --node I   stop-node, then start-node
#
# One node (the default) keeps everything under --home: the server copy (DIR/opensearch), data
# (DIR/data), logs (DIR/logs, kept across restarts: the evidence of a crash), snapshot
# repositories (DIR/repo, the node's path.repo), the pid file (DIR/node.pid) and the HTTP port
# (DIR/http.port). --fresh resets the data (and the snapshot repositories), never the logs.
#
# --nodes N (N > 1) starts a cluster of N nodes from the same server copy: node I has its own
# config folder (DIR/node-I/config, given to it as OPENSEARCH_PATH_CONF), data, logs, pid file and
# HTTP port file (DIR/node-I/http.port); DIR/http.port is node 1's. The nodes share one path.repo
# (DIR/repo), as a snapshot repository must. --roles LIST (comma-separated node roles, e.g.
# ingest,cluster_manager; "coordinating" for none) is given once per node, in node order, or as one
# value with the nodes' lists separated by "/"; without it every node has every default role. The
# cluster is named face-search-<hash of DIR>, so two clusters on one machine never join each other,
# and its nodes find each other through fixed transport ports recorded in DIR/cluster.conf (with
# the roles, HTTP ports and heap), which start-node reuses. --heap defaults to $FACE_NODE_HEAP, else
# 2g for one node and 1g per node for a cluster. $FACE_NODE_START_TIMEOUT: seconds to wait for a start
# (default 240 for one node, 600 for a cluster).
#
# The server listens on 127.0.0.1 only. OpenSearch refuses to run as root, so when this runs as
# root the nodes run as the unprivileged system user "face-search" (created on first use). That
# user cannot enter a checkout inside a private folder (mode 0700, like /root or a mktemp -d): then
# the server copy, data and logs live in a folder of that user's,
# /var/lib/face-search/nodes/<hash of DIR> ($FACE_NODE_RUNTIME_ROOT to change it), linked from
# DIR/runtime, and DIR keeps the HTTP port files and cluster.conf.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source "$here/jdk.sh"

NODE_USER=${FACE_NODE_USER:-face-search}
START_TIMEOUT=${FACE_NODE_START_TIMEOUT:-}
KNOWN_ROLES="cluster_manager data ingest remote_cluster_client search warm"

die() { echo "node: $*" >&2; exit 1; }

cmd=${1:-}; shift || true
home="" dist="" port=auto fresh=0 nodes="" heap="" which=""
plugins=()
role_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --home) home=${2:?--home needs a folder}; shift 2 ;;
    --distribution) dist=${2:?--distribution needs a folder}; shift 2 ;;
    --plugin) plugins+=("${2:?--plugin needs a zip}"); shift 2 ;;
    --port) port=${2:?--port needs a number or auto}; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --nodes) nodes=${2:?--nodes needs a number}; shift 2 ;;
    --roles) role_args+=("${2?--roles needs a list}"); shift 2 ;;
    --heap) heap=${2:?--heap needs a size such as 1g}; shift 2 ;;
    --node) which=${2:?--node needs a number}; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
[ -n "$home" ] || die "--home is required"
mkdir -p "$home"
home=$(cd "$home" && pwd)
conf_file=$home/cluster.conf

# Where the server copy, data, logs and pid files live: --home, or the folder DIR/runtime links to.
if [ -L "$home/runtime" ]; then run=$(readlink -f "$home/runtime"); else run=$home; fi

# As root, moves the node's files out of a --home its user cannot reach (see the header).
relocate_if_unreachable() {
  [ "$(id -u)" = 0 ] || return 0
  if runuser -u "$NODE_USER" -- test -x "$home" 2>/dev/null; then
    rm -f "$home/runtime"
    run=$home
    return 0
  fi
  local key root=${FACE_NODE_RUNTIME_ROOT:-/var/lib/face-search/nodes}
  key=$(printf '%s' "$home" | sha256sum | cut -c1-16)
  mkdir -p "$root/$key"
  chmod 755 "$root" "$(dirname "$root")" 2>/dev/null || true
  ln -sfn "$root/$key" "$home/runtime"
  run=$root/$key
  echo "node: user $NODE_USER cannot enter $home (a folder above it is private); the server, data and logs live in $run (linked as $home/runtime)"
}

# --- the cluster's shape: N, and per node its roles, ports and folders --------------------------

# cluster.conf (written by start): NODES, CLUSTER_NAME, HEAP, ROLES_I, HTTP_I, TRANSPORT_I.
NODES=1
load_conf() {
  NODES=1
  if [ -f "$conf_file" ]; then
    # shellcheck disable=SC1090
    source "$conf_file"
  fi
}

# Seconds to wait for a start: several JVMs starting at once share the cores.
start_timeout() {
  if [ -n "$START_TIMEOUT" ]; then echo "$START_TIMEOUT"; elif [ "$NODES" = 1 ]; then echo 240; else echo 600; fi
}

node_dir() { if [ "$NODES" = 1 ]; then echo "$run"; else echo "$run/node-$1"; fi; }
port_file() { if [ "$NODES" = 1 ]; then echo "$home/http.port"; else echo "$home/node-$1/http.port"; fi; }
pid_file() { echo "$(node_dir "$1")/node.pid"; }
log_file() {  # the server's main log of node I
  local name=face-search-local
  [ "$NODES" = 1 ] || name=$CLUSTER_NAME
  echo "$(node_dir "$1")/logs/$name.log"
}

running_pid() {  # prints the pid of node I if it is alive
  local pid f
  f=$(pid_file "$1")
  [ -f "$f" ] || return 0
  pid=$(cat "$f" 2>/dev/null || true)
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

# Prints N distinct free ports from FROM-TO, tried in a random order (two clusters started at the
# same moment rarely pick the same one), none of those in the words after N.
free_ports() {
  local from=$1 to=$2 n=$3 p picked=() taken=" ${*:4} "
  for p in $(shuf -i "$from-$to"); do
    [ ${#picked[@]} -lt "$n" ] || break
    case "$taken" in *" $p "*) continue ;; esac
    port_in_use "$p" && continue
    picked+=("$p")
  done
  [ ${#picked[@]} -eq "$n" ] || die "fewer than $n free ports in $from-$to on 127.0.0.1"
  echo "${picked[*]}"
}

# Parses the --roles values into ROLES_1..ROLES_N ("" = every default role).
parse_roles() {
  local lists=() value list role i
  for value in "${role_args[@]}"; do
    IFS=/ read -r -a parts <<< "$value"
    for list in "${parts[@]}"; do lists+=("$list"); done
  done
  if [ ${#lists[@]} -ne 0 ] && [ ${#lists[@]} -ne "$NODES" ]; then
    die "--roles: got ${#lists[@]} role lists for $NODES nodes; give one per node, in node order"
  fi
  local eligible=0
  for i in $(seq 1 "$NODES"); do
    list=${lists[$((i - 1))]:-}
    if [ ${#lists[@]} -eq 0 ]; then
      eval "ROLES_$i=''"
      eligible=1
      continue
    fi
    [ -n "$list" ] || die "--roles: node $i has an empty role list (use 'coordinating' for a node without roles)"
    if [ "$list" = coordinating ]; then
      eval "ROLES_$i=coordinating"
      continue
    fi
    IFS=, read -r -a rs <<< "$list"
    for role in "${rs[@]}"; do
      case " $KNOWN_ROLES " in
        *" $role "*) ;;
        *) die "--roles: unknown role [$role] for node $i; roles are: $KNOWN_ROLES (or 'coordinating' for none)" ;;
      esac
      [ "$role" = cluster_manager ] && eligible=1
    done
    eval "ROLES_$i=\$list"
  done
  [ "$eligible" = 1 ] || die "--roles: no node has the cluster_manager role; at least one must"
}

roles_of() { local v="ROLES_$1"; echo "${!v:-}"; }
http_of() { local v="HTTP_$1"; echo "${!v:-}"; }
transport_of() { local v="TRANSPORT_$1"; echo "${!v:-}"; }

write_conf() {
  local i
  {
    echo "# Written by scripts/node.sh start; read by stop, status, kill and start-node."
    echo "NODES=$NODES"
    echo "CLUSTER_NAME=$CLUSTER_NAME"
    echo "HEAP=$HEAP"
    for i in $(seq 1 "$NODES"); do
      echo "ROLES_$i='$(roles_of "$i")'"
      echo "HTTP_$i=$(http_of "$i")"
      echo "TRANSPORT_$i=$(transport_of "$i")"
    done
  } > "$conf_file"
}

# --- the server copy and each node's configuration ----------------------------------------------

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

yaml_list() {  # yaml_list a,b,c -> [a, b, c]
  local IFS=, out="" x
  for x in $1; do out="${out:+$out, }$x"; done
  echo "[$out]"
}

# Writes node I's opensearch.yml and heap into its config folder (the server copy's own config
# folder for one node; for a cluster a copy of it per node, made once).
write_config() {
  local i=$1 dir conf seeds="" managers="" j roles
  dir=$(node_dir "$i")
  if [ "$NODES" = 1 ]; then
    conf=$run/opensearch/config
  else
    conf=$dir/config
    mkdir -p "$dir"
    if [ ! -d "$conf" ]; then
      cp -a "$run/opensearch/config" "$conf"
      # The stock jvm.options writes GC logs, heap dumps and crash files relative to the server
      # copy, which the nodes share: each node writes its own under its folder.
      sed -i -e "s#=logs/#=$dir/logs/#g; s#file=logs/#file=$dir/logs/#g; s#HeapDumpPath=data#HeapDumpPath=$dir/data#" "$conf/jvm.options"
    fi
  fi
  if [ "$NODES" = 1 ]; then
    cat > "$conf/opensearch.yml" <<YML
# Written by scripts/node.sh: a loopback-only, single-node development server.
cluster.name: face-search-local
node.name: face-search-node
network.host: 127.0.0.1
http.port: $(http_of 1)
transport.port: 19300-19399
discovery.type: single-node
path.data: $dir/data
path.logs: $dir/logs
path.repo: $run/repo
node.portsfile: true
YML
  else
    for j in $(seq 1 "$NODES"); do
      seeds="${seeds:+$seeds, }\"127.0.0.1:$(transport_of "$j")\""
      roles=$(roles_of "$j")
      if [ -z "$roles" ] || [[ ",$roles," == *,cluster_manager,* ]]; then managers="${managers:+$managers, }node-$j"; fi
    done
    roles=$(roles_of "$i")
    cat > "$conf/opensearch.yml" <<YML
# Written by scripts/node.sh: node $i of a loopback-only development cluster of $NODES nodes.
cluster.name: $CLUSTER_NAME
node.name: node-$i
$(if [ "$roles" = coordinating ]; then echo "node.roles: []"; elif [ -n "$roles" ]; then echo "node.roles: $(yaml_list "$roles")"; fi)
network.host: 127.0.0.1
http.port: $(http_of "$i")
transport.port: $(transport_of "$i")
discovery.seed_hosts: [$seeds]
cluster.initial_cluster_manager_nodes: [$managers]
path.data: $dir/data
path.logs: $dir/logs
path.repo: $run/repo
node.portsfile: true
YML
  fi
  cat > "$conf/jvm.options.d/face-search.options" <<OPTS
-Xms$HEAP
-Xmx$HEAP
OPTS
}

# Launches node I in the background (returns at once); launch_wait waits for the launchers and
# notes in launch_failed the nodes whose launcher failed.
launch_pids=()
launch_nodes=()
launch_failed=" "
launch() {
  local i=$1 dir conf jdk=$2
  dir=$(node_dir "$i")
  if [ "$NODES" = 1 ]; then conf=$run/opensearch/config; else conf=$dir/config; fi
  # A pid file left by an earlier node would read as "started and already dead" below, and an old
  # ports file as "already listening". The logs stay: the server appends to them, and the launch
  # log of each start goes after the last one's.
  rm -f "$(port_file "$i")" "$(pid_file "$i")" "$dir/logs/http.ports"
  mkdir -p "$dir/data" "$dir/logs" "$run/repo" "$(dirname "$(port_file "$i")")"
  echo "=== node.sh start $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$dir/logs/launch.log"
  if [ "$(id -u)" = 0 ]; then chown -R "$NODE_USER" "$dir" "$run/repo"; fi
  as_node_user env OPENSEARCH_JAVA_HOME="$jdk" OPENSEARCH_PATH_CONF="$conf" \
    "$run/opensearch/bin/opensearch" -d -p "$(pid_file "$i")" >> "$dir/logs/launch.log" 2>&1 &
  launch_pids+=("$!")
  launch_nodes+=("$i")
}

launch_wait() {
  local k
  for k in "${!launch_pids[@]}"; do
    wait "${launch_pids[$k]}" || launch_failed="$launch_failed${launch_nodes[$k]} "
  done
  launch_pids=()
  launch_nodes=()
}

# Waits until node I answers on HTTP (and records its port); fails when it died or timed out.
wait_http() {
  local i=$1 deadline=$2 dir addr
  dir=$(node_dir "$i")
  while [ $SECONDS -lt "$deadline" ]; do
    # A launcher that failed leaves no server behind (it writes the pid file only once started).
    case "$launch_failed" in *" $i "*) [ -n "$(running_pid "$i")" ] || return 1 ;; esac
    if [ -s "$dir/logs/http.ports" ]; then
      addr=$(head -n1 "$dir/logs/http.ports")
      echo "${addr##*:}" > "$(port_file "$i")"
      if http_get "${addr##*:}" "/" >/dev/null 2>&1; then return 0; fi
    fi
    if [ -f "$(pid_file "$i")" ] && [ -z "$(running_pid "$i")" ]; then return 1; fi
    sleep 1
  done
  return 1
}

# Waits until the cluster seen from node I has all NODES nodes and at least yellow health.
wait_cluster() {
  local i=$1 deadline=$2 p
  p=$(cat "$(port_file "$i")")
  while [ $SECONDS -lt "$deadline" ]; do
    if http_get "$p" "/_cluster/health?wait_for_nodes=$NODES&wait_for_status=yellow&timeout=5s" >/dev/null 2>&1; then return 0; fi
    [ -n "$(running_pid "$i")" ] || return 1
    sleep 1
  done
  return 1
}

start_failed() {  # prints node I's last log lines
  local i=$1
  echo "node: node $i did not come up (waited at most $(start_timeout)s); last log lines:" >&2
  tail -n 60 "$(log_file "$i")" >&2 2>/dev/null || tail -n 60 "$(node_dir "$i")/logs/launch.log" >&2
}

start() {
  [ -n "$dist" ] && [ -d "$dist" ] || die "--distribution must be an unpacked OpenSearch (got '${dist}')"
  [ ${#plugins[@]} -gt 0 ] || die "--plugin is required (the face-search zip, and optionally other plugin zips)"
  local z want_nodes=${nodes:-1}
  for z in "${plugins[@]}"; do [ -f "$z" ] || die "--plugin $z: no such file"; done
  [[ "$want_nodes" =~ ^[1-9][0-9]*$ ]] || die "--nodes must be a positive number, got '$want_nodes'"
  [ "$want_nodes" -le 9 ] || die "--nodes: at most 9 local nodes, got $want_nodes"
  [ "$want_nodes" -gt 1 ] || [ ${#role_args[@]} -eq 0 ] || die "--roles needs --nodes N with N > 1 (one node has every role)"
  [ -z "$heap" ] || [[ "$heap" =~ ^[0-9]+[mgMG]$ ]] || die "--heap must be a size such as 512m or 2g, got '$heap'"

  load_conf
  local i any=""
  for i in $(seq 1 "$NODES"); do
    if [ -n "$(running_pid "$i")" ]; then any=$i; fi
  done
  if [ -n "$any" ]; then
    # Without --nodes, whatever runs is what was asked for (./face-search demo on a running cluster).
    [ -n "$nodes" ] || want_nodes=$NODES
    if [ "$NODES" != "$want_nodes" ]; then
      die "$home already runs $NODES node(s); stop them before starting $want_nodes"
    fi
    if [ "$NODES" = 1 ]; then
      echo "node: already running (pid $(running_pid 1)) on http://127.0.0.1:$(cat "$(port_file 1)")"
      return 0
    fi
    local missing=0
    for i in $(seq 1 "$NODES"); do [ -n "$(running_pid "$i")" ] || missing=1; done
    if [ "$missing" = 0 ]; then
      echo "node: cluster $CLUSTER_NAME already running ($NODES nodes, node 1 on http://127.0.0.1:$(cat "$(port_file 1)"))"
      return 0
    fi
    die "some nodes of $home run and some do not: start the missing ones with start-node --node I, or stop all first"
  fi

  local jdk
  jdk=$(find_jdk)
  command -v curl >/dev/null || die "curl is needed to talk to the nodes (apt-get install curl)"
  ensure_user
  relocate_if_unreachable
  dist=$(cd "$dist" && pwd)
  for i in "${!plugins[@]}"; do plugins[$i]=$(cd "$(dirname "${plugins[$i]}")" && pwd)/$(basename "${plugins[$i]}"); done
  install_server "$jdk"

  NODES=$want_nodes
  HEAP=${heap:-${FACE_NODE_HEAP:-}}
  if [ -z "$HEAP" ]; then if [ "$NODES" = 1 ]; then HEAP=2g; else HEAP=1g; fi; fi
  CLUSTER_NAME=face-search-$(printf '%s' "$home" | sha256sum | cut -c1-12)
  if [ "$NODES" = 1 ]; then
    if [ "$port" = auto ]; then
      HTTP_1=19200-19299
    else
      [[ "$port" =~ ^[0-9]+$ ]] || die "--port must be a number or auto, got '$port'"
      port_in_use "$port" && die "port $port on 127.0.0.1 is taken by another program (use --port N)"
      HTTP_1=$port
    fi
    ROLES_1=''
    TRANSPORT_1=19300-19399
    rm -f "$conf_file"
  else
    parse_roles
    local https transports
    if [ "$port" = auto ]; then
      read -r -a https <<< "$(free_ports 19600 19799 "$NODES")"
    else
      [[ "$port" =~ ^[0-9]+$ ]] || die "--port must be a number or auto, got '$port'"
      https=()
      for i in $(seq 1 "$NODES"); do
        port_in_use $((port + i - 1)) && die "port $((port + i - 1)) on 127.0.0.1 (node $i's HTTP port: --port N gives node I the port N+I-1) is taken"
        https+=($((port + i - 1)))
      done
    fi
    read -r -a transports <<< "$(free_ports 19400 19599 "$NODES" "${https[@]}")"
    for i in $(seq 1 "$NODES"); do
      eval "HTTP_$i=${https[$((i - 1))]}"
      eval "TRANSPORT_$i=${transports[$((i - 1))]}"
    done
    write_conf
  fi

  if [ "$fresh" = 1 ]; then
    rm -rf "$run/repo"
    for i in $(seq 1 "$NODES"); do rm -rf "$(node_dir "$i")/data"; done
  fi
  # A cluster's node folders are rewritten from the server copy's config at each start.
  [ "$NODES" = 1 ] || for i in $(seq 1 "$NODES"); do rm -rf "$(node_dir "$i")/config"; done
  for i in $(seq 1 "$NODES"); do write_config "$i"; done
  for i in $(seq 1 "$NODES"); do launch "$i" "$jdk"; done
  launch_wait

  local deadline=$((SECONDS + $(start_timeout)))
  for i in $(seq 1 "$NODES"); do
    if ! wait_http "$i" "$deadline"; then
      start_failed "$i"
      stop_all
      exit 1
    fi
  done
  if ! wait_cluster 1 "$deadline"; then
    echo "node: the cluster did not form with $NODES nodes within $(start_timeout)s" >&2
    start_failed 1
    stop_all
    exit 1
  fi
  if [ "$NODES" = 1 ]; then
    echo "node: up on http://127.0.0.1:$(cat "$(port_file 1)") (pid $(cat "$(pid_file 1)")), files in $run"
  else
    echo "node: cluster $CLUSTER_NAME up, $NODES nodes, files in $run:"
    for i in $(seq 1 "$NODES"); do
      echo "  node-$i: http://127.0.0.1:$(cat "$(port_file "$i")") (pid $(cat "$(pid_file "$i")")), roles [$(roles_of "$i" | sed 's/^$/all/')]"
    done
  fi
}

stop_pids() {  # TERM, then KILL after 60 s
  local pid i
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for i in $(seq 1 60); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 1 ] || return 0
    sleep 1
  done
  for pid in "$@"; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "node: pid $pid did not stop in 60s; killing it" >&2
      kill -KILL "$pid"
    fi
  done
}

stop_all() {
  local i pid pids=() names=()
  for i in $(seq 1 "$NODES"); do
    pid=$(running_pid "$i")
    if [ -n "$pid" ]; then pids+=("$pid"); names+=("$i:$pid"); fi
  done
  if [ ${#pids[@]} -eq 0 ]; then
    echo "node: not running"
  else
    stop_pids "${pids[@]}"
    if [ "$NODES" = 1 ]; then
      echo "node: stopped (pid ${pids[0]}); logs kept in $(node_dir 1)/logs"
    else
      echo "node: stopped $CLUSTER_NAME (node:pid ${names[*]}); logs kept in $run/node-*/logs"
    fi
  fi
  for i in $(seq 1 "$NODES"); do rm -f "$(pid_file "$i")"; done
}

status() {
  local i pid p up=0 answering=""
  for i in $(seq 1 "$NODES"); do
    pid=$(running_pid "$i")
    p=$(cat "$(port_file "$i")" 2>/dev/null || echo "?")
    if [ "$NODES" = 1 ]; then
      if [ -z "$pid" ]; then echo "node: not running (home $home)"; return 3; fi
      echo "node: running (pid $pid) on http://127.0.0.1:$p, files in $run"
      http_get "$p" "/_cat/plugins?v" || echo "node: HTTP not answering yet"
      return 0
    fi
    if [ -n "$pid" ]; then
      up=$((up + 1))
      [ -n "$answering" ] || answering=$p
      echo "node-$i: running (pid $pid) on http://127.0.0.1:$p, roles [$(roles_of "$i" | sed 's/^$/all/')]"
    else
      echo "node-$i: not running, roles [$(roles_of "$i" | sed 's/^$/all/')]"
    fi
  done
  echo "cluster $CLUSTER_NAME: $up of $NODES nodes running, files in $run"
  if [ -n "$answering" ]; then
    http_get "$answering" "/_cat/nodes?v&h=name,node.role,heap.max,ram.percent" || echo "node: HTTP not answering yet"
  fi
  if [ "$up" = 0 ]; then return 3; elif [ "$up" -lt "$NODES" ]; then return 4; fi
}

check_node() {
  [[ "$which" =~ ^[1-9][0-9]*$ ]] || die "--node must be a node number from 1 to $NODES, got '${which}'"
  [ "$which" -le "$NODES" ] || die "--node $which: $home has $NODES node(s)"
}

kill_node() {
  check_node
  local pid
  pid=$(running_pid "$which")
  [ -n "$pid" ] || die "node $which of $home is not running"
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  echo "node: killed node $which (pid $pid, kill -9)"
}

stop_node() {
  check_node
  local pid
  pid=$(running_pid "$which")
  if [ -z "$pid" ]; then echo "node: node $which is not running"; rm -f "$(pid_file "$which")"; return 0; fi
  stop_pids "$pid"
  rm -f "$(pid_file "$which")"
  echo "node: stopped node $which (pid $pid)"
}

start_node() {
  check_node
  [ -d "$run/opensearch" ] || die "$home has no server copy: use start first"
  if [ -n "$(running_pid "$which")" ]; then echo "node: node $which already running (pid $(running_pid "$which"))"; return 0; fi
  local jdk p deadline
  jdk=$(find_jdk)
  if [ "$NODES" -gt 1 ]; then
    p=$(transport_of "$which")
    port_in_use "$p" && die "node $which's transport port $p is taken by another program"
    p=$(http_of "$which")
    port_in_use "$p" && die "node $which's HTTP port $p is taken by another program"
  fi
  launch "$which" "$jdk"
  launch_wait
  deadline=$((SECONDS + $(start_timeout)))
  if ! wait_http "$which" "$deadline" || ! wait_cluster "$which" "$deadline"; then
    start_failed "$which"
    exit 1
  fi
  echo "node: node $which up on http://127.0.0.1:$(cat "$(port_file "$which")") (pid $(cat "$(pid_file "$which")")) and in the cluster"
}

case "$cmd" in
  start) start ;;
  stop) load_conf; stop_all ;;
  status) load_conf; status ;;
  kill) load_conf; kill_node ;;
  stop-node) load_conf; stop_node ;;
  start-node) load_conf; start_node ;;
  restart-node) load_conf; stop_node; start_node ;;
  *) die "usage: node.sh start|stop|status|kill|stop-node|start-node|restart-node --home DIR [...]" ;;
esac
