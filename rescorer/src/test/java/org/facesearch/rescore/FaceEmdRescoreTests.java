package org.facesearch.rescore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.facesearch.field.FaceDocs;
import org.facesearch.field.FieldTestPlugin;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.search.SearchPhaseExecutionException;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.plugins.Plugin;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchSingleNodeTestCase;

/**
 * Stage 2 on a real in-JVM node: the final order and scores equal alpha * EMD + (1 - alpha) *
 * cosine computed here with an independent double-precision Sinkhorn, whatever the shard layout.
 */
public class FaceEmdRescoreTests extends OpenSearchSingleNodeTestCase {

  private static final int DIMS = 16;
  private static final int ROWS = 3;
  private static final int COLS = 3;
  private static final int PATCH_DIMS = 8;
  private static final int DOCS = 40;

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(FieldTestPlugin.class, RescorerTestPlugin.class);
  }

  private final Random random = new Random(99);
  private final Map<String, float[]> embeddings = new HashMap<>();
  private final Map<String, PatchMap> patchMaps = new HashMap<>();
  private float[] queryEmbedding;
  private PatchMap queryPatches;

  @Override
  public void setUp() throws Exception {
    super.setUp();
    for (int i = 0; i < DOCS; i++) {
      embeddings.put(Integer.toString(i), FaceDocs.unitVector(random, DIMS));
      patchMaps.put(Integer.toString(i), randomMap(random));
    }
    queryEmbedding = FaceDocs.unitVector(random, DIMS);
    queryPatches = randomMap(random);
    createGallery("one", 1);
    createGallery("three", 3);
  }

  private void createGallery(String index, int shards) throws IOException {
    client()
        .admin()
        .indices()
        .prepareCreate(index)
        .setSettings(Settings.builder().put("index.number_of_shards", shards))
        .setMapping(
            "{\"properties\": {\"face\": {\"type\": \"face\", \"dims\": "
                + DIMS
                + ", \"patch_grid\": ["
                + ROWS
                + ", "
                + COLS
                + "], \"patch_dims\": "
                + PATCH_DIMS
                + ", \"patch_encoding\": \"float32\"}, \"kind\": {\"type\": \"keyword\"}}}")
        .get();
    BulkRequestBuilder bulk = client().prepareBulk();
    for (int i = 0; i < DOCS; i++) {
      String id = Integer.toString(i);
      XContentBuilder doc =
          XContentFactory.jsonBuilder()
              .startObject()
              .startObject("face")
              .array("embedding", embeddings.get(id))
              .field(
                  "patches",
                  Base64.getEncoder()
                      .encodeToString(PatchEncoding.FLOAT32.encode(patchMaps.get(id))))
              .endObject()
              .field("kind", i % 2 == 0 ? "even" : "odd")
              .endObject();
      bulk.add(client().prepareIndex(index).setId(id).setSource(doc));
    }
    bulk.add(
        client()
            .prepareIndex(index)
            .setId("no-face")
            .setSource("{\"kind\": \"even\"}", XContentType.JSON));
    assertFalse(bulk.get().hasFailures());
    client().admin().indices().prepareRefresh(index).get();
  }

  private static PatchMap randomMap(Random random) {
    float[] chw = new float[PATCH_DIMS * ROWS * COLS];
    for (int i = 0; i < chw.length; i++) {
      // A shared positive component makes faces alike enough for APC weights to be positive.
      chw[i] = (float) random.nextGaussian() + (i / (ROWS * COLS) == 0 ? 2f : 0f);
    }
    return PatchMap.fromChannelMajor(chw, PATCH_DIMS, ROWS, COLS);
  }

  // ---- the independent computation (docs/algorithms.md section 3, double precision, plain loops)
  // ----

  private static double dot(float[] a, int ao, float[] b, int bo, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (double) a[ao + i] * b[bo + i];
    }
    return s;
  }

  private static double[] normalised(double[] w) {
    double sum = 0;
    for (double x : w) {
      sum += x;
    }
    double[] out = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      out[i] = w[i] / (sum + 1e-7);
    }
    return out;
  }

  /** EMD similarity of gallery g against query q, converged far below the rescorer's tolerance. */
  static double referenceEmd(PatchMap g, PatchMap q, String weighting) {
    return referenceEmd(g, q, weighting, false);
  }

  /** Each cell minus the face's mean cell, renormalised (centre_patches), in double. */
  private static double[][] centredCells(PatchMap f) {
    int n = f.size();
    double[] mean = new double[PATCH_DIMS];
    for (int a = 0; a < n; a++) {
      for (int d = 0; d < PATCH_DIMS; d++) {
        mean[d] += f.cells()[a * PATCH_DIMS + d] / (double) n;
      }
    }
    double[][] out = new double[n][PATCH_DIMS];
    for (int a = 0; a < n; a++) {
      double sq = 0;
      for (int d = 0; d < PATCH_DIMS; d++) {
        out[a][d] = f.cells()[a * PATCH_DIMS + d] - mean[d];
        sq += out[a][d] * out[a][d];
      }
      for (int d = 0; d < PATCH_DIMS; d++) {
        out[a][d] /= Math.sqrt(sq);
      }
    }
    return out;
  }

  static double referenceEmd(PatchMap g, PatchMap q, String weighting, boolean centred) {
    int n = g.size();
    double[][] s = new double[n][n];
    double[][] gc = centred ? centredCells(g) : null;
    double[][] qc = centred ? centredCells(q) : null;
    for (int a = 0; a < n; a++) {
      for (int m = 0; m < n; m++) {
        if (centred) {
          for (int d = 0; d < PATCH_DIMS; d++) {
            s[a][m] += gc[a][d] * qc[m][d];
          }
        } else {
          s[a][m] = dot(g.cells(), a * PATCH_DIMS, q.cells(), m * PATCH_DIMS, PATCH_DIMS);
        }
      }
    }
    double[] u = new double[n];
    double[] v = new double[n];
    float[] cq = q.centre();
    float[] cg = g.centre();
    for (int i = 0; i < n; i++) {
      if (weighting.equals("apc")) {
        u[i] = Math.max(0, dot(cq, 0, g.cells(), i * PATCH_DIMS, PATCH_DIMS));
        v[i] = Math.max(0, dot(cg, 0, q.cells(), i * PATCH_DIMS, PATCH_DIMS));
      } else {
        u[i] = 1.0 / n;
        v[i] = 1.0 / n;
      }
    }
    u = normalised(u);
    v = normalised(v);
    double[][] k = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int m = 0; m < n; m++) {
        k[a][m] = Math.exp(-(1 - s[a][m]) / 0.05);
      }
    }
    double[] r = new double[n];
    double[] c = new double[n];
    java.util.Arrays.fill(r, 1);
    java.util.Arrays.fill(c, 1);
    for (int it = 0; it < 200_000; it++) {
      for (int a = 0; a < n; a++) {
        double kc = 0;
        for (int m = 0; m < n; m++) {
          kc += k[a][m] * c[m];
        }
        r[a] = u[a] / kc;
      }
      for (int m = 0; m < n; m++) {
        double kr = 0;
        for (int a = 0; a < n; a++) {
          kr += k[a][m] * r[a];
        }
        c[m] = v[m] / kr;
      }
      double err = 0;
      for (int a = 0; a < n; a++) {
        double row = 0;
        for (int m = 0; m < n; m++) {
          row += r[a] * k[a][m] * c[m];
        }
        err = Math.max(err, Math.abs(row - u[a]));
      }
      if (err < 1e-10) {
        break;
      }
    }
    double emd = 0;
    for (int a = 0; a < n; a++) {
      for (int m = 0; m < n; m++) {
        emd += r[a] * k[a][m] * c[m] * s[a][m];
      }
    }
    return emd;
  }

  private double expectedScore(String id, String weighting, double alpha) {
    double cosine = dot(queryEmbedding, 0, embeddings.get(id), 0, DIMS);
    return alpha * referenceEmd(patchMaps.get(id), queryPatches, weighting) + (1 - alpha) * cosine;
  }

  // ---- requests ----

  private String faceInput() {
    StringBuilder e = new StringBuilder("[");
    for (int i = 0; i < DIMS; i++) {
      e.append(i == 0 ? "" : ", ").append(queryEmbedding[i]);
    }
    return "\"embedding\": "
        + e
        + "], \"patches\": \""
        + Base64.getEncoder().encodeToString(PatchEncoding.FLOAT32.encode(queryPatches))
        + "\"";
  }

  private SearchResponse search(String index, String body) throws IOException {
    return client()
        .prepareSearch(index)
        .setSource(
            org.opensearch.search.builder.SearchSourceBuilder.fromXContent(
                createParser(XContentType.JSON.xContent(), body)))
        .get();
  }

  private String twoStages(int k, int window, String weighting, double alpha) {
    return "{\"size\": "
        + k
        + ", \"query\": {\"face\": {\"field\": \"face\", "
        + faceInput()
        + ", \"k\": "
        + k
        + ", \"num_candidates\": "
        + DOCS
        + "}},"
        + " \"rescore\": {\"window_size\": "
        + window
        + ", \"face_emd\": {\"field\": \"face\", \"weighting\": \""
        + weighting
        + "\", \"alpha\": "
        + alpha
        + ", \"tolerance\": 1e-7, \"max_iterations\": 10000}}}";
  }

  public void testWindowIsReRankedByTheFormulaAndTheRestKeepsStageOneOrder() throws IOException {
    for (String weighting : List.of("uniform", "apc")) {
      SearchResponse stage1 =
          search(
              "one",
              "{\"size\": 20, \"query\": {\"face\": {\"field\": \"face\", "
                  + faceInput()
                  + ", \"k\": 20, \"num_candidates\": "
                  + DOCS
                  + "}}}");
      List<String> stage1Order = new ArrayList<>();
      for (SearchHit hit : stage1.getHits().getHits()) {
        stage1Order.add(hit.getId());
      }
      SearchResponse both = search("one", twoStages(20, 10, weighting, 0.7));
      List<String> window = new ArrayList<>(stage1Order.subList(0, 10));
      window.sort(Comparator.comparingDouble(id -> -expectedScore(id, weighting, 0.7)));
      SearchHit[] hits = both.getHits().getHits();
      assertEquals(20, hits.length);
      for (int i = 0; i < 10; i++) {
        assertEquals(weighting + " rank " + i, window.get(i), hits[i].getId());
        assertEquals(
            weighting + " score of " + hits[i].getId(),
            expectedScore(hits[i].getId(), weighting, 0.7),
            hits[i].getScore(),
            1e-4);
      }
      for (int i = 10; i < 20; i++) {
        assertEquals("below the window, stage-1 order", stage1Order.get(i), hits[i].getId());
        assertTrue(hits[i].getScore() < hits[9].getScore());
      }
    }
  }

  public void testAutoAlphaRecognizabilityAndCentringOnAQueryWithoutAnImage() throws IOException {
    // An embedding query has no image, so no occlusion evidence: alpha auto is its base 0.3 and
    // recognizability weighs every cell alike (uniform); the similarities are centred.
    String body =
        "{\"size\": 20, \"query\": {\"face\": {\"field\": \"face\", "
            + faceInput()
            + ", \"k\": 20, \"num_candidates\": "
            + DOCS
            + "}}, \"rescore\": {\"window_size\": 20, \"face_emd\": {\"field\": \"face\", \"weighting\": \"recognizability\", \"alpha\": \"auto\","
            + " \"centre_patches\": true, \"tolerance\": 1e-7, \"max_iterations\": 10000}}}";
    SearchHit[] hits = search("three", body).getHits().getHits();
    assertEquals(20, hits.length);
    for (int i = 0; i < hits.length; i++) {
      String id = hits[i].getId();
      double cosine = dot(queryEmbedding, 0, embeddings.get(id), 0, DIMS);
      double expected =
          0.3 * referenceEmd(patchMaps.get(id), queryPatches, "uniform", true) + 0.7 * cosine;
      assertEquals(id, expected, hits[i].getScore(), 1e-4);
      if (i > 0) {
        assertTrue(hits[i - 1].getScore() >= hits[i].getScore());
      }
    }
  }

  public void testScoresDoNotDependOnShardLayout() throws IOException {
    SearchResponse one = search("one", twoStages(DOCS, DOCS, "apc", 0.7));
    SearchResponse three = search("three", twoStages(DOCS, DOCS, "apc", 0.7));
    assertEquals(DOCS, one.getHits().getHits().length);
    Map<String, Float> scores = new HashMap<>();
    for (SearchHit hit : one.getHits().getHits()) {
      scores.put(hit.getId(), hit.getScore());
    }
    for (SearchHit hit : three.getHits().getHits()) {
      assertEquals(hit.getId(), scores.get(hit.getId()), hit.getScore(), 0f);
    }
    for (int i = 0; i < DOCS; i++) {
      assertEquals(one.getHits().getAt(i).getId(), three.getHits().getAt(i).getId());
    }
  }

  public void testWorksAfterAnyStageOneQueryWithItsOwnQueryFace() throws IOException {
    SearchResponse response =
        search(
            "one",
            "{\"size\": 50, \"query\": {\"term\": {\"kind\": \"even\"}}, \"rescore\": {\"window_size\": 50,"
                + " \"face_emd\": {\"field\": \"face\", "
                + faceInput()
                + ", \"weighting\": \"uniform\", \"alpha\": 0.5, \"tolerance\": 1e-7,"
                + " \"max_iterations\": 10000}}}");
    SearchHit[] hits = response.getHits().getHits();
    assertEquals(DOCS / 2 + 1, hits.length);
    for (int i = 0; i < DOCS / 2; i++) {
      assertEquals(expectedScore(hits[i].getId(), "uniform", 0.5), hits[i].getScore(), 1e-4);
      if (i > 0) {
        assertTrue(hits[i - 1].getScore() >= hits[i].getScore());
      }
    }
    assertEquals(
        "the document without a face goes below the re-ranked ones",
        "no-face",
        hits[DOCS / 2].getId());
  }

  public void testExplainShowsBothTermsWeightingAndFlows() throws IOException {
    SearchResponse response =
        client()
            .prepareSearch("one")
            .setExplain(true)
            .setSource(
                org.opensearch.search.builder.SearchSourceBuilder.fromXContent(
                        createParser(XContentType.JSON.xContent(), twoStages(3, 3, "apc", 0.7)))
                    .explain(true))
            .get();
    String explanation = response.getHits().getAt(0).getExplanation().toString();
    for (String expected :
        List.of(
            "alpha * EMD + (1 - alpha) * cosine",
            "EMD similarity (weighting",
            "apc",
            "cosine similarity",
            "alpha",
            "flow: query patch (")) {
      assertTrue(explanation, explanation.contains(expected));
    }
  }

  public void testFlowsComeBackWithEachHitAndExplainWorksOnSeveralShards() throws IOException {
    String body =
        twoStages(5, 5, "apc", 0.7)
            .replace("\"max_iterations\": 10000", "\"max_iterations\": 10000, \"flows\": 3");
    SearchResponse response =
        client()
            .prepareSearch("three")
            .setSource(
                org.opensearch.search.builder.SearchSourceBuilder.fromXContent(
                        createParser(XContentType.JSON.xContent(), body))
                    .explain(true))
            .get();
    for (SearchHit hit : response.getHits().getHits()) {
      Map<String, Object> terms = (Map<String, Object>) hit.field("_face_emd").getValue();
      List<?> flows = (List<?>) terms.get("flows");
      assertEquals(3, flows.size());
      double previous = Double.MAX_VALUE;
      for (Object f : flows) {
        double mass = ((Number) ((Map<String, Object>) f).get("mass")).doubleValue();
        assertTrue("flows strongest first", mass <= previous);
        previous = mass;
      }
      assertEquals(hit.getScore(), ((Number) terms.get("score")).floatValue(), 1e-5f);
      assertEquals(expectedScore(hit.getId(), "apc", 0.7), hit.getScore(), 1e-4);
      assertTrue(
          hit.getExplanation().toString(),
          hit.getExplanation().toString().contains("alpha * EMD + (1 - alpha) * cosine"));
    }
  }

  public void testBadRescoreRequestsAreRefusedNamingTheProblem() {
    String query = "\"query\": {\"face\": {\"field\": \"face\", " + faceInput() + "}}";
    assertBadRequest(
        "[weighting] must be one of",
        "{"
            + query
            + ", \"rescore\": {\"face_emd\": {\"field\": \"face\", \"weighting\": \"best\"}}}");
    assertBadRequest(
        "[alpha] must be in [0, 1]",
        "{" + query + ", \"rescore\": {\"face_emd\": {\"field\": \"face\", \"alpha\": 1.5}}}");
    assertBadRequest(
        "[alpha] must be a number in [0, 1] or \"auto\"",
        "{"
            + query
            + ", \"rescore\": {\"face_emd\": {\"field\": \"face\", \"alpha\": \"automatic\"}}}");
    assertBadRequest(
        "[face_emd]: unknown field [beta]",
        "{" + query + ", \"rescore\": {\"face_emd\": {\"field\": \"face\", \"beta\": 1}}}");
    assertBadRequest(
        "window_size",
        "{" + query + ", \"rescore\": {\"window_size\": 0, \"face_emd\": {\"field\": \"face\"}}}");
    assertBadRequest(
        "Rescore window [20000] is too large",
        "{"
            + query
            + ", \"rescore\": {\"window_size\": 20000, \"face_emd\": {\"field\": \"face\"}}}");
    assertBadRequest(
        "is of type [keyword], not [face]",
        "{\"query\": {\"match_all\": {}}, \"rescore\": {\"face_emd\": {\"field\": \"kind\", "
            + faceInput()
            + "}}}");
    assertBadRequest(
        "[face_emd] needs the query face",
        "{\"query\": {\"match_all\": {}}, \"rescore\": {\"face_emd\": {\"field\": \"face\"}}}");
  }

  private void assertBadRequest(String expected, String body) {
    Exception e = expectThrows(Exception.class, () -> search("one", body));
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
      if (t instanceof SearchPhaseExecutionException s) {
        for (var failure : s.shardFailures()) {
          all.append(failure.reason()).append(" | ");
        }
      }
    }
    assertTrue(
        "'" + all + "' should contain '" + expected + "'", all.toString().contains(expected));
    assertEquals(all.toString(), 400, org.opensearch.ExceptionsHelper.status(e).getStatus());
  }
}
