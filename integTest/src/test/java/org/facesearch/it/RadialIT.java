package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.cli.NodeClient;
import org.facesearch.model.ModelPack;
import org.facesearch.model.PackDescriptor;
import org.facesearch.verification.VerificationCalibration;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The threshold form of the face query ({@code min_similarity}) on the real server, against a
 * brute-force scan done here: 2,000 faces in near-duplicate clusters on two shards; every face at
 * or above the threshold comes back (the total is exact), nothing below it, with filters and {@code
 * min_ers} inside the search, in pages by {@code search_after}; a false-match rate becomes the
 * installed pack's threshold, named in the {@code X-Face-Min-Similarity} header; the rescorer
 * re-ranks the best of them; bad thresholds are 400s.
 */
public class RadialIT extends RealNodeTestCase {

  private static final String INDEX = "radial-it";
  private static final int DIMS = 512;
  private static final int DOCS = 2000;
  private static float[][] vectors;
  private static float[][] people;

  @BeforeClass
  public static void gallery() {
    Random random = new Random(42);
    people = new float[20][];
    vectors = new float[DOCS][];
    for (int p = 0; p < people.length; p++) {
      people[p] = unit(random, null, 0);
    }
    // Faces 0..799: 40 of each person, around the person's centre (cosine about 0.7 to it); the
    // rest nobody's.
    for (int i = 0; i < DOCS; i++) {
      vectors[i] = i < 800 ? unit(random, people[i % people.length], 1.0f) : unit(random, null, 0);
    }
    assertEquals(
        200,
        node.call(
                "PUT",
                "/" + INDEX,
                "{\"settings\": {\"number_of_shards\": 2}, \"mappings\": {\"properties\": {"
                    + "\"face\": {\"type\": \"face\", \"dims\": "
                    + DIMS
                    + "}, \"n\": {\"type\": \"integer\"}, \"group\": {\"type\": \"keyword\"}}}}")
            .status());
    for (int from = 0; from < DOCS; from += 250) {
      StringBuilder bulk = new StringBuilder();
      for (int i = from; i < from + 250; i++) {
        bulk.append(
            "{\"index\": {\"_index\": \""
                + INDEX
                + "\", \"_id\": \""
                + i
                + "\"}}\n{\"n\": "
                + i
                + ", \"group\": \""
                + (i % 3 == 0 ? "a" : "b")
                + "\", \"face\": {\"ers\": "
                + (i % 10) / 10.0
                + ", \"embedding\": "
                + json(vectors[i])
                + "}}\n");
      }
      NodeClient.Answer answer = node.call("POST", "/_bulk", bulk.toString());
      assertEquals(200, answer.status());
      assertFalse(answer.text().substring(0, 300), answer.body().path("errors").asBoolean());
    }
    assertEquals(200, node.call("POST", "/" + INDEX + "/_refresh").status());
  }

  @AfterClass
  public static void cleanUp() {
    node.call("DELETE", "/" + INDEX);
  }

  private static float[] unit(Random random, float[] centre, float spread) {
    float[] v = new float[DIMS];
    for (int d = 0; d < DIMS; d++) {
      v[d] =
          (float) random.nextGaussian() * (centre == null ? 1 : spread / (float) Math.sqrt(DIMS))
              + (centre == null ? 0 : centre[d]);
    }
    return VectorUtil.l2normalize(v);
  }

