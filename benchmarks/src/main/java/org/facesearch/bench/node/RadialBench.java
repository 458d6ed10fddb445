package org.facesearch.bench.node;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.apache.hc.core5.http.ContentType;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;
import org.facesearch.evaluation.Args;

/**
 * Stage 1 by threshold ({@code min_similarity}) against stage 1 by top k, on one node and one
 * index: 100,000 faces in near-duplicate clusters (1,000 people with 1 to 300 faces each around
 * their own centre, skewed towards few, the rest faces of nobody), a {@code face} field with a
 * float32 graph, one shard, force-merged to one segment. Queries are new faces of the people
 * (chosen in proportion to how many faces they have). For each target count (about 10, 100 and
 * 1,000 faces) the threshold is the median over the queries of the cosine of their target-th
 * nearest face (by brute force here), so a threshold search returns about that many; the top-k
 * search asks for exactly that many ({@code k} = target, {@code num_candidates} its default 2k).
 * Both return every hit ({@code size}), without {@code _source}.
 *
 * <p>Reported per target: the threshold, the faces at or above it (mean over queries, by brute
 * force), the threshold search's recall of them (and that it returned nothing below), the top-k
 * search's recall@k, and for each search the median and 90th-percentile latency and the node's CPU
 * per query. Searches of the two kinds alternate round by round; each figure is the median over
 * rounds.
 *
 * <pre>
 * benchmarks/node-bench.sh radial [--vectors 100000] [--people 1000] [--queries 200] [--targets 10,100,1000] [--clients 1] [--rounds 3]
 * </pre>
 */
public final class RadialBench {
  private RadialBench() {}

  private static final String INDEX = "bench-radial";

