#!/usr/bin/env bash
# Measurements on a local 3-node cluster in the recommended topology (docs/install.md): node 1 with
# the roles ingest and cluster_manager (the inference node), nodes 2 and 3 with data and
# cluster_manager. Starts a fresh cluster (scripts/node.sh, loopback only), runs one benchmark
# command against it and stops it afterwards, also when the command fails or is interrupted.
#
#   benchmarks/cluster-bench.sh memory [ARGS...]   each node's heap, resident memory and threads, with and without models (ClusterMemory)
#
# Options of each command are in its class's javadoc (org.facesearch.bench.node). The cluster's home
# is benchmarks/target/bench-cluster (FACE_BENCH_CLUSTER_HOME), its heap per node FACE_NODE_HEAP
# (default 1g). Builds what is missing first (the plugin zip, the unpacked distribution, the benchmarks).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
source "$top/scripts/jdk.sh"
JAVA_HOME=$(find_jdk)
export JAVA_HOME

die() { echo "cluster-bench: $*" >&2; exit 1; }

cmd=${1:-}
shift || true
case "$cmd" in
  memory) class=ClusterMemory ;;
  *) die "usage: cluster-bench.sh memory [ARGS...]" ;;
esac

os_version=$(sed -n 's:.*<opensearch.version>\(.*\)</opensearch.version>.*:\1:p' "$top/pom.xml" | head -n1)
dist=$top/integTest/target/opensearch-$os_version
home=${FACE_BENCH_CLUSTER_HOME:-$here/target/bench-cluster}
zip=$(ls "$top"/plugin/target/face-search-*-opensearch-"$os_version".zip 2>/dev/null | head -n1 || true)
if [ -z "$zip" ] || [ ! -d "$dist" ] || [ ! -f "$here/target/classes/org/facesearch/bench/node/$class.class" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  echo "cluster-bench: building the plugin zip, the distribution and the benchmarks (mvn package -DskipTests)"
  (cd "$top" && mvn -B -q package -DskipTests -pl integTest,benchmarks -am)
  zip=$(ls "$top"/plugin/target/face-search-*-opensearch-"$os_version".zip | head -n1)
fi

stop_cluster() {
  bash "$top/scripts/node.sh" stop --home "$home" \
    || echo "cluster-bench: stopping the cluster failed; stop it with: bash scripts/node.sh stop --home $home" >&2
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

echo "cluster-bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average$(uptime | sed 's/.*load average//')"
bash "$top/scripts/node.sh" start --home "$home" --distribution "$dist" --plugin "$zip" --fresh --heap "${FACE_NODE_HEAP:-1g}" \
  --nodes 3 --roles ingest,cluster_manager --roles data,cluster_manager --roles data,cluster_manager
"$here/run" "org.facesearch.bench.node.$class" --home "$home" "$@"
echo "cluster-bench: $(date -u '+%Y-%m-%d %H:%M UTC'), load average$(uptime | sed 's/.*load average//')"
