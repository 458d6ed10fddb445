package org.facesearch.bench.node;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.apache.hc.core5.http.ContentType;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.identification.DocSections;
import org.facesearch.evaluation.identification.SuiteQueries;
import org.facesearch.image.ImageDecoder;
import org.facesearch.image.ImageLimits;
import org.facesearch.image.RgbImage;

/**
 * Issue 8 end to end: the identification suite's changed queries (crop, mask and the re-aligned
 * photo crop by default) sent to a real node as a user would send them, and each query's first hit
 * compared with the in-process suite's ({@link SuiteQueries}) for the same query, at stage 1 alone
 * and after stage 2.
 *
 * <p>Gallery: every LFW image, id = the suite's gallery index. A photo in which the detector finds
 * one face goes through the {@code face_embedding} pipeline; a photo with several faces is indexed
 * with the suite's own face (embedding and float16 patches given directly to the {@code face}
 * field), because the suite takes the face nearest the image centre and the pipeline keeps the
 * largest one, which is not always the labelled person. The pipeline's faces are then read back and
 * compared with the suite's.
 *
 * <p>Each query: its image exactly as the suite encodes it, as a lossless PNG (checked to decode to
 * the same pixels), in a {@code face} query ({@code mode: aligned} for changed aligned crops,
 * {@code detect} for the cropped photo, where the node keeps the largest face and the suite the one
 * nearest where the photo's centre landed: a query where they differ is flagged), {@code k} 100, a
 * filter excluding the query's own photo, {@code on_unrecognizable_query: ignore}), alone and with
 * the {@code face_emd} rescorer (window 100, alpha 0.7, apc, native grid), once per {@code
 * num_candidates} value (10000 or more makes Lucene search the filtered gallery exactly, as the
 * suite does; the default 200 is what a user gets). {@code --rankings covered} adds the
 * covered-face options of issue 7 ({@code weighting: recognizability}, {@code centre_patches},
 * {@code alpha: "auto"}), checked against the suite's ranking with the same options.
 *
 * <pre>
 * benchmarks/node-bench.sh identification [--queries 1000|all] [--versions crop,mask,crop-realigned] [--num-candidates 200,10000]
 *     [--seed 20261123] [--clients 2] [--threads T] [--cache evaluation/target/eval-cache] [--docs docs|none] [--bulk-docs 50]
 *     [--rankings stage1,apc[,covered]]
 * </pre>
 */
public final class RestIdentification {
  static final String INDEX = "bench-identification";
  static final int K = 100;
  static final int WINDOW = 100;
  static final double ALPHA = 0.7;
  static final List<String> DEFAULT_VERSIONS = List.of("crop", "mask", "crop-realigned");

  /**
   * Queries whose in-process work and REST requests are done together (bounds the request bodies
   * held at once).
   */
  private static final int CHUNK = 64;

  /**
   * How a query's hits are ranked: by stage 1 alone, or re-ranked by {@code face_emd} with the
   * default or the covered-face options.
   */
  enum Ranking {
    STAGE_ONE("stage1", "stage 1"),
    APC("apc", "two stages"),
    COVERED("covered", "two stages, covered-face options");

    final String option;
    final String label;

    Ranking(String option, String label) {
      this.option = option;
      this.label = label;
    }

    static List<Ranking> parse(String list) {
      List<Ranking> out = new ArrayList<>();
      for (String name : list.split(",")) {
        Ranking found = null;
        for (Ranking r : values()) {
          found = r.option.equals(name.trim()) ? r : found;
        }
        if (found == null) {
          throw new IllegalArgumentException(
              "--rankings takes stage1, apc and covered, got [" + name + "]");
        }
        out.add(found);
      }
      return out;
    }

    SuiteQueries.Ranking of(SuiteQueries.Answer a) {
      return switch (this) {
        case STAGE_ONE -> a.stageOne();
        case APC -> a.twoStages();
        case COVERED -> a.coveredTwoStages();
      };
    }
  }

  private record Hits(int[] ids, float[] scores) {
    int top() {
      return ids.length == 0 ? -1 : ids[0];
    }

