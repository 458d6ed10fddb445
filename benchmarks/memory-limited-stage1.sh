#!/usr/bin/env bash
# Stage 1 (Stage1Bench) on a node that has less memory than its float vectors: the node runs in a
# memory cgroup of its own, and once the three indices are built and merged its limit is set to
# the node's resident memory plus a page-cache budget (default 160 MiB). 100,000 float vectors
# (200 MB) then no longer fit in the page cache, while an int8 graph's quantized vectors (50 MB) and
# graph do: the regime int8 is for. Needs root and a cgroup v1 memory hierarchy or cgroup v2.
#
#   sudo benchmarks/memory-limited-stage1.sh [--page-cache-mb 160] [Stage1Bench options...]
#
# Run benchmarks/node-bench.sh once before (it builds the plugin zip, unpacks OpenSearch and fetches
# the k-NN zip). Figures go to stdout, the cgroup's usage and major page faults every 20 s with them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
die() { echo "memory-limited-stage1: $*" >&2; exit 1; }

budget_mb=160
if [ "${1:-}" = --page-cache-mb ]; then budget_mb=${2:?--page-cache-mb needs a number}; shift 2; fi
[ "$(id -u)" = 0 ] || die "needs root (it creates a memory cgroup)"
os_version=${FACE_BENCH_OPENSEARCH:-3.6.0}  # the k-NN plugin zip is served for 3.6.0 (see node-bench.sh)
dist=$top/integTest/target/opensearch-$os_version
knn=$here/target/opensearch-knn-$os_version.0.zip
zip=$(ls "$top"/plugin/target/face-search-*-opensearch-"$os_version".zip 2>/dev/null | head -n1 || true)
[ -d "$dist" ] && [ -f "$knn" ] && [ -n "$zip" ] || die "run benchmarks/node-bench.sh stage1 once first (plugin zip, OpenSearch, k-NN zip)"

if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  cg=/sys/fs/cgroup/face-bench; limit_file=memory.max; anon_key=anon; cache_key=file; faults_key=pgmajfault
else
  cg=/sys/fs/cgroup/memory/face-bench; limit_file=memory.limit_in_bytes; anon_key=total_rss; cache_key=total_cache; faults_key=total_pgmajfault
fi
mkdir -p "$cg"
unlimited() { if [ "$limit_file" = memory.max ]; then echo max; else echo 9223372036854771712; fi; }
stat_of() { awk -v k="$1" '$1==k{print $2}' "$cg/memory.stat"; }

home=${FACE_BENCH_HOME:-$here/target/bench-node-limited}
log=$(mktemp)
cleanup() {
  bash "$top/scripts/node.sh" stop --home "$home" || true
  unlimited > "$cg/$limit_file"
  kill "${watcher:-}" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
unlimited > "$cg/$limit_file"
# Only the node goes into the cgroup: this shell's subshell joins it and starts the node, whose
# processes inherit it.
( echo "$BASHPID" > "$cg/cgroup.procs"
  FACE_NODE_HEAP=${FACE_NODE_HEAP:-1g} bash "$top/scripts/node.sh" start --home "$home" --distribution "$dist" \
    --plugin "$zip" --plugin "$knn" --port auto --fresh )

( while ! grep -q "face-i8: force-merged" "$log"; do sleep 1; done
  anon=$(stat_of "$anon_key")
  echo $((anon + budget_mb * 1048576)) > "$cg/$limit_file"
  echo "[memory] node resident (anonymous) $((anon / 1048576)) MiB; limit set to that + ${budget_mb} MiB of page cache"
  while sleep 20; do
    echo "[memory] page cache $(( $(stat_of "$cache_key") / 1048576 )) MiB, resident $(( $(stat_of "$anon_key") / 1048576 )) MiB, major page faults so far $(stat_of "$faults_key")"
  done ) &
watcher=$!
"$here/run" org.facesearch.bench.node.Stage1Bench --home "$home" "$@" 2>&1 | tee "$log"
