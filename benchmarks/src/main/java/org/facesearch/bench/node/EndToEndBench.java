package org.facesearch.bench.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hc.core5.http.ContentType;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Lfw;

/**
 * Issue 5, the whole query on a real node: a photo in, encoded on the node, stage 1 (the {@code
 * face} query) and stage 2 (the {@code face_emd} rescorer) over a gallery of LFW faces indexed
 * through the {@code face_embedding} pipeline. Latency percentiles under concurrent clients, with
 * query photos the node has not seen (its query-face cache cannot serve them), then with photos it
 * has just seen (cached: stages 1 and 2 only, and stage 1 alone).
 *
 * <p>Gallery: the first photo of each LFW person with at least two photos; queries: their second
 * photos (so every query's person is in the gallery, and rank-1 identification is a sanity check).
 *
 * <pre>benchmarks/node-bench.sh e2e [--gallery 1680] [--queries 400] [--clients 4] [--window 100]
 * </pre>
 */
public final class EndToEndBench {
  private record Case(String label, int clients, Load.Result result, double rank1) {}

  private EndToEndBench() {}

  public static void main(String[] argv) throws Exception {
    Args args =
        new Args(
            argv,
            Set.of(
                "home",
                "port",
                "gallery",
                "queries",
                "single",
                "cached",
                "repeat",
                "clients",
                "k",
                "num-candidates",
                "window",
                "bulk-docs",
                "patch-encoding",
                "warmup"));
    int galleryCount = args.positive("gallery", 1680);
    int queryCount = args.positive("queries", 400);
    int singleCount = args.positive("single", 100);
    int cachedCount = args.positive("cached", 100);
    int repeat = args.positive("repeat", 4);
    int clients = args.positive("clients", 4);
    int k = args.positive("k", 100);
    int numCandidates = args.positive("num-candidates", 200);
    int window = args.positive("window", 100);
    int bulkDocs = args.positive("bulk-docs", 100);
    int warmCount = args.positive("warmup", 50);
    String patchEncoding = args.string("patch-encoding", "float16");
    if (cachedCount > queryCount || cachedCount > 256) {
      throw new IllegalArgumentException(
          "--cached must be at most --queries and at most 256 (the node's query-face cache)");
    }
    String index = "bench-e2e";
    try (NodeClient node = NodeConnection.connect(args)) {
      Lfw lfw = Lfw.open();
      List<Photos.Photo> gallery = Photos.pick(lfw, p -> lfw.imagesOf(p) >= 2, 0, galleryCount);
      List<Photos.Photo> probes =
          Photos.pick(
              lfw, p -> lfw.imagesOf(p) >= 2, 1, Math.min(galleryCount, queryCount + singleCount));
      if (probes.size() < queryCount + singleCount) {
        throw new IllegalArgumentException(
            "--queries + --single must be at most --gallery (one query photo per gallery person)");
      }
      List<Photos.Photo> queries = probes.subList(0, queryCount);
      List<Photos.Photo> single = probes.subList(queryCount, queryCount + singleCount);
      List<Photos.Photo> warm = Photos.pick(lfw, p -> lfw.imagesOf(p) == 1, 0, warmCount);

      Gallery.createPipeline(node);
      Gallery.createIndex(node, index, patchEncoding, List.of("face.patches"));
      Gallery.Loaded loaded =
          Gallery.load(node, index, Gallery.bulkBodies(gallery, bulkDocs, 0), 2);
      loaded.answers().check("gallery", 0.02);
      IndexStore.Stats stats = IndexStore.forceMerge(node, index, 120);
      Log.line(
          "gallery: %d LFW faces (%s patches) indexed at %.1f faces/s, force-merged to 1 segment",
          stats.docs(), patchEncoding, loaded.facesPerSecond());

      QueryBodies bodies = new QueryBodies(k, numCandidates, window);
      run(
          node,
          index,
          "warm-up",
          bodies.full(warm),
          clients,
          null); // JIT on the search and encode paths

      List<Case> cases = new ArrayList<>();
      cases.add(
          run(
              node,
              index,
              "photo not seen before: encode + stage 1 + stage 2",
              bodies.full(queries),
              clients,
              queries));
      List<Photos.Photo> recent = queries.subList(queryCount - cachedCount, queryCount);
      List<Photos.Photo> repeated = new ArrayList<>();
      for (int r = 0; r < repeat; r++) {
        repeated.addAll(recent);
      }
      cases.add(
          run(
              node,
              index,
              "photo seen before (cached face): stage 1 + stage 2",
              bodies.full(repeated),
              clients,
              repeated));
      cases.add(
          run(
              node,
              index,
              "photo seen before (cached face): stage 1 only",
              bodies.stageOne(repeated),
              clients,
              repeated));
      cases.add(
          run(
              node,
              index,
              "photo not seen before: encode + stage 1 + stage 2",
              bodies.full(single),
              1,
              single));
      cases.add(
          run(
              node,
              index,
              "photo seen before (cached face): stage 1 + stage 2",
              bodies.full(single),
              1,
              single));
      cases.add(
          run(
              node,
              index,
              "photo seen before (cached face): stage 1 only",
              bodies.stageOne(single),
              1,
              single));
      node.request("DELETE", "/" + index);

      System.out.printf(
          Locale.ROOT,
          "%n== end-to-end query latency: gallery %d LFW faces (1 shard, 1 segment, %s patches), face query k %d, num_candidates %d, "
              + "face_emd window %d, size 10%n",
          stats.docs(),
          patchEncoding,
          k,
          numCandidates,
          window);
      System.out.println(
          "| query | clients | requests | p50 ms | p99 ms | mean ms | max ms | queries/s | server `took` p50 ms | rank-1 |");
      System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
      for (Case c : cases) {
        Percentiles p = new Percentiles(c.result().latencyNanos());
        Percentiles took = new Percentiles(tookMillis(c.result()));
        System.out.printf(
            Locale.ROOT,
            "| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.3f |%n",
            c.label(),
            c.clients(),
            p.count(),
            p.ms(50),
            p.ms(99),
            p.mean(),
            p.ms(100),
            c.result().perSecond(),
            took.ms(50),
            c.rank1());
      }
    }
  }

