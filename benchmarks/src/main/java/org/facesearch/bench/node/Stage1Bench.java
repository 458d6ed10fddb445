package org.facesearch.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;
import org.facesearch.evaluation.Args;

/**
 * Issue 5, stage 1 against the k-NN plugin on the same node: the same seeded random unit vectors in
 * a {@code face} field (float32 and int8 graphs) and in a {@code knn_vector} field (Lucene engine,
 * inner product, which on unit vectors is the cosine), same HNSW m and ef_construction, one shard
 * each, bulk-loaded with refresh off and force-merged to one segment. Recall@k against exact search
 * computed here by brute force, and queries per second with the same number of concurrent clients,
 * over a sweep of candidate counts (face {@code num_candidates} = k-NN {@code
 * method_parameters.ef_search}).
 *
 * <p>Fairness: query bodies are built before timing; the indices are searched in turn within each
 * round, in an order that rotates from round to round, and each figure is the median over rounds.
 * Ratios are paired: each round's face q/s over the k-NN q/s of the same round (measured minutes
 * apart at most), then the median over rounds, so a slow drift of the machine's load cancels. When
 * the node was started here ({@code --home}), the node's own CPU time per query is reported too:
 * wall-clock throughput on a shared 2-core machine moves with everything else running (the clients
 * included), the CPU a query costs the node much less. k-NN 3.x keeps {@code knn_vector} values out
 * of the stored {@code _source} (derived source), so by default the face indices exclude the vector
 * from {@code _source} too ({@code --face-source keep} stores it), and every index is merged only
 * after its retention leases let go of the indexed operations (so no {@code _recovery_source} stays
 * behind): the fetch phase then reads stored documents of the same size on both sides.
 *
 * <pre>
 * benchmarks/node-bench.sh stage1 [--vectors 100000] [--queries 500] [--candidates 10,20,50,100,200,400,800,1600] [--clients 2] [--rounds 3]
 *                                  [--face-source exclude|keep]</pre>
 */
public final class Stage1Bench {
  private Stage1Bench() {}