  private static String json(float[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ",").append(v[i]);
    }
    return b.append("]").toString();
  }

  /**
   * The ids of the faces at or above {@code threshold} by exact scan (of those {@code keep}
   * admits).
   */
  private static Set<String> bruteForce(
      float[] q, double threshold, java.util.function.IntPredicate keep) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < DOCS; i++) {
      if (keep.test(i) && VectorUtil.dotProduct(q, vectors[i]) >= threshold) {
        out.add(Integer.toString(i));
      }
    }
    return out;
  }

  private static JsonNode search(String faceOptions, String extra) {
    NodeClient.Answer answer =
        node.call(
            "POST",
            "/" + INDEX + "/_search",
            "{\"size\": 10000, \"track_total_hits\": true, \"_source\": false,"
                + " \"query\": {\"face\": {\"field\": \"face\", "
                + faceOptions
                + "}}"
                + extra
                + "}");
    assertEquals(answer.text(), 200, answer.status());
    return answer.body().path("hits");
  }

  @Test
  public void everyFaceAtOrAboveTheThresholdComesBack() {
    long expected = 0;
    long found = 0;
    for (int q = 0; q < 15; q++) {
      float[] query = q < 10 ? people[q] : unit(new Random(q), null, 0);
      for (double threshold : new double[] {0.3, 0.5}) {
        Set<String> truth = bruteForce(query, threshold, i -> true);
        JsonNode hits =
            search("\"embedding\": " + json(query) + ", \"min_similarity\": " + threshold, "");
        assertEquals(hits.path("hits").size(), hits.path("total").path("value").asInt());
        for (JsonNode hit : hits.path("hits")) {
          String id = hit.path("_id").asText();
          assertTrue(
              "hit "
                  + id
                  + " (score "
                  + hit.path("_score")
                  + ") is below the threshold "
                  + threshold,
              truth.contains(id));
          assertEquals(
              VectorUtil.dotProduct(query, vectors[Integer.parseInt(id)]),
              hit.path("_score").asDouble(),
              1e-5);
          found++;
        }
        expected += truth.size();
      }
    }
    assertTrue("the thresholds select faces: " + expected, expected > 500);
    assertTrue(
        String.format(Locale.ROOT, "recall %d of %d", found, expected), found >= 0.99 * expected);
  }

  @Test
  public void filtersAndMinErsApplyInsideTheSearch() {
    float[] query = people[3];
    Set<String> truth = bruteForce(query, 0.3, i -> i % 3 == 0 && (i % 10) / 10.0 >= 0.5);
    JsonNode hits =
        search(
            "\"embedding\": "
                + json(query)
                + ", \"min_similarity\": 0.3, \"min_ers\": 0.5, \"filter\": {\"term\": {\"group\": \"a\"}}",
            "");
    Set<String> found = new HashSet<>();
    hits.path("hits").forEach(h -> found.add(h.path("_id").asText()));
    assertEquals(truth, found);
  }

  @Test
  public void pagesBySearchAfterCoverEveryFaceOnce() {
    float[] query = people[5];
    Set<String> truth = bruteForce(query, 0.3, i -> true);
    Set<String> seen = new HashSet<>();
    String after = "";
    for (int page = 0; page < 100; page++) {
      NodeClient.Answer answer =
          node.call(
              "POST",
              "/" + INDEX + "/_search",
              "{\"size\": 7, \"_source\": false, \"query\": {\"face\": {"
                  + "\"field\": \"face\", \"embedding\": "
                  + json(query)
                  + ", \"min_similarity\": 0.3}}, \"sort\": [{\"_score\": \"desc\"}, {\"n\": \"asc\"}]"
                  + after
                  + "}");
      assertEquals(answer.text(), 200, answer.status());
      JsonNode hits = answer.body().path("hits").path("hits");
      if (hits.isEmpty()) {
        break;
      }
      for (JsonNode hit : hits) {
        assertTrue("seen once: " + hit.path("_id"), seen.add(hit.path("_id").asText()));
      }
      after = ", \"search_after\": " + hits.get(hits.size() - 1).path("sort");
    }
    assertEquals(truth, seen);
  }

  /** The installed pack's verification calibration, as the build fetched it. */
  private static VerificationCalibration calibration() {
    PackDescriptor pack =
        ModelPack.load(Path.of(System.getProperty("face.model.dir")), "default").descriptor();
    return pack.verification();
  }

  @Test
  public void aFalseMatchRateBecomesThePacksThresholdNamedInAHeader() throws Exception {
    VerificationCalibration.Point point =
        calibration().points().stream().filter(p -> p.fmr() == 1e-3).findFirst().orElseThrow();
    float[] query = people[7];
    NodeClient.Raw raw =
        node.exchange(
            "POST",
            "/" + INDEX + "/_search",
            "{\"size\": 10000, \"_source\": false, \"query\": {\"face\": {"
                + "\"field\": \"face\", \"embedding\": "
                + json(query)
                + ", \"min_similarity\": {\"fmr\": 1e-3}}}}",
            Map.of());
    assertEquals(200, raw.status());
    assertEquals(
        "field=face; fmr=1e-3; min_similarity="
            + (float) point.threshold()
            + "; model=default@0.0.1",
        raw.header("X-Face-Min-Similarity"));
    JsonNode hits = org.facesearch.cli.Json.parse(raw.body()).path("hits").path("hits");
    Set<String> found = new HashSet<>();
    hits.forEach(h -> found.add(h.path("_id").asText()));
    assertEquals(bruteForce(query, (float) point.threshold(), i -> true), found);
  }

  @Test
  public void badThresholdsAreRefused() {
    String q =
        "{\"query\": {\"face\": {\"field\": \"face\", \"embedding\": " + json(people[0]) + ", ";
    assertBadRequest(
        "give [k] (the nearest faces) or [min_similarity] (every face at least that similar), not both",
        q + "\"k\": 5, \"min_similarity\": 0.4}}}");
    assertBadRequest(
        "[min_similarity] must be a cosine between -1 and 1, got [1.5]",
        q + "\"min_similarity\": 1.5}}}");
    assertBadRequest(
        "[min_similarity] false-match rate 1e-9 is outside the calibrated range "
            + calibration().range()
            + " of model [default@0.0.1]",
        q + "\"min_similarity\": {\"fmr\": 1e-9}}}}");
    assertBadRequest(
        "[min_similarity] takes only [fmr] (a false-match rate), got [far]",
        q + "\"min_similarity\": {\"far\": 0.001}}}}");
  }

  private static void assertBadRequest(String reasonContains, String body) {
    NodeClient.Answer answer = node.call("POST", "/" + INDEX + "/_search", body);
    assertEquals(answer.text(), 400, answer.status());
    assertTrue(answer.text(), answer.text().contains(reasonContains));
  }

  @Test
  public void stageTwoReRanksTheBestOfThem() throws Exception {
    String photos = INDEX + "-photos";
    assertEquals(
        200,
        node.call(
                "PUT",
                "/_ingest/pipeline/" + photos,
                "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": true}}]}")
            .status());
    try {
      assertEquals(
          200,
          node.call(
                  "PUT",
                  "/" + photos,
                  "{\"mappings\": {\"properties\": {\"face\": {\"type\": \"face\"}}}}")
              .status());
      StringBuilder bulk = new StringBuilder();
      for (String[] p :
          List.of(
              new String[] {"Colin_Powell", "1"},
              new String[] {"Colin_Powell", "2"},
              new String[] {"Tony_Blair", "1"},
              new String[] {"George_W_Bush", "1"})) {
        bulk.append(
            "{\"index\": {\"_index\": \""
                + photos
                + "\", \"_id\": \""
                + p[0]
                + "_"
                + p[1]
                + "\"}}\n{\"photo\": \""
                + lfwBase64(p[0], Integer.parseInt(p[1]))
                + "\"}\n");
      }
      NodeClient.Answer indexed =
          node.call("POST", "/_bulk?refresh=true&pipeline=" + photos, bulk.toString());
      assertFalse(indexed.text(), indexed.body().path("errors").asBoolean());
      NodeClient.Answer answer =
          node.call(
              "POST",
              "/" + photos + "/_search",
              "{\"query\": {\"face\": {\"field\": \"face\", \"image\": \""
                  + lfwBase64("Colin_Powell", 3)
                  + "\", \"min_similarity\": {\"fmr\": 1e-4}}}, \"rescore\": {\"window_size\": 10, \"face_emd\": {"
                  + "\"field\": \"face\", \"flows\": 1}}}");
      assertEquals(answer.text(), 200, answer.status());
      JsonNode hits = answer.body().path("hits").path("hits");
      Set<String> ids = new HashSet<>();
      for (JsonNode hit : hits) {
        ids.add(hit.path("_id").asText());
        JsonNode terms = hit.path("fields").path("_face_emd").path(0);
        assertTrue("re-ranked: " + hit, terms.has("emd"));
        assertTrue(
            "stage-1 cosine at or above the threshold: " + hit,
            terms.path("cosine").asDouble() >= calibration().threshold(1e-4) - 1e-6);
      }
      assertEquals(
          "the two other photos of Colin Powell, nobody else",
          Set.of("Colin_Powell_1", "Colin_Powell_2"),
          ids);
    } finally {
      node.call("DELETE", "/" + photos);
      node.call("DELETE", "/_ingest/pipeline/" + photos);
    }
  }
}
