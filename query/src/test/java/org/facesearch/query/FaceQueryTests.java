package org.facesearch.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.facesearch.field.FaceDocs;
import org.facesearch.field.FieldTestPlugin;
import org.facesearch.queryface.FaceInput;
import org.facesearch.queryface.QueryFaces;
import org.facesearch.testing.TestData;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.search.SearchPhaseExecutionException;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginsService;
import org.opensearch.search.SearchHit;
import org.opensearch.test.OpenSearchSingleNodeTestCase;

/** Stage 1 by embedding on a real in-JVM node, against a brute-force cosine ranking. */
public class FaceQueryTests extends OpenSearchSingleNodeTestCase {

  private static final int DIMS = 32;
  private static final int DOCS = 300;

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(FieldTestPlugin.class, QueryTestPlugin.class);
  }

  private final Random random = new Random(1234);
  private final List<float[]> vectors = new ArrayList<>();

  @Override
  public void setUp() throws Exception {
    super.setUp();
    client()
        .admin()
        .indices()
        .prepareCreate("gallery")
        .setSettings(Settings.builder().put("index.number_of_shards", 1))
        .setMapping(
            "{\"properties\": {\"face\": {\"type\": \"face\", \"dims\": "
                + DIMS
                + ", \"embedding_encoding\": \"int8\"}, \"group\": {\"type\": \"keyword\"}}}")
        .get();
    BulkRequestBuilder bulk = client().prepareBulk();
    for (int i = 0; i < DOCS; i++) {
      float[] v = FaceDocs.unitVector(random, DIMS);
      vectors.add(v);
      XContentBuilder doc =
          XContentFactory.jsonBuilder()
              .startObject()
              .startObject("face")
              .array("embedding", v)
              .field("ers", (i % 10) / 10f)
              .endObject()
              .field("group", i % 7 == 0 ? "rare" : "common")
              .endObject();
      bulk.add(client().prepareIndex("gallery").setId(Integer.toString(i)).setSource(doc));
    }
    assertFalse(bulk.get().hasFailures());
    client().admin().indices().prepareRefresh("gallery").get();
  }

  /** Ids of docs matching the predicate, best cosine first, computed here by brute force. */
  private List<Integer> bruteForce(float[] query, java.util.function.IntPredicate keep, int k) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < DOCS; i++) {
      if (keep.test(i)) {
        ids.add(i);
      }
    }
    ids.sort(Comparator.comparingDouble((Integer i) -> -TestData.dot(query, vectors.get(i))));
    return ids.subList(0, Math.min(k, ids.size()));
  }

  private FaceQueryBuilder query(float[] embedding) {
    QueryFaces faces =
        getInstanceFromNode(PluginsService.class)
            .filterPlugins(QueryTestPlugin.class)
            .get(0)
            .queryFaces();
    return new FaceQueryBuilder("face", FaceInput.ofEmbedding(embedding, null), faces);
  }

  public void testRanksExactlyAsBruteForceCosineWithScoresEqualToTheCosine() {
    for (int q = 0; q < 5; q++) {
      float[] target = FaceDocs.unitVector(random, DIMS);
      SearchResponse response =
          client()
              .prepareSearch("gallery")
              .setQuery(query(target).k(10).numCandidates(DOCS))
              .setSize(10)
              .get();
      List<Integer> expected = bruteForce(target, i -> true, 10);
      SearchHit[] hits = response.getHits().getHits();
      assertEquals(10, hits.length);
      for (int i = 0; i < 10; i++) {
        int id = Integer.parseInt(hits[i].getId());
        assertEquals("rank " + i, expected.get(i).intValue(), id);
        assertEquals(TestData.dot(target, vectors.get(id)), hits[i].getScore(), 1e-5);
      }
    }
  }

  public void testFilterIsAppliedInsideTheGraphSearch() {
    float[] target = FaceDocs.unitVector(random, DIMS);
    // Only 1 doc in 7 is "rare": a post-filter on the 10 nearest would keep about 1 or 2 of them.
    SearchResponse response =
        client()
            .prepareSearch("gallery")
            .setQuery(
                query(target)
                    .k(10)
                    .numCandidates(50)
                    .filter(QueryBuilders.termQuery("group", "rare")))
            .setSize(10)
            .get();
    List<Integer> expected = bruteForce(target, i -> i % 7 == 0, 10);
    assertEquals(10, response.getHits().getHits().length);
    for (int i = 0; i < 10; i++) {
      assertEquals(
          expected.get(i).intValue(), Integer.parseInt(response.getHits().getAt(i).getId()));
    }
  }

  public void testMinErsKeepsOnlyRecognizableGalleryFaces() {
    float[] target = FaceDocs.unitVector(random, DIMS);
    SearchResponse response =
        client()
            .prepareSearch("gallery")
            .setQuery(query(target).k(20).numCandidates(DOCS).minErs(0.7f))
            .setSize(20)
            .get();
    List<Integer> expected = bruteForce(target, i -> (i % 10) / 10f >= 0.7f, 20);
    assertEquals(20, response.getHits().getHits().length);
    for (int i = 0; i < 20; i++) {
      assertEquals(
          expected.get(i).intValue(), Integer.parseInt(response.getHits().getAt(i).getId()));
    }
  }

  public void testBoostMultipliesTheCosine() {
    float[] target = FaceDocs.unitVector(random, DIMS);
    SearchResponse plain =
        client().prepareSearch("gallery").setQuery(query(target).k(3).numCandidates(DOCS)).get();
    SearchResponse boosted =
        client()
            .prepareSearch("gallery")
            .setQuery(query(target).k(3).numCandidates(DOCS).boost(2f))
            .get();
    assertEquals(
        plain.getHits().getAt(0).getScore() * 2f, boosted.getHits().getAt(0).getScore(), 1e-6f);
  }

  public void testBadQueriesAreRefusedNamingTheProblem() throws IOException {
    assertBadRequest(
        "has 3 values but [face] has 32 dims",
        "{\"face\": {\"field\": \"face\", \"embedding\": [1, 2, 3]}}");
    assertBadRequest(
        "[embedding] value [1] is not finite: NaN",
        "{\"face\": {\"field\": \"face\", \"embedding\": [1, \"NaN\"]}}");
    assertBadRequest(
        "[face] query: unknown field [colour]",
        "{\"face\": {\"field\": \"face\", \"embedding\": [1], \"colour\": 1}}");
    assertBadRequest(
        "[face] query: [image] must be a string (a base64 photo or a data: URI), got an array",
        "{\"face\": {\"field\": \"face\", \"image\": [\"AAAA\"]}}");
    assertBadRequest(
        "[face] query: [field] must be a string, got null",
        "{\"face\": {\"field\": null, \"embedding\": [1]}}");
    assertBadRequest(
        "field [group] is of type [keyword], not [face]",
        "{\"face\": {\"field\": \"group\", \"embedding\": [1]}}");
    assertBadRequest(
        "[num_candidates] (5) must be at least [k] (10)",
        "{\"face\": {\"field\": \"face\", \"embedding\": [1], \"k\": 10, \"num_candidates\": 5}}");
    assertBadRequest(
        "give only one of [embedding], [image] or [images]",
        "{\"face\": {\"field\": \"face\", \"embedding\": [1], \"image\": \"AAAA\"}}");
    assertBadRequest(
        "[min_ers] must be between 0 and 1",
        "{\"face\": {\"field\": \"face\", \"embedding\": [1], \"min_ers\": 2}}");
    assertBadRequest(
        "[on_unrecognizable_query] must be one of [error, empty, ignore]",
        "{\"face\": {\"field\": \"face\", \"embedding\": [1], \"on_unrecognizable_query\": \"maybe\"}}");
  }

  private void assertBadRequest(String expected, String queryJson) {
    Exception e =
        expectThrows(
            Exception.class,
            () ->
                client()
                    .prepareSearch("gallery")
                    .setQuery(QueryBuilders.wrapperQuery(queryJson))
                    .get());
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
    assertEquals(400, org.opensearch.ExceptionsHelper.status(e).getStatus());
  }
}
