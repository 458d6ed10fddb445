package org.facesearch.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.field.FieldTestPlugin;
import org.facesearch.queryface.FaceInput;
import org.facesearch.queryface.QueryFaces;
import org.facesearch.verification.VerificationCalibration;
import org.opensearch.ExceptionsHelper;
import org.opensearch.action.bulk.BulkRequestBuilder;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.XContentFactory;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginsService;
import org.opensearch.search.SearchHit;
import org.opensearch.search.sort.SortOrder;
import org.opensearch.test.OpenSearchSingleNodeTestCase;

/**
 * The threshold form of the face query on a real in-JVM node with two shards: the faces at or above
 * {@code min_similarity} are those a brute-force scan finds (the total is exact, however many), in
 * pages by {@code from} and by {@code search_after}; a false-match rate becomes the pack's
 * threshold; a rate outside the calibration is a 400 naming the range.
 */
public class FaceRadialSearchTests extends OpenSearchSingleNodeTestCase {

  private static final int DIMS = 512;
  private static final int DOCS = 1500;

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(FieldTestPlugin.class, QueryTestPlugin.class);
  }

  private FaceRadialQueryTests.Gallery gallery;

  @Override
  public void setUp() throws Exception {
    super.setUp();
    gallery = FaceRadialQueryTests.clusters(new Random(77), DOCS, 15);
    client()
        .admin()
        .indices()
        .prepareCreate("gallery")
        .setSettings(Settings.builder().put("index.number_of_shards", 2))
        .setMapping(
            "{\"properties\": {\"face\": {\"type\": \"face\", \"dims\": "
                + DIMS
                + "}, \"n\": {\"type\": \"integer\"},"
                + " \"group\": {\"type\": \"keyword\"}}}")
        .get();
    BulkRequestBuilder bulk = client().prepareBulk();
    for (int i = 0; i < DOCS; i++) {
      XContentBuilder doc =
          XContentFactory.jsonBuilder()
              .startObject()
              .startObject("face")
              .array("embedding", gallery.vectors()[i])
              .field("ers", 0.9f)
              .endObject()
              .field("n", i)
              .field("group", i % 3 == 0 ? "a" : "b")
              .endObject();
      bulk.add(client().prepareIndex("gallery").setId(Integer.toString(i)).setSource(doc));
    }
    assertFalse(bulk.get().hasFailures());
    client().admin().indices().prepareRefresh("gallery").get();
  }

  /** The centres of the people with the most faces, most first. */
  private float[][] largestPeople(int n) {
    int[] size = new int[gallery.centres().length];
    for (int p : gallery.person()) {
      if (p >= 0) {
        size[p]++;
      }
    }
    return java.util.stream.IntStream.range(0, size.length)
        .boxed()
        .sorted((a, b) -> Integer.compare(size[b], size[a]))
        .limit(n)
        .map(p -> gallery.centres()[p])
        .toArray(float[][]::new);
  }

  private QueryTestPlugin plugin() {
    return getInstanceFromNode(PluginsService.class).filterPlugins(QueryTestPlugin.class).get(0);
  }

  private FaceQueryBuilder query(float[] embedding, MinSimilarity threshold) {
    QueryFaces faces = plugin().queryFaces();
    return new FaceQueryBuilder("face", FaceInput.ofEmbedding(embedding, null), faces)
        .minSimilarity(threshold);
  }

  /**
   * Ids of the faces with a cosine of at least {@code threshold} to {@code q} (and in group "a"
   * when asked), by exact scan.
   */
  private Set<String> bruteForce(float[] q, double threshold, boolean onlyGroupA) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i < DOCS; i++) {
      if ((!onlyGroupA || i % 3 == 0)
          && VectorUtil.dotProduct(q, gallery.vectors()[i]) >= threshold) {
        out.add(Integer.toString(i));
      }
    }
    return out;
  }

  public void testReturnsEveryFaceAtOrAboveTheThresholdWithItsCosine() {
    for (float[] q : largestPeople(5)) {
      Set<String> expected = bruteForce(q, 0.3, false);
      assertTrue("the person has faces in the gallery", expected.size() > 5);
      SearchResponse response =
          client()
              .prepareSearch("gallery")
              .setQuery(query(q, MinSimilarity.cosine(0.3)))
              .setSize(DOCS)
              .setTrackTotalHits(true)
              .get();
      assertEquals(expected.size(), response.getHits().getTotalHits().value());
      Set<String> found = new HashSet<>();
      float last = Float.POSITIVE_INFINITY;
      for (SearchHit hit : response.getHits().getHits()) {
        found.add(hit.getId());
        float exact = VectorUtil.dotProduct(q, gallery.vectors()[Integer.parseInt(hit.getId())]);
        assertEquals(exact, hit.getScore(), 1e-5f);
        assertTrue("best first", hit.getScore() <= last);
        last = hit.getScore();
      }
      assertEquals(expected, found);

      // With a filter inside the search, as the top-k form.
      SearchResponse filtered =
          client()
              .prepareSearch("gallery")
              .setQuery(
                  query(q, MinSimilarity.cosine(0.3)).filter(QueryBuilders.termQuery("group", "a")))
              .setSize(DOCS)
              .get();
      Set<String> inGroup = new HashSet<>();
      filtered.getHits().forEach(h -> inGroup.add(h.getId()));
      assertEquals(bruteForce(q, 0.3, true), inGroup);
    }
  }

  public void testPagesCoverEveryFaceOnce() {
    float[] q = largestPeople(1)[0];
    Set<String> expected = bruteForce(q, 0.25, false);
    int pageSize = Math.max(2, expected.size() / 4);
    // from + size
    Set<String> byFrom = new HashSet<>();
    for (int from = 0; from < expected.size(); from += pageSize) {
      SearchResponse page =
          client()
              .prepareSearch("gallery")
              .setQuery(query(q, MinSimilarity.cosine(0.25)))
              .setFrom(from)
              .setSize(pageSize)
              .addSort("_score", SortOrder.DESC)
              .addSort("n", SortOrder.ASC)
              .get();
      page.getHits().forEach(h -> assertTrue("seen once: " + h.getId(), byFrom.add(h.getId())));
    }
    assertEquals(expected, byFrom);
    // search_after on (score, n)
    Set<String> byCursor = new HashSet<>();
    Object[] after = null;
    while (true) {
      var request =
          client()
              .prepareSearch("gallery")
              .setQuery(query(q, MinSimilarity.cosine(0.25)))
              .setSize(pageSize)
              .addSort("_score", SortOrder.DESC)
              .addSort("n", SortOrder.ASC);
      if (after != null) {
        request.searchAfter(after);
      }
      SearchHit[] hits = request.get().getHits().getHits();
      if (hits.length == 0) {
        break;
      }
      for (SearchHit h : hits) {
        assertTrue("seen once: " + h.getId(), byCursor.add(h.getId()));
      }
      after = hits[hits.length - 1].getSortValues();
    }
    assertEquals(expected, byCursor);
  }

  public void testAFalseMatchRateBecomesThePacksThreshold() {
    VerificationCalibration calibration =
        plugin().models().get(FaceInput.DEFAULT_MODEL).verification();
    VerificationCalibration.Point point = calibration.points().get(3); // 1e-3 in the default pack
    float[] q = largestPeople(2)[1];
    SearchResponse response =
        client()
            .prepareSearch("gallery")
            .setQuery(query(q, MinSimilarity.fmr(point.fmr())))
            .setSize(DOCS)
            .setExplain(true)
            .get();
    Set<String> found = new HashSet<>();
    response.getHits().forEach(h -> found.add(h.getId()));
    assertEquals(bruteForce(q, (float) point.threshold(), false), found);
    assertTrue(found.size() > 0);
    Explanation explanation = response.getHits().getAt(0).getExplanation();
    String model = plugin().models().get(FaceInput.DEFAULT_MODEL).id();
    assertEquals(
        "cosine similarity of the embeddings in [face], at least min_similarity "
            + (float) point.threshold()
            + " (the threshold at false-match rate "
            + VerificationCalibration.rate(point.fmr())
            + " of model ["
            + model
            + "])",
        explanation.getDescription());
  }

  public void testRatesOutsideTheCalibrationAreRefusedNamingTheRange() {
    String model = plugin().models().get(FaceInput.DEFAULT_MODEL).id();
    Exception e =
        expectThrows(
            Exception.class,
            () ->
                client()
                    .prepareSearch("gallery")
                    .setQuery(query(gallery.centres()[0], MinSimilarity.fmr(1e-9)))
                    .get());
    assertEquals(400, ExceptionsHelper.status(e).getStatus());
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.add(t.getMessage());
    }
    assertTrue(
        messages.toString(),
        messages.contains(
            "[min_similarity] false-match rate 1e-9 is outside the calibrated range "
                + plugin().models().get(FaceInput.DEFAULT_MODEL).verification().range()
                + " of model ["
                + model
                + "]"));
  }
}
