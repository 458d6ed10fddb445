package org.facesearch.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.facesearch.cli.NodeClient;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Lfw;

/**
 * Each node's memory in the recommended topology (node 1: {@code ingest, cluster_manager}, the
 * inference node; nodes 2 and 3: {@code data, cluster_manager}), with and without the encoder's
 * models: at start, after photos were indexed through node 2 (encoded on node 1) and searched with
 * both stages through node 1, and after node 2 coordinated one photo search, which makes it open
 * its models. Heap after a full GC, resident memory and threads per node ({@link NodeMemory}), and
 * whether its models are open ({@code GET _plugins/face/stats}).
 *
 * <pre>benchmarks/cluster-bench.sh memory [--photos 500] [--queries 50]</pre>
 */
public final class ClusterMemory {
  private ClusterMemory() {}

  private static final String INDEX = "bench-cluster-memory";

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("home", "photos", "queries"));
    Path home = Path.of(args.string("home", "benchmarks/target/bench-cluster"));
    int photoCount = args.positive("photos", 500);
    int queryCount = args.positive("queries", 50);
    NodeClient[] nodes = new NodeClient[3];
    long[] pids = new long[3];
    for (int i = 0; i < 3; i++) {
      Path nodeHome = home.resolve("node-" + (i + 1));
      nodes[i] = NodeClient.ofHome(nodeHome, NodeConnection.RESPONSE_TIMEOUT);
      Path run =
          Files.isSymbolicLink(home.resolve("runtime"))
              ? home.resolve("runtime").toRealPath().resolve("node-" + (i + 1))
              : nodeHome;
      pids[i] =
          Long.parseLong(
              Files.readString(run.resolve("node.pid"), StandardCharsets.US_ASCII).trim());
    }
    Map<String, NodeMemory.Sample[]> table = new LinkedHashMap<>();
    Map<String, boolean[]> open = new LinkedHashMap<>();
    measure("at start", nodes, pids, table, open);

    Lfw lfw = Lfw.open();
    List<Photos.Photo> gallery = Photos.pick(lfw, p -> lfw.imagesOf(p) >= 2, 0, photoCount);
    List<Photos.Photo> probes = Photos.pick(lfw, p -> lfw.imagesOf(p) >= 2, 1, queryCount);
    Gallery.createPipeline(nodes[1]);
    NodeConnection.deleteIndex(nodes[1], INDEX);
    nodes[1].request(
        "PUT",
        "/" + INDEX,
        "{\"settings\": {\"number_of_shards\": 3, \"number_of_replicas\": 1},"
            + " \"mappings\": {\"_source\": {\"excludes\": [\"face.patches\"]}, \"properties\": {\"face\": {\"type\": \"face\"}}}}");
    nodes[1].request("GET", "/_cluster/health/" + INDEX + "?wait_for_status=green&timeout=120s");
    Gallery.Loaded loaded = Gallery.load(nodes[1], INDEX, Gallery.bulkBodies(gallery, 50, 0), 2);
    loaded.answers().check(INDEX, 0);
    nodes[1].request("POST", "/" + INDEX + "/_refresh");
    Log.line("%d photos indexed through node-2 in %.1f s", gallery.size(), loaded.seconds());
    for (Photos.Photo p : probes) {
      nodes[0].request("POST", "/" + INDEX + "/_search", search(p));
    }
    Log.line("%d photo searches (both stages) through node-1", probes.size());
    measure("after indexing through node-2 and searching through node-1", nodes, pids, table, open);

    nodes[1].request("POST", "/" + INDEX + "/_search", search(probes.get(0)));
    measure("after node-2 coordinated one photo search", nodes, pids, table, open);
    nodes[1].request("DELETE", "/" + INDEX);

    System.out.printf(
        Locale.ROOT,
        "%n== memory per node (heap after a full GC, resident set, threads; models: open or not)%n");
    System.out.println(
        "| moment | node-1 (ingest, cluster_manager) | node-2 (data, cluster_manager) | node-3 (data, cluster_manager) |");
    System.out.println("| --- | --- | --- | --- |");
    for (Map.Entry<String, NodeMemory.Sample[]> row : table.entrySet()) {
      StringBuilder line = new StringBuilder("| " + row.getKey() + " |");
      for (int i = 0; i < 3; i++) {
        NodeMemory.Sample s = row.getValue()[i];
        line.append(
            String.format(
                Locale.ROOT,
                " heap %.1f MiB, RSS %.0f MiB, %d threads, models %s |",
                s.heapAfterGc() / 1048576.0,
                s.resident() / 1048576.0,
                s.threads(),
                open.get(row.getKey())[i] ? "open" : "not open"));
      }
      System.out.println(line);
    }
    for (NodeClient n : nodes) {
      n.close();
    }
  }

  private static String search(Photos.Photo p) {
    return "{\"size\": 10, \"_source\": false, \"query\": {\"face\": {\"field\": \"face\", \"image\": \""
        + Base64.getEncoder().encodeToString(p.bytes())
        + "\", \"on_unrecognizable_query\": \"ignore\"}}, \"rescore\": {\"window_size\": 100, \"face_emd\": {\"field\": \"face\"}}}";
  }

  private static void measure(
      String moment,
      NodeClient[] nodes,
      long[] pids,
      Map<String, NodeMemory.Sample[]> table,
      Map<String, boolean[]> open)
      throws Exception {
    NodeMemory.Sample[] samples = new NodeMemory.Sample[3];
    boolean[] opened = new boolean[3];
    JsonNode stats = nodes[0].request("GET", "/_plugins/face/stats").path("nodes");
    for (int i = 0; i < 3; i++) {
      samples[i] = NodeMemory.of(nodes[i], pids[i]);
      for (JsonNode n : stats) {
        if (n.path("name").asText().equals("node-" + (i + 1))) {
          opened[i] = n.path("models").path("default").path("open").asBoolean();
        }
      }
      Log.line(
          "%s, node-%d: heap %.1f MiB after GC, RSS %.0f MiB, %d threads, models %s",
          moment,
          i + 1,
          samples[i].heapAfterGc() / 1048576.0,
          samples[i].resident() / 1048576.0,
          samples[i].threads(),
          opened[i] ? "open" : "not open");
    }
    table.put(moment, samples);
    open.put(moment, opened);
  }
}
