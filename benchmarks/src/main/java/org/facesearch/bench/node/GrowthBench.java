package org.facesearch.bench.node;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.core5.http.ContentType;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.facesearch.model.ModelPack;
import org.facesearch.patches.PatchEncoding;

/**
 * How the costs grow with the gallery, on one node, one shard: for each size, a {@code face} field
 * and the k-NN plugin's {@code knn_vector} (Lucene engine, inner product) are loaded with the same
 * embeddings, force-merged to one segment, and measured: stage 1 latency and recall@k against exact
 * search for both, stage 2 latency ({@code face} query with the {@code face_emd} rescorer) where
 * the faces carry patch maps, disk bytes per face by Lucene file, and the node's heap per face
 * (after a full GC, the index open against the node without it).
 *
 * <p>Faces are synthetic ({@link SyntheticFaces}: made from real LFW faces, with real changes
 * between photos of one person), generated as they are sent; sizes in {@code --patch-sizes} carry
 * int8 patch maps (25 KB a face), the others only embeddings, so a million faces fit on a modest
 * disk. {@code --real N} adds a gallery of N real LFW faces (encoded here once and cached), so the
 * synthetic figures can be checked against real ones at the same size. Queries are new faces of
 * gallery identities (real: a held-out photo of a gallery person). Each size's results are appended
 * to {@code --out} (tab-separated) for {@link GrowthChart}.
 *
 * <pre>
 * benchmarks/node-bench.sh growth [--sizes 10000,100000,1000000] [--patch-sizes 10000,100000] [--real 10000]
 *                                  [--queries 200] [--k 10] [--candidates 100] [--window 100] [--rounds 3]
 *                                  [--out benchmarks/target/growth.tsv] [--keep]</pre>
 */
public final class GrowthBench {
  private GrowthBench() {}

  /** The columns of {@code --out}, one row per gallery. */
  static final String HEADER =
      String.join(
          "\t",
          "data",
          "faces",
          "patches",
          "face_s1_p50_ms",
          "face_s1_p99_ms",
          "knn_s1_p50_ms",
          "knn_s1_p99_ms",
          "face_s2_p50_ms",
          "face_s2_p99_ms",
          "face_recall",
          "knn_recall",
          "face_bytes_per_face",
          "knn_bytes_per_face",
          "vectors_bytes_per_face",
          "graph_bytes_per_face",
          "patches_bytes_per_face",
          "face_heap_bytes_per_face",
          "knn_heap_bytes_per_face",
          "face_load_s",
          "face_merge_s",
          "knn_load_s",
          "knn_merge_s");

  /** The gallery under test: its faces by position, and the queries. */
  private interface Source {
    String label();

    long size();

    float[] embedding(long i);

    /** Encoded int8 patch map of face {@code i}. */
    byte[] patches(long i);

    List<float[]> queryEmbeddings();

    List<byte[]> queryPatches();
  }

