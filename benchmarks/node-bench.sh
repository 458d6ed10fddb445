#!/usr/bin/env bash
# End-to-end measurements on a real OpenSearch node. Starts a fresh local single-node OpenSearch
# (scripts/node.sh, loopback only) with the face-search plugin and the k-NN plugin (the peer for
# stage 1), runs one benchmark command against it, and stops the node afterwards, also when the
# command fails or is interrupted.
#
#   benchmarks/node-bench.sh ingest [ARGS...]   disk bytes per face, ingest throughput vs the raw encoder (IngestBench)
#   benchmarks/node-bench.sh disk [ARGS...]     disk bytes per face for each patch encoding, default mapping (DiskBench)
#   benchmarks/node-bench.sh stage1 [ARGS...]   face field vs k-NN knn_vector (Lucene): recall@10 and queries/s (Stage1Bench)
#   benchmarks/node-bench.sh e2e [ARGS...]      query latency with a photo: encode + stage 1 + stage 2 (EndToEndBench)
#   benchmarks/node-bench.sh identification [ARGS...]  crop and mask identification through REST vs in-process (RestIdentification)
#   benchmarks/node-bench.sh load [ARGS...]     unrelated indexing p99 under photo bulk load, heap peak under an _encode burst (IngestLoadBench; no k-NN plugin)
#   benchmarks/node-bench.sh radial [ARGS...]   stage 1 by threshold (min_similarity) vs top k: latency, recall (RadialBench; no k-NN plugin)
#   benchmarks/node-bench.sh growth [ARGS...]   stage 1 and 2 latency, disk and heap per face from 10k to 1M faces, against k-NN (GrowthBench)
#   benchmarks/node-bench.sh all                the three in turn, on one node
#
# Options of each command are in its class's javadoc (org.facesearch.bench.node). The node's home
# is benchmarks/target/bench-node (FACE_BENCH_HOME), its heap FACE_NODE_HEAP (default 2g). The node
# runs OpenSearch 3.6.0 (FACE_BENCH_OPENSEARCH): the newest release the k-NN plugin zip is served
# for. Builds what is missing first (the plugin zip for that release with -Dopensearch.version, the
# unpacked distribution, the k-NN zip, the benchmarks).
# Figures go to stdout; docs/performance.md shows them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
source "$top/scripts/jdk.sh"
JAVA_HOME=$(find_jdk)
export JAVA_HOME

die() { echo "node-bench: $*" >&2; exit 1; }

cmd=${1:-}
shift || true
knn_needed=1
case "$cmd" in
  ingest) classes=(IngestBench) ;;
  disk) classes=(DiskBench) ;;
  stage1) classes=(Stage1Bench) ;;
  e2e) classes=(EndToEndBench) ;;
  identification) classes=(RestIdentification) ;;
  load) classes=(IngestLoadBench); knn_needed=0 ;;
  radial) classes=(RadialBench); knn_needed=0 ;;
  growth) classes=(GrowthBench) ;;
  all) classes=(IngestBench Stage1Bench EndToEndBench); [ $# -eq 0 ] || die "'all' takes no options (run the commands one by one to pass options)" ;;
  *) die "usage: node-bench.sh ingest|disk|stage1|e2e|identification|load|radial|growth|all [ARGS...]" ;;
esac

os_version=${FACE_BENCH_OPENSEARCH:-3.6.0}
dist=$top/integTest/target/opensearch-$os_version
knn=$here/target/opensearch-knn-$os_version.0.zip
home=${FACE_BENCH_HOME:-$here/target/bench-node}

zip=$(ls "$top"/plugin/target/face-search-*-opensearch-"$os_version".zip 2>/dev/null | head -n1 || true)
if [ -z "$zip" ] || [ ! -d "$dist" ]; then
  echo "node-bench: building the plugin zip for and unpacking OpenSearch $os_version (mvn package -DskipTests -Dopensearch.version=$os_version)"
  (cd "$top" && mvn -B -q package -DskipTests -Dopensearch.version="$os_version")
  zip=$(ls "$top"/plugin/target/face-search-*-opensearch-"$os_version".zip | head -n1)
fi
if [ "$knn_needed" = 1 ] && [ ! -f "$knn" ]; then
  echo "node-bench: fetching the k-NN plugin $os_version.0 (Maven)"
  (cd "$top" && mvn -B -q dependency:copy -Dartifact="org.opensearch.plugin:opensearch-knn:$os_version.0:zip" -DoutputDirectory="$here/target")
fi
if [ ! -f "$here/target/classes/org/facesearch/bench/node/Stage1Bench.class" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  echo "node-bench: building the benchmarks"
  (cd "$top" && mvn -B -q package -DskipTests -pl benchmarks -am -Dopensearch.version="$os_version")
fi

stop_node() {
  bash "$top/scripts/node.sh" stop --home "$home" \
    || echo "node-bench: stopping the node failed; stop it with: bash scripts/node.sh stop --home $home" >&2
}
trap stop_node EXIT
trap 'exit 130' INT TERM

machine() {
  echo "node-bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average$(uptime | sed 's/.*load average//')"
  echo "node-bench: busiest processes (%CPU since start, program, main class or first argument):"
  ps -eo pcpu=,pid=,args= --sort=-pcpu | head -n 8 | while read -r cpu pid args; do
    main=$(echo "$args" | grep -o 'org\.facesearch\.[A-Za-z.]*\|org\.opensearch\.bootstrap\.OpenSearch\|org\.codehaus\.plexus[A-Za-z.]*' | tail -n1 || true)
    echo "  $cpu% pid $pid $(basename "${args%% *}") ${main:-$(echo "$args" | cut -d' ' -f2- | cut -c1-60)}"
  done
}

plugins=(--plugin "$zip")
if [ "$knn_needed" = 1 ]; then
  plugins+=(--plugin "$knn")
fi
bash "$top/scripts/node.sh" start --home "$home" --distribution "$dist" "${plugins[@]}" --port auto --fresh
for c in "${classes[@]}"; do
  machine
  "$here/run" "org.facesearch.bench.node.$c" --home "$home" "$@"
done
machine