  public static void main(String[] argv) throws Exception {
    Args args =
        new Args(
            argv,
            Set.of(
                "home",
                "port",
                "vectors",
                "dims",
                "queries",
                "seed",
                "candidates",
                "clients",
                "rounds",
                "batch",
                "k",
                "m",
                "ef-construction",
                "face-source"));
    int n = args.positive("vectors", 100_000);
    int dims = args.positive("dims", 512);
    int queryCount = args.positive("queries", 500);
    int seed = args.integer("seed", 42);
    List<Integer> candidates = args.integers("candidates", "10,20,50,100,200,400,800,1600");
    int clients = args.positive("clients", 2);
    int rounds = args.positive("rounds", 3);
    int batch = args.positive("batch", 1000);
    int k = args.positive("k", 10);
    int m = args.positive("m", 16);
    int efConstruction = args.positive("ef-construction", 100);
    String faceSource = args.string("face-source", "exclude");
    if (!faceSource.equals("exclude") && !faceSource.equals("keep")) {
      throw new IllegalArgumentException(
          "--face-source must be [exclude] or [keep], got [" + faceSource + "]");
    }
    boolean exclude = faceSource.equals("exclude");
    String sourceLabel = exclude ? ", `_source` without the vector" : ", vector kept in `_source`";

    List<VectorIndex> indices =
        List.of(
            new VectorIndex(
                "bench-s1-face",
                "face, float32" + sourceLabel,
                VectorIndex.Kind.FACE,
                "float32",
                exclude),
            new VectorIndex(
                "bench-s1-knn",
                "knn_vector, lucene, innerproduct (derived source: vector not stored in `_source`)",
                VectorIndex.Kind.KNN,
                "innerproduct",
                false),
            new VectorIndex(
                "bench-s1-face-i8",
                "face, int8" + sourceLabel,
                VectorIndex.Kind.FACE,
                "int8",
                exclude));
    Long pid = NodeConnection.pid(args);
    try (NodeClient node = NodeConnection.connect(args)) {
      float[][] vectors = RandomUnitVectors.generate(n, dims, seed);
      float[][] queries = RandomUnitVectors.generate(queryCount, dims, seed + 1L);
      Log.line(
          "%d random unit vectors of %d dims (seed %d), %d random unit queries (seed %d)",
          n, dims, seed, queryCount, seed + 1L);
      long t0 = System.nanoTime();
      int[][] truth = ExactNeighbours.topK(vectors, queries, k);
      Log.line("exact top %d by brute force: %.1f s", k, (System.nanoTime() - t0) / 1e9);

      Map<String, double[]> build = new LinkedHashMap<>();
      for (VectorIndex index : indices) {
        NodeConnection.deleteIndex(node, index.name());
        node.request("PUT", "/" + index.name(), index.createBody(dims, m, efConstruction));
        double loadSeconds = VectorLoader.load(node, index.name(), vectors, batch, clients);
        Log.line("%s: %d vectors indexed in %.1f s", index.name(), n, loadSeconds);
        IndexStore.Stats stats = IndexStore.forceMerge(node, index.name(), 120);
        double mergeSeconds = stats.mergeSeconds();
        if (stats.docs() != n) {
          throw new IllegalStateException(
              index.name() + " holds " + stats.docs() + " documents, expected " + n);
        }
        Log.line(
            "%s: force-merged to 1 segment in %.1f s, %.1f MiB",
            index.name(), mergeSeconds, stats.storeBytes() / 1048576.0);
        build.put(index.name(), new double[] {loadSeconds, mergeSeconds, stats.storeBytes()});
      }
      vectors = null; // only the queries and the truth are needed from here on

      int maxCandidates = candidates.stream().mapToInt(Integer::intValue).max().orElseThrow();
      for (VectorIndex index : indices) {
        run(node, index, queries, k, maxCandidates, clients); // warm-up: JIT, page cache
      }
      Log.line("warmed up: every query once on each index at %d candidates", maxCandidates);

      Map<String, double[]> recall = new LinkedHashMap<>();
      Map<String, double[][]> qps = new LinkedHashMap<>();
      Map<String, double[][]> p50 = new LinkedHashMap<>();
      Map<String, double[][]> cpu = new LinkedHashMap<>();
      for (VectorIndex index : indices) {
        recall.put(index.name(), new double[candidates.size()]);
        qps.put(index.name(), new double[candidates.size()][rounds]);
        p50.put(index.name(), new double[candidates.size()][rounds]);
        cpu.put(index.name(), new double[candidates.size()][rounds]);
      }
      for (int c = 0; c < candidates.size(); c++) {
        int cand = candidates.get(c);
        for (int r = 0; r < rounds; r++) {
          for (int i = 0; i < indices.size(); i++) {
            VectorIndex index = indices.get((i + r) % indices.size());
            long cpu0 = CpuClock.of(pid);
            Load.Result result = run(node, index, queries, k, cand, clients);
            cpu.get(index.name())[c][r] = (CpuClock.of(pid) - cpu0) / 1e6 / queries.length;
            qps.get(index.name())[c][r] = result.perSecond();
            p50.get(index.name())[c][r] = new Percentiles(result.latencyNanos()).ms(50);
            if (r == 0) {
              recall.get(index.name())[c] = ExactNeighbours.recall(truth, ids(result, k));
            }
          }
        }
        Log.line("candidates %d: %s", cand, summary(indices, recall, qps, c));
      }
      for (VectorIndex index : indices) {
        node.request("DELETE", "/" + index.name());
      }
      report(
          n,
          dims,
          queryCount,
          k,
          m,
          efConstruction,
          clients,
          rounds,
          indices,
          build,
          candidates,
          recall,
          qps,
          p50,
          pid == null ? null : cpu);
    }
  }

  private static Load.Result run(
      NodeClient node, VectorIndex index, float[][] queries, int k, int candidates, int clients)
      throws Exception {
    List<byte[]> bodies = new ArrayList<>(queries.length);
    for (float[] q : queries) {
      bodies.add(index.query(q, k, candidates));
    }
    return Load.run(
        node,
        "POST",
        "/" + index.name() + "/_search",
        bodies,
        org.apache.hc.core5.http.ContentType.APPLICATION_JSON,
        clients);
  }