  public static void main(String[] argv) throws Exception {
    Args args =
        new Args(
            argv,
            Set.of(
                "home",
                "port",
                "sizes",
                "patch-sizes",
                "real",
                "seeds",
                "pairs",
                "faces-per-identity",
                "queries",
                "k",
                "candidates",
                "window",
                "rounds",
                "clients",
                "load-clients",
                "seed",
                "out"),
            Set.of("keep"));
    List<Integer> sizes = args.integers("sizes", "10000,100000,1000000");
    List<Integer> patchSizes = args.integers("patch-sizes", "10000,100000");
    int real = args.integer("real", 10000);
    int queryCount = args.positive("queries", 200);
    int k = args.positive("k", 10);
    int candidates = args.positive("candidates", 100);
    int window = args.positive("window", 100);
    int rounds = args.positive("rounds", 3);
    int clients = args.positive("clients", 1);
    int loadClients = args.positive("load-clients", 2);
    long seed = args.integer("seed", 7);
    Path out = args.path("out", "benchmarks/target/growth.tsv");
    boolean keep = args.flag("keep");
    Settings s = new Settings(k, candidates, window, rounds, clients, loadClients, keep);

    Lfw lfw = Lfw.open();
    ModelPack pack = Inputs.defaultPack();
    Path cache = Path.of("benchmarks/target/growth-cache");
    SyntheticFaces synthetic =
        SyntheticFaces.fromLfw(
            lfw,
            pack,
            args.positive("seeds", 2000),
            args.positive("pairs", 500),
            seed,
            args.positive("faces-per-identity", 10),
            cache);
    synthetic.printStatistics(2000);
    Long pid = NodeConnection.pid(args);
    if (pid == null) {
      throw new IllegalArgumentException(
          "--home is needed: heap figures come from the node's own JVM (jcmd)");
    }
    if (!Files.exists(out)) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, HEADER + "\n", StandardCharsets.UTF_8);
    }
    try (NodeClient node = NodeConnection.connect(args)) {
      if (real > 0) {
        RealFaces realFaces = RealFaces.fromLfw(lfw, pack, real, queryCount, cache);
        appendRow(out, run(node, pid, realFaces, true, s));
      }
      for (int n : sizes) {
        appendRow(
            out,
            run(
                node,
                pid,
                new SyntheticSource(synthetic, n, queryCount),
                patchSizes.contains(n),
                s));
      }
    }
  }

  private record Settings(
      int k, int candidates, int window, int rounds, int clients, int loadClients, boolean keep) {}

  private static void appendRow(Path out, String row) throws IOException {
    Files.writeString(out, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    System.out.println("growth row: " + row);
  }

  /** Loads, merges and measures one gallery; the row for {@code --out}. */
  private static String run(NodeClient node, long pid, Source source, boolean patches, Settings s)
      throws Exception {
    long n = source.size();
    String faceIndex = "growth-face";
    String knnIndex = "growth-knn";
    NodeConnection.deleteIndex(node, faceIndex);
    NodeConnection.deleteIndex(node, knnIndex);
    Log.line(
        "== %s, %d faces%s",
        source.label(), n, patches ? ", with int8 patch maps" : ", embeddings only");
    long t0 = System.nanoTime();
    int[][] truth = exactTopK(source, s.k());
    Log.line(
        "exact top %d of %d queries by brute force: %.1f s",
        s.k(), truth.length, (System.nanoTime() - t0) / 1e9);

    NodeMemory.Sample base = NodeMemory.of(node, pid);
    int dims = source.queryEmbeddings().get(0).length;
    node.request("PUT", "/" + faceIndex, faceMapping(dims, patches));
    double faceLoad = load(node, faceIndex, source, patches, true, s.loadClients());
    IndexStore.Stats face = IndexStore.forceMerge(node, faceIndex, 600);
    NodeMemory.Sample withFace = NodeMemory.of(node, pid);
    Log.line(
        "%s: loaded in %.1f s, merged in %.1f s, %.1f MiB, heap %+.1f MiB",
        faceIndex,
        faceLoad,
        face.mergeSeconds(),
        face.storeBytes() / 1048576.0,
        (withFace.heapAfterGc() - base.heapAfterGc()) / 1048576.0);

    VectorIndex knnLayout =
        new VectorIndex(knnIndex, "knn_vector", VectorIndex.Kind.KNN, "innerproduct", false);
    node.request("PUT", "/" + knnIndex, knnLayout.createBody(dims, 16, 100));
    double knnLoad = load(node, knnIndex, source, false, false, s.loadClients());
    IndexStore.Stats knn = IndexStore.forceMerge(node, knnIndex, 600);
    NodeMemory.Sample withBoth = NodeMemory.of(node, pid);
    Log.line(
        "%s: loaded in %.1f s, merged in %.1f s, %.1f MiB, heap %+.1f MiB",
        knnIndex,
        knnLoad,
        knn.mergeSeconds(),
        knn.storeBytes() / 1048576.0,
        (withBoth.heapAfterGc() - withFace.heapAfterGc()) / 1048576.0);
    for (IndexStore.Stats st : List.of(face, knn)) {
      if (st.docs() != n) {
        throw new IllegalStateException(
            "an index holds " + st.docs() + " documents, expected " + n);
      }
    }

    VectorIndex faceLayout =
        new VectorIndex(faceIndex, "face", VectorIndex.Kind.FACE, "float32", true);
    List<byte[]> faceStage1 = new ArrayList<>();
    List<byte[]> knnStage1 = new ArrayList<>();
    List<byte[]> faceStage2 = new ArrayList<>();
    for (int q = 0; q < source.queryEmbeddings().size(); q++) {
      float[] v = source.queryEmbeddings().get(q);
      faceStage1.add(faceLayout.query(v, s.k(), s.candidates()));
      knnStage1.add(knnLayout.query(v, s.k(), s.candidates()));
      if (patches) {
        faceStage2.add(
            stage2Query(
                v,
                source.queryPatches().get(q),
                s.k(),
                Math.max(s.candidates(), s.window()),
                s.window()));
      }
    }
    Map<String, List<byte[]>> runs = new LinkedHashMap<>();
    runs.put("face stage 1", faceStage1);
    runs.put("knn stage 1", knnStage1);
    if (patches) {
      runs.put("face stage 1 + 2", faceStage2);
    }
    Map<String, String> paths =
        Map.of("face stage 1", faceIndex, "knn stage 1", knnIndex, "face stage 1 + 2", faceIndex);
    for (Map.Entry<String, List<byte[]>> r : runs.entrySet()) { // warm-up: JIT, page cache
      Load.run(
          node,
          "POST",
          "/" + paths.get(r.getKey()) + "/_search",
          r.getValue(),
          ContentType.APPLICATION_JSON,
          s.clients());
    }
    Map<String, List<Long>> latencies = new LinkedHashMap<>();
    Map<String, Double> recall = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(runs.keySet());
    for (int round = 0; round < s.rounds(); round++) {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get((i + round) % names.size());
        Load.Result result =
            Load.run(
                node,
                "POST",
                "/" + paths.get(name) + "/_search",
                runs.get(name),
                ContentType.APPLICATION_JSON,
                s.clients());
        List<Long> all = latencies.computeIfAbsent(name, x -> new ArrayList<>());
        for (long l : result.latencyNanos()) {
          all.add(l);
        }
        if (round == 0 && !name.equals("face stage 1 + 2")) {
          recall.put(name, ExactNeighbours.recall(truth, ids(result, s.k())));
        }
      }
    }
    Map<String, Percentiles> p = new LinkedHashMap<>();
    latencies.forEach(
        (name, l) -> p.put(name, new Percentiles(l.stream().mapToLong(Long::longValue).toArray())));

    double perFace = 1.0 / n;
    Map<String, Long> files = face.fileBytes();
    double vectors = files.getOrDefault("vec", 0L) * perFace;
    double graph = (files.getOrDefault("vex", 0L) + files.getOrDefault("vem", 0L)) * perFace;
    double patchBytes = (files.getOrDefault("dvd", 0L) + files.getOrDefault("dvm", 0L)) * perFace;
    double faceHeap = (withFace.heapAfterGc() - base.heapAfterGc()) * perFace;
    double knnHeap = (withBoth.heapAfterGc() - withFace.heapAfterGc()) * perFace;

    System.out.printf(
        Locale.ROOT,
        "%n== %s, %d faces%s: 1 shard, HNSW m 16, ef_construction 100, k %d, candidates %d%s; %d queries x %d rounds, %d client(s)%n",
        source.label(),
        n,
        patches ? " with int8 patch maps" : "",
        s.k(),
        s.candidates(),
        patches ? ", stage 2 window " + s.window() : "",
        source.queryEmbeddings().size(),
        s.rounds(),
        s.clients());
    System.out.println("| search | p50 ms | p99 ms | mean ms | recall@" + s.k() + " |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (String name : names) {
      Percentiles q = p.get(name);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.2f | %.2f | %.2f | %s |%n",
          name,
          q.ms(50),
          q.ms(99),
          q.mean(),
          recall.containsKey(name) ? String.format(Locale.ROOT, "%.3f", recall.get(name)) : "");
    }
    System.out.println(
        "| index | load s | merge s | store bytes per face | heap bytes per face (after GC) | files (bytes per face) |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    System.out.printf(
        Locale.ROOT,
        "| face | %.1f | %.1f | %.0f | %.1f | %s |%n",
        faceLoad,
        face.mergeSeconds(),
        face.storeBytes() * perFace,
        faceHeap,
        perFaceFiles(face.fileBytes(), n));
    System.out.printf(
        Locale.ROOT,
        "| knn | %.1f | %.1f | %.0f | %.1f | %s |%n",
        knnLoad,
        knn.mergeSeconds(),
        knn.storeBytes() * perFace,
        knnHeap,
        perFaceFiles(knn.fileBytes(), n));

    if (!s.keep()) {
      node.request("DELETE", "/" + faceIndex);
      node.request("DELETE", "/" + knnIndex);
    }
    return String.join(
        "\t",
        source.label(),
        Long.toString(n),
        Boolean.toString(patches),
        f(p.get("face stage 1").ms(50)),
        f(p.get("face stage 1").ms(99)),
        f(p.get("knn stage 1").ms(50)),
        f(p.get("knn stage 1").ms(99)),
        patches ? f(p.get("face stage 1 + 2").ms(50)) : "",
        patches ? f(p.get("face stage 1 + 2").ms(99)) : "",
        f(recall.get("face stage 1")),
        f(recall.get("knn stage 1")),
        f(face.storeBytes() * perFace),
        f(knn.storeBytes() * perFace),
        f(vectors),
        f(graph),
        f(patchBytes),
        f(faceHeap),
        f(knnHeap),
        f(faceLoad),
        f(face.mergeSeconds()),
        f(knnLoad),
        f(knn.mergeSeconds()));
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static String perFaceFiles(Map<String, Long> files, long n) {
    StringBuilder b = new StringBuilder();
    files.forEach((ext, bytes) -> {
      if (bytes >= n) { // a byte a face or more: the files that grow with the gallery
        b.append(b.length() == 0 ? "" : ", ")
            .append(ext)
            .append(' ')
            .append(String.format(Locale.ROOT, "%.1f", (double) bytes / n));
      }
    });
    return b.toString();
  }

  private static JsonNode faceMapping(int dims, boolean patches) {
    String field =
        "{\"type\": \"face\", \"dims\": "
            + dims
            + ", \"embedding_encoding\": \"float32\", \"patch_encoding\": \"int8\","
            + " \"hnsw\": {\"m\": 16, \"ef_construction\": 100}}";
    return Json.parse(
        "{\"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0, \"refresh_interval\": \"-1\","
            + " \"store.stats_refresh_interval\": \"0s\"}, \"mappings\": {\"_source\": {\"excludes\": [\"v\"]}, \"properties\": {\"v\": "
            + field
            + "}}}");
  }

  private static byte[] stage2Query(
      float[] v, byte[] patches, int size, int candidates, int window) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = Json.generator(out)) {
      g.writeStartObject();
      g.writeNumberField("size", size);
      g.writeBooleanField("_source", false);
      g.writeObjectFieldStart("query");
      g.writeObjectFieldStart("face");
      g.writeStringField("field", "v");
      g.writeFieldName("embedding");
      Json.writeArray(g, v);
      g.writeStringField("patches", Base64.getEncoder().encodeToString(patches));
      g.writeNumberField("k", window);
      g.writeNumberField("num_candidates", candidates);
      g.writeStringField("on_unrecognizable_query", "ignore");
      g.writeEndObject();
      g.writeEndObject();
      g.writeObjectFieldStart("rescore");
      g.writeNumberField("window_size", window);
      g.writeObjectFieldStart("face_emd");
      g.writeStringField("field", "v");
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Sends every face of the source in {@code _bulk} requests from {@code clients} threads (ids =
   * positions), refreshing once half-way so the index has two segments or more for the merge to
   * rewrite. Seconds taken.
   */
  private static double load(
      NodeClient node, String index, Source source, boolean patches, boolean face, int clients)
      throws Exception {
    long n = source.size();
    // At least two requests, so the refresh half-way leaves two segments.
    int batch = (int) Math.max(1, Math.min(patches ? 100 : 500, (n + 1) / 2));
    long batches = (n + batch - 1) / batch;
    AtomicLong next = new AtomicLong();
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long t0 = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        running.add(
            pool.submit(() -> {
              for (long b = next.getAndIncrement(); b < batches; b = next.getAndIncrement()) {
                byte[] body =
                    bulkBody(source, b * batch, Math.min(n, (b + 1) * batch), patches, face);
                BulkAnswers answers = new BulkAnswers();
                answers.add(node.send("POST", "/" + index + "/_bulk", body, NodeClient.NDJSON));
                answers.check(index, 0);
                long finished = done.incrementAndGet();
                if (finished == Math.max(1, batches / 2)) {
                  node.request("POST", "/" + index + "/_refresh");
                }
                if (finished % Math.max(1, batches / 10) == 0) {
                  Log.line("%s: %d of %d faces sent", index, Math.min(n, finished * batch), n);
                }
              }
              return null;
            }));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException e) {
          next.set(batches);
          throw new IllegalStateException(
              "indexing into " + index + " failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
    } finally {
      pool.shutdown();
    }
    node.request("POST", "/" + index + "/_refresh");
    return (System.nanoTime() - t0) / 1e9;
  }

  private static byte[] bulkBody(Source source, long from, long to, boolean patches, boolean face)
      throws IOException {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) (to - from) * (patches ? 40_000 : 6_000));
    Base64.Encoder base64 = Base64.getEncoder();
    for (long i = from; i < to; i++) {
      try (JsonGenerator g = Json.generator(out)) {
        g.writeStartObject();
        g.writeObjectFieldStart("index");
        g.writeStringField("_id", Long.toString(i));
        g.writeEndObject();
        g.writeEndObject();
      }
      out.write('\n');
      try (JsonGenerator g = Json.generator(out)) {
        g.writeStartObject();
        g.writeFieldName("v");
        if (face && patches) {
          g.writeStartObject();
          g.writeFieldName("embedding");
          Json.writeArray(g, source.embedding(i));
          g.writeStringField("patches", base64.encodeToString(source.patches(i)));
          g.writeEndObject();
        } else {
          Json.writeArray(g, source.embedding(i));
        }
        g.writeEndObject();
      }
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static int[][] ids(Load.Result result, int k) {
    int[][] out = new int[result.answers().length][];
    for (int q = 0; q < out.length; q++) {
      JsonNode hits = Json.at(Json.parse(result.answers()[q]), "/hits/hits");
      out[q] = new int[Math.min(k, hits.size())];
      for (int i = 0; i < out[q].length; i++) {
        out[q][i] = Integer.parseInt(hits.get(i).path("_id").asText());
      }
    }
    return out;
  }

  /** The exact top k of every query over the whole source, by brute force on all cores. */
  private static int[][] exactTopK(Source source, int k) throws Exception {
    List<float[]> queries = source.queryEmbeddings();
    int threads = Runtime.getRuntime().availableProcessors();
    long n = source.size();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<TopK[]>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long from = n * t / threads;
        long to = n * (t + 1) / threads;
        parts.add(
            pool.submit(() -> {
              TopK[] tops = new TopK[queries.size()];
              for (int q = 0; q < tops.length; q++) {
                tops[q] = new TopK(k);
              }
              for (long i = from; i < to; i++) {
                float[] v = source.embedding(i);
                for (int q = 0; q < tops.length; q++) {
                  tops[q].offer(i, VectorUtil.dotProduct(queries.get(q), v));
                }
              }
              return tops;
            }));
      }
      TopK[] merged = new TopK[queries.size()];
      for (int q = 0; q < merged.length; q++) {
        merged[q] = new TopK(k);
      }
      for (Future<TopK[]> part : parts) {
        TopK[] tops = part.get();
        for (int q = 0; q < merged.length; q++) {
          for (int j = 0; j < k; j++) {
            if (tops[q].ids[j] >= 0) {
              merged[q].offer(tops[q].ids[j], tops[q].scores[j]);
            }
          }
        }
      }
      int[][] out = new int[merged.length][k];
      for (int q = 0; q < merged.length; q++) {
        for (int j = 0; j < k; j++) {
          out[q][j] = (int) merged[q].ids[j];
        }
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }

  /** The k best (id, score) seen so far, best first. */
  private static final class TopK {
    final long[] ids;
    final float[] scores;

    TopK(int k) {
      ids = new long[k];
      scores = new float[k];
      java.util.Arrays.fill(ids, -1);
      java.util.Arrays.fill(scores, Float.NEGATIVE_INFINITY);
    }

    void offer(long id, float score) {
      int k = ids.length;
      if (score <= scores[k - 1]) {
        return;
      }
      int j = k - 1;
      while (j > 0 && scores[j - 1] < score) {
        scores[j] = scores[j - 1];
        ids[j] = ids[j - 1];
        j--;
      }
      scores[j] = score;
      ids[j] = id;
    }
  }

  /** Synthetic faces 0..n-1, and queries that are new faces of the gallery's identities. */
  private static final class SyntheticSource implements Source {
    private final SyntheticFaces faces;
    private final long n;
    private final List<float[]> queries = new ArrayList<>();
    private final List<byte[]> queryPatches = new ArrayList<>();

    SyntheticSource(SyntheticFaces faces, long n, int queryCount) {
      this.faces = faces;
      this.n = n;
      long identities = Math.max(1, n / 10);
      for (int q = 0; q < queryCount; q++) {
        SyntheticFaces.Face f = faces.query(q, identities, PatchEncoding.FLOAT16);
        queries.add(f.embedding());
        queryPatches.add(f.patches());
      }
    }

    @Override
    public String label() {
      return "synthetic";
    }

    @Override
    public long size() {
      return n;
    }

    @Override
    public float[] embedding(long i) {
      return faces.face(i, false, null).embedding();
    }

    @Override
    public byte[] patches(long i) {
      return faces.face(i, true, PatchEncoding.INT8).patches();
    }

    @Override
    public List<float[]> queryEmbeddings() {
      return queries;
    }

    @Override
    public List<byte[]> queryPatches() {
      return queryPatches;
    }
  }

  /**
   * Real LFW faces: the gallery is every LFW photo in order except the queries, cut to {@code n};
   * the queries are the second photo of the first people with two photos or more (their other
   * photos are in the gallery). Encoded once with the default pack and cached (embedding and int8
   * patch map per face).
   */
  private static final class RealFaces implements Source {
    private final float[][] embeddings;
    private final byte[][] patches;
    private final List<float[]> queries;
    private final List<byte[]> queryPatches;

    private RealFaces(
        float[][] embeddings, byte[][] patches, List<float[]> queries, List<byte[]> queryPatches) {
      this.embeddings = embeddings;
      this.patches = patches;
      this.queries = queries;
      this.queryPatches = queryPatches;
    }

    static RealFaces fromLfw(Lfw lfw, ModelPack pack, int n, int queryCount, Path cache)
        throws IOException {
      Path file = cache.resolve("real-" + pack.name() + "-" + n + "-" + queryCount + ".bin");
      if (!Files.isRegularFile(file)) {
        List<Path> queryPhotos = new ArrayList<>();
        Set<Path> held = new java.util.HashSet<>();
        for (int label = 0; label < lfw.people() && queryPhotos.size() < queryCount; label++) {
          if (lfw.imagesOf(label) >= 2) {
            queryPhotos.add(lfw.image(label, 1));
            held.add(lfw.image(label, 1));
          }
        }
        List<Path> gallery = new ArrayList<>();
        for (int label = 0; label < lfw.people() && gallery.size() < n; label++) {
          for (int i = 0; i < lfw.imagesOf(label) && gallery.size() < n; i++) {
            if (!held.contains(lfw.image(label, i))) {
              gallery.add(lfw.image(label, i));
            }
          }
        }
        long t0 = System.nanoTime();
        List<SyntheticFaces.Real> g;
        List<SyntheticFaces.Real> q;
        try (FaceEncoder encoder =
            FaceEncoder.open(pack, EncoderOptions.defaults().withQueueSize(100_000))) {
          g = SyntheticFaces.encode(encoder, gallery);
          q = SyntheticFaces.encode(encoder, queryPhotos);
        }
        g.removeIf(java.util.Objects::isNull);
        q.removeIf(java.util.Objects::isNull);
        Files.createDirectories(cache);
        Path tmp = Files.createTempFile(cache, "real", ".tmp");
        try (java.io.DataOutputStream out =
            new java.io.DataOutputStream(
                new java.io.BufferedOutputStream(Files.newOutputStream(tmp)))) {
          for (List<SyntheticFaces.Real> list : List.of(g, q)) {
            out.writeInt(list.size());
            for (SyntheticFaces.Real r : list) {
              for (float x : r.embedding()) {
                out.writeFloat(x);
              }
              byte[] p =
                  (list == g ? PatchEncoding.INT8 : PatchEncoding.FLOAT16).encode(r.patches());
              out.writeInt(p.length);
              out.write(p);
            }
          }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Log.line(
            "real LFW faces: %d gallery photos, %d queries encoded in %.1f s, cached in %s",
            g.size(), q.size(), (System.nanoTime() - t0) / 1e9, file);
      }
      int dims = pack.descriptor().feature().embeddingDims();
      try (java.io.DataInputStream in =
          new java.io.DataInputStream(
              new java.io.BufferedInputStream(Files.newInputStream(file)))) {
        List<float[]> e = new ArrayList<>();
        List<byte[]> p = new ArrayList<>();
        List<float[]> qe = new ArrayList<>();
        List<byte[]> qp = new ArrayList<>();
        for (int list = 0; list < 2; list++) {
          int count = in.readInt();
          for (int i = 0; i < count; i++) {
            float[] v = new float[dims];
            for (int d = 0; d < dims; d++) {
              v[d] = in.readFloat();
            }
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            (list == 0 ? e : qe).add(v);
            (list == 0 ? p : qp).add(b);
          }
        }
        Log.line(
            "real LFW faces: %d gallery faces, %d queries, from %s", e.size(), qe.size(), file);
        return new RealFaces(e.toArray(new float[0][]), p.toArray(new byte[0][]), qe, qp);
      }
    }

    @Override
    public String label() {
      return "real";
    }

    @Override
    public long size() {
      return embeddings.length;
    }

    @Override
    public float[] embedding(long i) {
      return embeddings[(int) i];
    }

    @Override
    public byte[] patches(long i) {
      return patches[(int) i];
    }

    @Override
    public List<float[]> queryEmbeddings() {
      return queries;
    }

    @Override
    public List<byte[]> queryPatches() {
      return queryPatches;
    }
  }
}