  public static void main(String[] argv) throws Exception {
    Args args =
        new Args(
            argv,
            Set.of(
                "home",
                "port",
                "vectors",
                "people",
                "dims",
                "queries",
                "seed",
                "targets",
                "clients",
                "rounds",
                "batch",
                "m",
                "ef-construction"));
    int n = args.positive("vectors", 100_000);
    int people = args.positive("people", 1000);
    int dims = args.positive("dims", 512);
    int queryCount = args.positive("queries", 200);
    long seed = args.integer("seed", 42);
    List<Integer> targets = args.integers("targets", "10,100,1000");
    int clients = args.positive("clients", 1);
    int rounds = args.positive("rounds", 3);
    int batch = args.positive("batch", 1000);
    int m = args.positive("m", 16);
    int efConstruction = args.positive("ef-construction", 100);

    Long pid = NodeConnection.pid(args);
    try (NodeClient node = NodeConnection.connect(args)) {
      Random random = new Random(seed);
      Clusters gallery = Clusters.generate(random, n, people, dims);
      float[][] queries = gallery.queries(random, queryCount);
      Log.line(
          "%d faces of %d dims: %d in %d clusters of 1 to 300, %d of nobody; %d queries, new faces of the people (seed %d)",
          n, dims, gallery.clustered, people, n - gallery.clustered, queryCount, seed);

      VectorIndex index =
          new VectorIndex(INDEX, "face, float32", VectorIndex.Kind.FACE, "float32", true);
      NodeConnection.deleteIndex(node, INDEX);
      node.request("PUT", "/" + INDEX, index.createBody(dims, m, efConstruction));
      double loadSeconds = VectorLoader.load(node, INDEX, gallery.vectors, batch, clients);
      IndexStore.Stats stats = IndexStore.forceMerge(node, INDEX, 120);
      if (stats.docs() != n) {
        throw new IllegalStateException(
            INDEX + " holds " + stats.docs() + " documents, expected " + n);
      }
      Log.line(
          "%s: %d faces indexed in %.1f s, force-merged to 1 segment in %.1f s",
          INDEX, n, loadSeconds, stats.mergeSeconds());

      // Brute force: every query's cosines, highest first.
      float[][] sorted = new float[queryCount][];
      for (int q = 0; q < queryCount; q++) {
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
          c[i] = VectorUtil.dotProduct(queries[q], gallery.vectors[i]);
        }
        Arrays.sort(c);
        sorted[q] = c; // ascending
      }

      List<Row> rows = new ArrayList<>();
      for (int target : targets) {
        double[] nth = new double[queryCount];
        for (int q = 0; q < queryCount; q++) {
          nth[q] = sorted[q][n - target];
        }
        float threshold = (float) new Percentiles(nth).median();
        double[] above = new double[queryCount];
        for (int q = 0; q < queryCount; q++) {
          above[q] = atLeast(sorted[q], threshold);
        }
        List<byte[]> radial = new ArrayList<>();
        List<byte[]> topK = new ArrayList<>();
        for (float[] q : queries) {
          radial.add(body(q, "\"min_similarity\"", threshold, 10_000));
          topK.add(body(q, "\"k\"", target, target));
        }
        String path = "/" + INDEX + "/_search";
        Load.run(node, "POST", path, radial, ContentType.APPLICATION_JSON, clients); // warm-up
        Load.run(node, "POST", path, topK, ContentType.APPLICATION_JSON, clients);
        double[][] radialMs = new double[rounds][];
        double[][] topKMs = new double[rounds][];
        double[] radialCpu = new double[rounds];
        double[] topKCpu = new double[rounds];
        Load.Result lastRadial = null;
        Load.Result lastTopK = null;
        for (int r = 0; r < rounds; r++) {
          for (int kind = 0; kind < 2; kind++) {
            boolean threshold1st = (kind + r) % 2 == 0; // alternate which kind goes first
            long cpu0 = CpuClock.of(pid);
            Load.Result result =
                Load.run(
                    node,
                    "POST",
                    path,
                    threshold1st ? radial : topK,
                    ContentType.APPLICATION_JSON,
                    clients);
            double cpu = (CpuClock.of(pid) - cpu0) / 1e6 / queryCount;
            double[] ms = Arrays.stream(result.latencyNanos()).mapToDouble(x -> x / 1e6).toArray();
            if (threshold1st) {
              radialMs[r] = ms;
              radialCpu[r] = cpu;
              lastRadial = result;
            } else {
              topKMs[r] = ms;
              topKCpu[r] = cpu;
              lastTopK = result;
            }
          }
        }
        double found = 0;
        double expected = 0;
        double returned = 0;
        double topKFound = 0;
        for (int q = 0; q < queryCount; q++) {
          JsonNode hits = Json.at(Json.parse(lastRadial.answers()[q]), "/hits/hits");
          returned += hits.size();
          for (JsonNode hit : hits) {
            float exact =
                VectorUtil.dotProduct(
                    queries[q], gallery.vectors[Integer.parseInt(hit.path("_id").asText())]);
            if (exact < threshold) {
              throw new IllegalStateException(
                  "query "
                      + q
                      + ": hit "
                      + hit.path("_id").asText()
                      + " has cosine "
                      + exact
                      + " below "
                      + threshold);
            }
          }
          found += hits.size();
          expected += above[q];
          float kth = sorted[q][n - target];
          for (JsonNode hit : Json.at(Json.parse(lastTopK.answers()[q]), "/hits/hits")) {
            if (VectorUtil.dotProduct(
                    queries[q], gallery.vectors[Integer.parseInt(hit.path("_id").asText())])
                >= kth) {
              topKFound++;
            }
          }
        }
        Row row =
            new Row(
                target,
                threshold,
                expected / queryCount,
                returned / queryCount,
                found / expected,
                topKFound / (queryCount * (double) target),
                medianOf(radialMs, 50),
                medianOf(radialMs, 90),
                new Percentiles(radialCpu).median(),
                medianOf(topKMs, 50),
                medianOf(topKMs, 90),
                new Percentiles(topKCpu).median());
        rows.add(row);
        Log.line(
            "target %d: threshold %.4f, %.1f faces above it, threshold search %.1f ms p50 (recall %.4f), top k %.1f ms p50",
            target, threshold, row.above, row.radialP50, row.recall, row.topKP50);
      }
      node.request("DELETE", "/" + INDEX);
      System.out.printf(
          Locale.ROOT,
          "%n== %d faces x %d dims (%d people), HNSW m %d, ef_construction %d, float32, 1 shard, 1 segment; %d queries, "
              + "%d client(s), median of %d rounds%s%n",
          n,
          dims,
          people,
          m,
          efConstruction,
          queryCount,
          clients,
          rounds,
          pid == null ? "" : "; CPU: the node's, per query");
      System.out.println(
          "| target | min_similarity | faces at or above it (mean) | threshold search: hits (mean) | recall | p50 ms | p90 ms | CPU ms "
              + "| top k (k = target): recall@k | p50 ms | p90 ms | CPU ms |");
      System.out.println(
          "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
      for (Row r : rows) {
        System.out.printf(
            Locale.ROOT,
            "| %d | %.4f | %.1f | %.1f | %.4f | %.1f | %.1f | %.2f | %.4f | %.1f | %.1f | %.2f |%n",
            r.target,
            r.threshold,
            r.above,
            r.returned,
            r.recall,
            r.radialP50,
            r.radialP90,
            r.radialCpu,
            r.topKRecall,
            r.topKP50,
            r.topKP90,
            r.topKCpu);
      }
    }
  }

