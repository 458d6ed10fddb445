package org.facesearch.plugin.stats;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncoderStats;
import org.facesearch.encoder.FaceModels;
import org.facesearch.plugin.FaceSearchPlugin;
import org.facesearch.queryface.QueryFaceCache;
import org.facesearch.testing.Photos;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.index.query.QueryBuilders;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginsService;
import org.opensearch.test.OpenSearchSingleNodeTestCase;

/**
 * {@code GET _plugins/face/stats} through its transport action, on a real in-JVM node with the real
 * models.
 */
public class FaceStatsTests extends OpenSearchSingleNodeTestCase {

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(FaceSearchPlugin.class);
  }

  private NodeFaceStats nodeStats() {
    FaceStatsResponse response =
        client().execute(FaceStatsAction.INSTANCE, new FaceStatsRequest()).actionGet();
    assertFalse(response.hasFailures());
    assertEquals(1, response.getNodes().size());
    return response.getNodes().get(0);
  }

  private EncoderStats stats() {
    return nodeStats().models().get("default");
  }

  private FaceModels models() {
    return getInstanceFromNode(PluginsService.class)
        .filterPlugins(FaceSearchPlugin.class)
        .get(0)
        .models();
  }

  public void testCountersFollowWhatTheEncoderDid() {
    EncoderStats before = stats();
    // Two photos with faces, one without (a flat image), one that is not an image.
    int faces =
        models()
            .get("default")
            .encoder()
            .encode(Photos.lfw("Tony_Blair", 1), EncodeMode.DETECT)
            .size();
    faces +=
        models()
            .get("default")
            .encoder()
            .encode(Photos.lfw("Colin_Powell", 1), EncodeMode.DETECT)
            .size();
    models().get("default").encoder().encode(Photos.blankPng(160, 120), EncodeMode.DETECT);
    expectThrows(
        IllegalArgumentException.class,
        () ->
            models()
                .get("default")
                .encoder()
                .encode("not an image".getBytes(StandardCharsets.UTF_8), EncodeMode.DETECT));
    EncoderStats after = stats();

    assertEquals(3, after.images() - before.images()); // the failed one is not an image encoded
    assertEquals(faces, after.faces() - before.faces());
    assertEquals(1, after.imagesWithoutFace() - before.imagesWithoutFace());
    long errorsBefore = before.errors().values().stream().mapToLong(Long::longValue).sum();
    long errorsAfter = after.errors().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(1, errorsAfter - errorsBefore);
    assertEquals(
        after.errors().getOrDefault("image_unknown_format", 0L)
            - before.errors().getOrDefault("image_unknown_format", 0L),
        1L);
    assertTrue(after.detectNanos() > before.detectNanos());
    assertTrue(after.featureModelNanos() > before.featureModelNanos());
  }

  public void testNodeStatsSurviveTheWire() throws Exception {
    EncoderStats s =
        new EncoderStats(
            7,
            9,
            1,
            10,
            20,
            30,
            40,
            50,
            11,
            21,
            31,
            4,
            2,
            1,
            3,
            Map.of("image_truncated", 5L, "internal", 1L));
    NodeFaceStats node =
        new NodeFaceStats(
            getInstanceFromNode(org.opensearch.cluster.service.ClusterService.class).localNode(),
            Map.of("default", s),
            Map.of("default", false),
            new QueryFaceCache.Stats(3, 11, 5, 2));
    try (BytesStreamOutput out = new BytesStreamOutput()) {
      node.writeTo(out);
      NodeFaceStats read = new NodeFaceStats(out.bytes().streamInput());
      assertEquals(s, read.models().get("default"));
      assertEquals(Map.of("default", false), read.open());
      assertEquals(new QueryFaceCache.Stats(3, 11, 5, 2), read.queryCache());
      assertEquals(node.getNode(), read.getNode());
    }
  }

  private void searchByPhoto(String index, byte[] photo) {
    client()
        .prepareSearch(index)
        .setQuery(
            QueryBuilders.wrapperQuery(
                "{\"face\": {\"field\": \"face\", \"image\": \""
                    + Photos.base64(photo)
                    + "\", \"on_unrecognizable_query\": \"ignore\"}}"))
        .get();
  }

  public void testTheQueryCacheCountsHitsAndMissesAndCacheClearEmptiesIt() {
    client()
        .admin()
        .indices()
        .prepareCreate("cached")
        .setMapping("{\"properties\": {\"face\": {\"type\": \"face\"}}}")
        .get();
    byte[] photo = Photos.lfw("Colin_Powell", 1);
    QueryFaceCache.Stats before = nodeStats().queryCache();
    long imagesBefore = stats().images();

    searchByPhoto("cached", photo);
    searchByPhoto("cached", photo);
    QueryFaceCache.Stats after = nodeStats().queryCache();
    assertEquals("the first search encodes the photo", 1, after.misses() - before.misses());
    assertEquals("the second finds it cached", 1, after.hits() - before.hits());
    assertEquals(before.entries() + 1, after.entries());
    assertEquals("one encoding for two searches", 1, stats().images() - imagesBefore);

    // POST _cache/clear: the cached query face goes, and the same photo is encoded again.
    assertEquals(0, client().admin().indices().prepareClearCache().get().getFailedShards());
    assertEquals(0, nodeStats().queryCache().entries());
    searchByPhoto("cached", photo);
    QueryFaceCache.Stats again = nodeStats().queryCache();
    assertEquals(after.misses() + 1, again.misses());
    assertEquals(1, again.entries());
    assertEquals(2, stats().images() - imagesBefore);
  }
}