  private static Case run(
      NodeClient node,
      String index,
      String label,
      List<byte[]> bodies,
      int clients,
      List<Photos.Photo> photos)
      throws Exception {
    Load.Result r =
        Load.run(
            node, "POST", "/" + index + "/_search", bodies, ContentType.APPLICATION_JSON, clients);
    double rank1 = Double.NaN;
    if (photos != null) {
      int right = 0;
      for (int i = 0; i < photos.size(); i++) {
        JsonNode hits = Json.at(Json.parse(r.answers()[i]), "/hits/hits");
        if (hits.size() > 0
            && hits.get(0).at("/_source/person").asText().equals(photos.get(i).person())) {
          right++;
        }
      }
      rank1 = (double) right / photos.size();
    }
    Percentiles p = new Percentiles(r.latencyNanos());
    Log.line(
        "%s, %d client(s): %d requests, p50 %.1f ms, p99 %.1f ms, %.1f q/s",
        label, clients, bodies.size(), p.ms(50), p.ms(99), r.perSecond());
    return new Case(label, clients, r, rank1);
  }

  private static double[] tookMillis(Load.Result r) {
    double[] out = new double[r.answers().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Json.at(Json.parse(r.answers()[i]), "/took").asDouble();
    }
    return out;
  }

  /**
   * Search bodies with a photo: both stages, or stage 1 alone. Unrecognizable query photos are
   * searched anyway.
   */
  private record QueryBodies(int k, int numCandidates, int window) {
    List<byte[]> full(List<Photos.Photo> photos) {
      return build(photos, true);
    }

    List<byte[]> stageOne(List<Photos.Photo> photos) {
      return build(photos, false);
    }

    private List<byte[]> build(List<Photos.Photo> photos, boolean rescore) {
      List<byte[]> out = new ArrayList<>();
      for (Photos.Photo p : photos) {
        ObjectNode body = Json.object();
        body.put("size", 10);
        body.putArray("_source").add("person").add("file");
        body.putObject("query")
            .putObject("face")
            .put("field", "face")
            .put("image", Base64.getEncoder().encodeToString(p.bytes()))
            .put("k", k)
            .put("num_candidates", numCandidates)
            .put("on_unrecognizable_query", "ignore");
        if (rescore) {
          body.putObject("rescore")
              .put("window_size", window)
              .putObject("face_emd")
              .put("field", "face");
        }
        out.add(Json.bytes(body));
      }
      return out;
    }
  }
}