  private static int[][] ids(Load.Result result, int k) {
    int[][] out = new int[result.answers().length][];
    for (int q = 0; q < out.length; q++) {
      JsonNode hits = Json.at(Json.parse(result.answers()[q]), "/hits/hits");
      if (hits.size() != k) {
        throw new IllegalStateException(
            "query " + q + " returned " + hits.size() + " hits, expected " + k);
      }
      out[q] = new int[hits.size()];
      for (int i = 0; i < hits.size(); i++) {
        out[q][i] = Integer.parseInt(hits.get(i).path("_id").asText());
      }
    }
    return out;
  }

  private static double median(double[] values) {
    return new Percentiles(values).median();
  }

  /** The median over rounds of {@code a[r] / b[r]}. */
  private static double pairedRatio(double[] a, double[] b) {
    double[] ratios = new double[a.length];
    for (int r = 0; r < a.length; r++) {
      ratios[r] = a[r] / b[r];
    }
    return median(ratios);
  }

  private static String summary(
      List<VectorIndex> indices, Map<String, double[]> recall, Map<String, double[][]> qps, int c) {
    StringBuilder s = new StringBuilder();
    for (VectorIndex index : indices) {
      s.append(
          String.format(
              Locale.ROOT,
              "%s recall %.3f, %.0f q/s; ",
              index.name(),
              recall.get(index.name())[c],
              median(qps.get(index.name())[c])));
    }
    return s.toString();
  }

  private static void report(
      int n,
      int dims,
      int queryCount,
      int k,
      int m,
      int efConstruction,
      int clients,
      int rounds,
      List<VectorIndex> indices,
      Map<String, double[]> build,
      List<Integer> candidates,
      Map<String, double[]> recall,
      Map<String, double[][]> qps,
      Map<String, double[][]> p50,
      Map<String, double[][]> cpu) {
    System.out.printf(
        Locale.ROOT,
        "%n== build: %d vectors x %d dims, HNSW m %d, ef_construction %d, 1 shard%n",
        n,
        dims,
        m,
        efConstruction);
    System.out.println(
        "| index | mapping | bulk load (s) | force-merge to 1 segment (s) | store (MiB) |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (VectorIndex index : indices) {
      double[] b = build.get(index.name());
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.1f | %.1f | %.1f |%n",
          index.name(),
          index.label(),
          b[0],
          b[1],
          b[2] / 1048576.0);
    }
    VectorIndex face = indices.get(0);
    VectorIndex knn = indices.get(1);
    VectorIndex faceInt8 = indices.get(2);
    System.out.printf(
        Locale.ROOT,
        "%n== recall@%d against exact search and queries/s (%d queries, %d clients, median of %d rounds; ratios: median of each round's ratio)%n",
        k,
        queryCount,
        clients,
        rounds);
    System.out.println(
        "| candidates | face recall | face q/s | knn recall | knn q/s | face / knn q/s | face int8 recall | face int8 q/s | int8 / knn q/s | p50 ms face, knn, int8 |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (int c = 0; c < candidates.size(); c++) {
      double[] qf = qps.get(face.name())[c];
      double[] qk = qps.get(knn.name())[c];
      double[] qi = qps.get(faceInt8.name())[c];
      System.out.printf(
          Locale.ROOT,
          "| %d | %.3f | %.0f | %.3f | %.0f | %.2f | %.3f | %.0f | %.2f | %.1f, %.1f, %.1f |%n",
          candidates.get(c),
          recall.get(face.name())[c],
          median(qf),
          recall.get(knn.name())[c],
          median(qk),
          pairedRatio(qf, qk),
          recall.get(faceInt8.name())[c],
          median(qi),
          pairedRatio(qi, qk),
          median(p50.get(face.name())[c]),
          median(p50.get(knn.name())[c]),
          median(p50.get(faceInt8.name())[c]));
    }
    if (cpu == null) {
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "%n== the node's CPU per query (ms, all threads; median of %d rounds), and queries per CPU second against k-NN's%n",
        rounds);
    System.out.println(
        "| candidates | face | knn | face int8 | face / knn queries per CPU s | int8 / knn queries per CPU s |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (int c = 0; c < candidates.size(); c++) {
      double[] cf = cpu.get(face.name())[c];
      double[] ck = cpu.get(knn.name())[c];
      double[] ci = cpu.get(faceInt8.name())[c];
      System.out.printf(
          Locale.ROOT,
          "| %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
          candidates.get(c),
          median(cf),
          median(ck),
          median(ci),
          pairedRatio(ck, cf),
          pairedRatio(ck, ci));
    }
  }
}