  private record Row(
      int target,
      float threshold,
      double above,
      double returned,
      double recall,
      double topKRecall,
      double radialP50,
      double radialP90,
      double radialCpu,
      double topKP50,
      double topKP90,
      double topKCpu) {}

  /** The median over rounds of each round's {@code p}-th percentile latency. */
  private static double medianOf(double[][] roundsMs, double p) {
    double[] per = new double[roundsMs.length];
    for (int r = 0; r < roundsMs.length; r++) {
      per[r] = new Percentiles(roundsMs[r]).ms(p);
    }
    return new Percentiles(per).median();
  }

  /** How many of the ascending {@code sorted} are at least {@code t}. */
  private static int atLeast(float[] sorted, float t) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] >= t) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return sorted.length - lo;
  }

  /**
   * A face query body: {@code "min_similarity": value} or {@code "k": value}, returning {@code
   * size} hits without {@code _source}.
   */
  private static byte[] body(float[] vector, String option, float value, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = Json.generator(out)) {
      g.writeStartObject();
      g.writeNumberField("size", size);
      g.writeBooleanField("_source", false);
      g.writeBooleanField("track_total_hits", true);
      g.writeObjectFieldStart("query");
      g.writeObjectFieldStart("face");
      g.writeStringField("field", "v");
      g.writeFieldName("embedding");
      Json.writeArray(g, vector);
      g.writeFieldName(option.substring(1, option.length() - 1));
      if (option.equals("\"k\"")) {
        g.writeNumber((int) value);
      } else {
        g.writeNumber(value);
      }
      g.writeEndObject();
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Faces in clusters around people's centres, then faces of nobody, shuffled. */
  private static final class Clusters {
    final float[][] vectors;
    final float[][] centres;
    final float[] spread;
    final int[] size;
    final int clustered;

    private Clusters(
        float[][] vectors, float[][] centres, float[] spread, int[] size, int clustered) {
      this.vectors = vectors;
      this.centres = centres;
      this.spread = spread;
      this.size = size;
      this.clustered = clustered;
    }

    /**
     * Each person has 1 to 300 faces (1 + 299 u^3, so most have few), each the person's centre plus
     * Gaussian noise sized for a cosine of 0.6 to 0.85 to the centre (two faces of one person:
     * about 0.35 to 0.7, as photos of one person are), then faces of nobody up to {@code n}.
     */
    static Clusters generate(Random random, int n, int people, int dims) {
      float[][] centres = new float[people][];
      float[] spread = new float[people];
      int[] size = new int[people];
      List<float[]> faces = new ArrayList<>(n);
      for (int p = 0; p < people; p++) {
        centres[p] = gaussianUnit(random, dims);
        double cosine = 0.6 + 0.25 * random.nextDouble();
        spread[p] = (float) Math.sqrt(1 / (cosine * cosine) - 1);
        int s = 1 + (int) (299 * Math.pow(random.nextDouble(), 3));
        for (int i = 0; i < s && faces.size() < n; i++) {
          faces.add(near(random, centres[p], spread[p]));
          size[p]++;
        }
      }
      int clustered = faces.size();
      while (faces.size() < n) {
        faces.add(gaussianUnit(random, dims));
      }
      java.util.Collections.shuffle(faces, random);
      return new Clusters(faces.toArray(new float[0][]), centres, spread, size, clustered);
    }

    /** New faces of people drawn in proportion to how many faces they have in the gallery. */
    float[][] queries(Random random, int count) {
      float[][] out = new float[count][];
      for (int q = 0; q < count; q++) {
        int pick = random.nextInt(clustered);
        int p = 0;
        while (pick >= size[p]) {
          pick -= size[p];
          p++;
        }
        out[q] = near(random, centres[p], spread[p]);
      }
      return out;
    }

    private static float[] near(Random random, float[] centre, float spread) {
      float[] v = new float[centre.length];
      double sigma = spread / Math.sqrt(centre.length);
      for (int d = 0; d < v.length; d++) {
        v[d] = centre[d] + (float) (random.nextGaussian() * sigma);
      }
      return VectorUtil.l2normalize(v);
    }

    private static float[] gaussianUnit(Random random, int dims) {
      float[] v = new float[dims];
      for (int d = 0; d < dims; d++) {
        v[d] = (float) random.nextGaussian();
      }
      return VectorUtil.l2normalize(v);
    }
  }
}