    float scoreOf(int g) {
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] == g) {
          return scores[i];
        }
      }
      return Float.NaN;
    }
  }

  /**
   * One query's rankings by the two paths; {@code largestFace}: the suite's query face is the one
   * the node keeps.
   */
  private record Pair(int query, SuiteQueries.Ranking suite, Hits rest, boolean largestFace) {}

  private RestIdentification() {}

  public static void main(String[] argv) throws Exception {
    Args args =
        new Args(
            argv,
            Set.of(
                "home",
                "port",
                "queries",
                "versions",
                "num-candidates",
                "seed",
                "clients",
                "threads",
                "cache",
                "docs",
                "bulk-docs",
                "rankings"));
    // 1000: the in-process suite's quick sample (the same seeded draw), so both runs' tables cover
    // the same queries.
    String queriesArg = args.string("queries", "1000");
    boolean full = queriesArg.equals("all");
    int sample = full ? 0 : args.positive("queries", 1000);
    List<String> versions =
        SuiteQueries.versions(args.string("versions", String.join(",", DEFAULT_VERSIONS)));
    List<Integer> numCandidates = args.integers("num-candidates", "200,10000");
    List<Ranking> rankings = Ranking.parse(args.string("rankings", "stage1,apc"));
    long seed = args.longValue("seed", SuiteQueries.defaultSeed());
    int clients = args.positive("clients", 2);
    int threads = args.positive("threads", Inputs.cores());
    Path cacheDir = args.path("cache", SuiteQueries.DEFAULT_CACHE);
    String docs = args.string("docs", "docs");
    int bulkDocs = args.positive("bulk-docs", 50);
    if (!docs.equals("none") && !Files.isDirectory(Path.of(docs))) {
      throw new IllegalArgumentException(
          "no docs folder at "
              + Path.of(docs).toAbsolutePath()
              + ": run from the repository root, or pass --docs none");
    }
    StringBuilder command = new StringBuilder("benchmarks/node-bench.sh identification");
    for (String a : argv) {
      command.append(' ').append(a);
    }
    int home = command.indexOf(" --home ");
    if (home >= 0) { // node-bench.sh adds --home first; the reader runs the command without it
      int end = command.indexOf(" ", home + 8);
      command.delete(home, end < 0 ? command.length() : end);
    }

    try (NodeClient node = NodeConnection.connect(args);
        SuiteQueries suite = SuiteQueries.open(cacheDir, threads, seed, System.out)) {
      List<Integer> queries = suite.queries(sample, seed);
      Log.line(
          "gallery: %d LFW images of %d people; %d queries (%s) x versions %s x num_candidates %s",
          suite.size(),
          suite.people(),
          queries.size(),
          full ? "all" : "seeded sample, seed " + seed,
          versions,
          numCandidates);
      GalleryCheck gallery = indexGallery(node, suite, bulkDocs);

      // key(version, num_candidates, stage) -> one Pair per query
      Map<String, List<Pair>> results = new LinkedHashMap<>();
      Map<String, Integer> noFace = new LinkedHashMap<>();
      double suiteSeconds = 0;
      double restSeconds = 0;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        for (int from = 0; from < queries.size(); from += CHUNK) {
          List<Integer> chunk = queries.subList(from, Math.min(queries.size(), from + CHUNK));
          long t0 = System.nanoTime();
          List<Future<List<SuiteQueries.Answer>>> pending = new ArrayList<>();
          for (int q : chunk) {
            pending.add(
                pool.submit(() -> suite.answer(q, versions, rankings.contains(Ranking.COVERED))));
          }
          List<List<SuiteQueries.Answer>> answers = new ArrayList<>();
          for (Future<List<SuiteQueries.Answer>> f : pending) {
            answers.add(f.get());
          }
          long t1 = System.nanoTime();
          suiteSeconds += (t1 - t0) / 1e9;
          restSeconds +=
              sendChunk(node, chunk, answers, numCandidates, rankings, clients, results, noFace);
          Log.line(
              "%d / %d queries: in process %.0f s, REST %.0f s",
              from + chunk.size(), queries.size(), suiteSeconds, restSeconds);
        }
      } finally {
        pool.shutdownNow();
      }
      node.request("DELETE", "/" + INDEX);

      String body =
          report(
              command.toString(),
              suite,
              queries.size(),
              full,
              seed,
              versions,
              numCandidates,
              rankings,
              results,
              noFace,
              gallery,
              suiteSeconds,
              restSeconds,
              clients);
      System.out.println();
      System.out.println(body);
      if (!docs.equals("none")) {
        // Other version lists get their own section, so that runs of each stay on the page.
        String id =
            "rest-identification-"
                + (full ? "full" : "quick")
                + (versions.equals(DEFAULT_VERSIONS) ? "" : "-" + String.join("-", versions))
                + (rankings.contains(Ranking.COVERED) ? "-covered" : "");
        Path page = Path.of(docs).resolve(DocSections.IDENTIFICATION_PAGE);
        SuiteQueries.writeDocSection(page, id, body);
        System.out.println("wrote section " + id + " of " + page);
      }
    }
  }

  /** How the gallery went in, and how the pipeline's faces compare with the suite's. */
  private record GalleryCheck(
      int viaPipeline,
      int direct,
      double maxAbsDifference,
      int differentFaces,
      double facesPerSecond) {}

  private static GalleryCheck indexGallery(NodeClient node, SuiteQueries suite, int bulkDocs)
      throws Exception {
    Gallery.createPipeline(node);
    Gallery.createIndex(node, INDEX, "float16", List.of("face.patches"));
    List<byte[]> bodies = new ArrayList<>();
    List<Integer> viaPipeline = new ArrayList<>();
    Base64.Encoder base64 = Base64.getEncoder();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int inBody = 0;
    for (int g = 0; g < suite.size(); g++) {
      if (suite.facesFound(g) == 0) {
        continue; // not in the suite's searchable gallery either
      }
      boolean pipeline = suite.facesFound(g) == 1;
      try (JsonGenerator j = Json.generator(out)) {
        j.writeStartObject();
        j.writeObjectFieldStart("index");
        j.writeStringField("_id", Integer.toString(g));
        if (pipeline) {
          j.writeStringField("pipeline", Gallery.PIPELINE);
        }
        j.writeEndObject();
        j.writeEndObject();
      }
      out.write('\n');
      try (JsonGenerator j = Json.generator(out)) {
        j.writeStartObject();
        j.writeStringField("person", suite.person(g));
        j.writeStringField("file", suite.name(g));
        if (pipeline) {
          j.writeStringField("photo", base64.encodeToString(Files.readAllBytes(suite.path(g))));
          viaPipeline.add(g);
        } else {
          j.writeObjectFieldStart("face");
          j.writeFieldName("embedding");
          Json.writeArray(j, suite.embedding(g));
          j.writeStringField("patches", base64.encodeToString(suite.patchBytes(g)));
          j.writeEndObject();
        }
        j.writeEndObject();
      }
      out.write('\n');
      if (++inBody == bulkDocs) {
        bodies.add(out.toByteArray());
        out.reset();
        inBody = 0;
      }
    }
    if (inBody > 0) {
      bodies.add(out.toByteArray());
    }
    Load.Result r = Load.run(node, "POST", "/" + INDEX + "/_bulk", bodies, NodeClient.NDJSON, 2);
    BulkAnswers answers = new BulkAnswers();
    for (byte[] a : r.answers()) {
      answers.add(a);
    }
    answers.check("gallery", 0); // a missing gallery face would change answers: none may fail
    double perSecond = answers.indexed() / (r.wallNanos() / 1e9);
    node.request("POST", "/" + INDEX + "/_forcemerge?max_num_segments=1");
    node.request("POST", "/" + INDEX + "/_refresh");
    long count = Json.at(node.request("GET", "/" + INDEX + "/_count"), "/count").asLong();
    Log.line(
        "gallery: %d documents (%d through the pipeline, %d with the suite's face given directly) at %.1f docs/s, force-merged",
        count, viaPipeline.size(), answers.indexed() - viaPipeline.size(), perSecond);

    // The pipeline's faces against the suite's: the same detector, aligner and models should give
    // the same embedding.
    double maxDiff = 0;
    int different = 0;
    for (int from = 0; from < viaPipeline.size(); from += 500) {
      ObjectNode mget = Json.object();
      ArrayNode ids = mget.putArray("ids");
      for (int g : viaPipeline.subList(from, Math.min(viaPipeline.size(), from + 500))) {
        ids.add(Integer.toString(g));
      }
      JsonNode docs =
          Json.at(
              node.request("POST", "/" + INDEX + "/_mget?_source_includes=face.embedding", mget),
              "/docs");
      for (JsonNode doc : docs) {
        int g = Integer.parseInt(Json.at(doc, "/_id").asText());
        JsonNode e = Json.at(doc, "/_source/face/embedding");
        float[] suiteEmbedding = suite.embedding(g);
        double dot = 0;
        for (int i = 0; i < suiteEmbedding.length; i++) {
          double v = e.get(i).asDouble();
          maxDiff = Math.max(maxDiff, Math.abs(v - suiteEmbedding[i]));
          dot += v * suiteEmbedding[i];
        }
        if (dot < 0.99) {
          different++;
          Log.line("pipeline face of %s differs from the suite's: cosine %.4f", suite.name(g), dot);
        }
      }
    }
    Log.line(
        "pipeline faces vs the suite's: largest embedding component difference %.2e; %d of %d with cosine < 0.99",
        maxDiff, different, viaPipeline.size());
    return new GalleryCheck(
        viaPipeline.size(),
        (int) (answers.indexed() - viaPipeline.size()),
        maxDiff,
        different,
        perSecond);
  }

  /**
   * Sends every request of a chunk and files each answer with the suite's; the seconds the requests
   * took.
   */
  private static double sendChunk(
      NodeClient node,
      List<Integer> chunk,
      List<List<SuiteQueries.Answer>> answers,
      List<Integer> numCandidates,
      List<Ranking> rankings,
      int clients,
      Map<String, List<Pair>> results,
      Map<String, Integer> noFace)
      throws Exception {
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    List<byte[]> bodies = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    List<Pair> pending = new ArrayList<>(); // the suite's side of each request
    for (int i = 0; i < chunk.size(); i++) {
      int q = chunk.get(i);
      for (SuiteQueries.Answer a : answers.get(i)) {
        if (a.stageOne() == null) {
          // The node, with the same detector, finds none either and answers 400: nothing to
          // compare.
          noFace.merge(a.version(), 1, Integer::sum);
          continue;
        }
        String image = Base64.getEncoder().encodeToString(png(a.image(), decoder));
        // A query's requests follow each other, so all but the first find its face in the node's
        // query-face cache.
        for (int nc : numCandidates) {
          for (Ranking ranking : rankings) {
            bodies.add(searchBody(q, image, a.aligned(), nc, ranking));
            keys.add(key(a.version(), nc, ranking));
            pending.add(new Pair(q, ranking.of(a), null, a.largestFace()));
          }
        }
      }
    }
    Load.Result r =
        Load.run(
            node, "POST", "/" + INDEX + "/_search", bodies, ContentType.APPLICATION_JSON, clients);
    for (int i = 0; i < bodies.size(); i++) {
      Pair p = pending.get(i);
      results
          .computeIfAbsent(keys.get(i), k -> new ArrayList<>())
          .add(new Pair(p.query(), p.suite(), hits(r.answers()[i]), p.largestFace()));
    }
    return r.wallNanos() / 1e9;
  }

  static String key(String version, int numCandidates, Ranking ranking) {
    return version + "|" + numCandidates + "|" + ranking.label;
  }

  private static byte[] searchBody(
      int q, String image, boolean aligned, int numCandidates, Ranking ranking) {
    ObjectNode body = Json.object();
    body.put("size", K);
    body.put("_source", false);
    ObjectNode face = body.putObject("query").putObject("face");
    face.put("field", "face")
        .put("image", image)
        .put("mode", aligned ? "aligned" : "detect")
        .put("k", K)
        .put("num_candidates", numCandidates)
        .put("on_unrecognizable_query", "ignore");
    // The suite's protocol: the query's own photo is never ranked.
    face.putObject("filter")
        .putObject("bool")
        .putObject("must_not")
        .putObject("ids")
        .putArray("values")
        .add(Integer.toString(q));
    if (ranking == Ranking.APC) {
      body.putObject("rescore")
          .put("window_size", WINDOW)
          .putObject("face_emd")
          .put("field", "face")
          .put("alpha", ALPHA)
          .put("weighting", "apc")
          .put("grid", "native");
    } else if (ranking == Ranking.COVERED) {
      body.putObject("rescore")
          .put("window_size", WINDOW)
          .putObject("face_emd")
          .put("field", "face")
          .put("alpha", "auto")
          .put("weighting", "recognizability")
          .put("centre_patches", true)
          .put("grid", "native");
    }
    return Json.bytes(body);
  }

  /** A lossless PNG of exactly the suite's pixels (checked by decoding it as the node does). */
  static byte[] png(RgbImage image, ImageDecoder decoder) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image.toBufferedImage(), "png", out)) {
        throw new IllegalStateException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] png = out.toByteArray();
    RgbImage back = decoder.decode(png);
    if (back.width() != image.width()
        || back.height() != image.height()
        || !Arrays.equals(back.pixels(), image.pixels())) {
      throw new IllegalStateException(
          "the PNG of a " + image + " query does not decode to the same pixels");
    }
    return png;
  }

  private static Hits hits(byte[] answer) {
    JsonNode hits = Json.at(Json.parse(answer), "/hits/hits");
    int[] ids = new int[hits.size()];
    float[] scores = new float[hits.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = Integer.parseInt(Json.at(hits.get(i), "/_id").asText());
      scores[i] = (float) Json.at(hits.get(i), "/_score").asDouble();
    }
    return new Hits(ids, scores);
  }

  private static String report(
      String command,
      SuiteQueries suite,
      int queries,
      boolean full,
      long seed,
      List<String> versions,
      List<Integer> numCandidates,
      List<Ranking> rankings,
      Map<String, List<Pair>> results,
      Map<String, Integer> noFace,
      GalleryCheck gallery,
      double suiteSeconds,
      double restSeconds,
      int clients) {
    StringBuilder b = new StringBuilder();
    b.append("### Identification through the REST API, ")
        .append(full ? "full" : "quick")
        .append(" run: ")
        .append(queries)
        .append(" queries per version\n\n");
    b.append("```bash\n").append(command).append("\n```\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Machine: %s; one local node (1 shard, 1 segment after a force-merge), %d concurrent clients; "
                + "%.0f s in process, %.0f s of REST requests.%n%n",
            Inputs.machine(),
            clients,
            suiteSeconds,
            restSeconds));
    b.append(
        String.format(
            Locale.ROOT,
            "Gallery: %d LFW images of %d people, ids = the suite's gallery index; %d photos with one face through the "
                + "`face_embedding` pipeline, %d photos with several faces indexed with the suite's face (nearest the image centre; the pipeline "
                + "keeps the largest) given directly as embedding and float16 patches. The pipeline's embeddings against the suite's: largest "
                + "component difference %.1e, %d with cosine under 0.99. Queries: %s of the suite's queries (seed %d), each version's image as a "
                + "lossless PNG of the suite's pixels, `face` query (`mode: aligned` for changed aligned crops, `detect` for photos; k %d, the query's own "
                + "photo filtered out, `on_unrecognizable_query: ignore`) "
                + "alone and with `face_emd` (window %d, alpha %.1f, apc, native grid%s). num_candidates 10000 makes Lucene score the whole "
                + "filtered gallery exactly, as the suite does; 200 is the default.%n%n",
            gallery.viaPipeline() + gallery.direct(),
            suite.people(),
            gallery.viaPipeline(),
            gallery.direct(),
            gallery.maxAbsDifference(),
            gallery.differentFaces(),
            full ? "all" : "a seeded sample",
            seed,
            K,
            WINDOW,
            ALPHA,
            rankings.contains(Ranking.COVERED)
                ? "; and with the covered-face options `weighting: recognizability`, `centre_patches: true`, "
                    + "`alpha: \"auto\"`, whose in-process ranking reads the occlusion evidence from the same aligned crop"
                : ""));
    b.append(
        "| version | num_candidates | ranking | queries | same first hit | P@1 REST | P@1 in process | score difference of the same first hit, max |\n");
    b.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    StringBuilder disagreements = new StringBuilder();
    for (String v : versions) {
      for (int nc : numCandidates) {
        for (Ranking ranking : rankings) {
          String key = key(v, nc, ranking);
          List<Pair> pairs = results.getOrDefault(key, List.of());
          int same = 0;
          int restRight = 0;
          int suiteRight = 0;
          double maxScoreDiff = 0;
          for (Pair p : pairs) {
            int s = p.suite().top();
            int r = p.rest().top();
            suiteRight += s >= 0 && suite.samePerson(s, p.query()) ? 1 : 0;
            restRight += r >= 0 && suite.samePerson(r, p.query()) ? 1 : 0;
            if (s == r) {
              same++;
              maxScoreDiff =
                  Math.max(maxScoreDiff, Math.abs(p.suite().scores()[0] - p.rest().scores()[0]));
            } else {
              disagreements.append(disagreement(suite, v, nc, ranking, p));
            }
          }
          int n = pairs.size();
          b.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %s | %d | %d (%.1f%%) | %.1f | %.1f | %.1e |%n",
                  SuiteQueries.label(v),
                  nc,
                  ranking.label,
                  n,
                  same,
                  100.0 * same / n,
                  100.0 * restRight / n,
                  100.0 * suiteRight / n,
                  maxScoreDiff));
        }
      }
    }
    b.append('\n');
    if (!noFace.isEmpty()) {
      b.append(
              "Queries left out because the suite found no face in them (the node, with the same detector, answers 400): ")
          .append(noFace)
          .append(".\n\n");
    }
    if (disagreements.isEmpty()) {
      b.append("No query's first hit differs.\n");
    } else {
      b.append(
          "Queries whose first hit differs (scores: in process / REST; the gap is the in-process score of its first hit minus that of "
              + "REST's first hit; - : not among that path's 100 hits):\n\n");
      b.append(
          "| version | num_candidates | ranking | query | first hit in process | its scores | first hit over REST | its scores | gap in process | gap over REST | query face |\n");
      b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
      b.append(disagreements);
    }
    return b.toString();
  }

  private static String disagreement(
      SuiteQueries suite, String version, int nc, Ranking ranking, Pair p) {
    int s = p.suite().top();
    int r = p.rest().top();
    float sIn = p.suite().scores()[0];
    float sRest = p.rest().scoreOf(s);
    float rRest = r < 0 ? Float.NaN : p.rest().scores()[0];
    float rIn = r < 0 ? Float.NaN : p.suite().scoreOf(r);
    return String.format(
        Locale.ROOT,
        "| %s | %d | %s | %s | %s%s | %s / %s | %s%s | %s / %s | %s | %s | %s |%n",
        version,
        nc,
        ranking.label,
        suite.name(p.query()),
        suite.name(s),
        suite.samePerson(s, p.query()) ? " (right)" : "",
        num(sIn),
        num(sRest),
        r < 0 ? "none" : suite.name(r),
        r >= 0 && suite.samePerson(r, p.query()) ? " (right)" : "",
        num(rIn),
        num(rRest),
        gap(sIn, rIn),
        gap(rRest, sRest),
        p.largestFace() ? "same" : "suite's is not the largest: the node encodes another face");
  }

  private static String num(float v) {
    return Float.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.6f", v);
  }

  private static String gap(float a, float b) {
    return Float.isNaN(a) || Float.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.1e", a - b);
  }
}
