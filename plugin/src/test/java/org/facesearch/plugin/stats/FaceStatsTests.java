package org.facesearch.plugin.stats;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncoderStats;
import org.facesearch.encoder.FaceModels;
import org.facesearch.plugin.FaceSearchPlugin;
import org.facesearch.testing.Photos;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.PluginsService;
import org.opensearch.test.OpenSearchSingleNodeTestCase;

/** {@code GET _plugins/face/stats} through its transport action, on a real in-JVM node with the real models. */
public class FaceStatsTests extends OpenSearchSingleNodeTestCase {

  @Override
  protected Collection<Class<? extends Plugin>> getPlugins() {
    return List.of(FaceSearchPlugin.class);
  }

  private EncoderStats stats() {
    FaceStatsResponse response = client().execute(FaceStatsAction.INSTANCE, new FaceStatsRequest()).actionGet();
    assertFalse(response.hasFailures());
    assertEquals(1, response.getNodes().size());
    return response.getNodes().get(0).models().get("default");
  }

  private FaceModels models() {
    return getInstanceFromNode(PluginsService.class).filterPlugins(FaceSearchPlugin.class).get(0).models();
  }

  public void testCountersFollowWhatTheEncoderDid() {
    EncoderStats before = stats();
    // Two photos with faces, one without (a flat image), one that is not an image.
    int faces = models().get("default").encoder().encode(Photos.lfw("Tony_Blair", 1), EncodeMode.DETECT).size();
    faces += models().get("default").encoder().encode(Photos.lfw("Colin_Powell", 1), EncodeMode.DETECT).size();
    models().get("default").encoder().encode(Photos.blankPng(160, 120), EncodeMode.DETECT);
    expectThrows(IllegalArgumentException.class,
        () -> models().get("default").encoder().encode("not an image".getBytes(StandardCharsets.UTF_8), EncodeMode.DETECT));
    EncoderStats after = stats();

    assertEquals(3, after.images() - before.images()); // the failed one is not an image encoded
    assertEquals(faces, after.faces() - before.faces());
    assertEquals(1, after.imagesWithoutFace() - before.imagesWithoutFace());
    long errorsBefore = before.errors().values().stream().mapToLong(Long::longValue).sum();
    long errorsAfter = after.errors().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(1, errorsAfter - errorsBefore);
    assertEquals(after.errors().getOrDefault("image_unknown_format", 0L) - before.errors().getOrDefault("image_unknown_format", 0L), 1L);
    assertTrue(after.detectNanos() > before.detectNanos());
    assertTrue(after.featureModelNanos() > before.featureModelNanos());
  }

  public void testNodeStatsSurviveTheWire() throws Exception {
    EncoderStats s = new EncoderStats(7, 9, 1, 10, 20, 30, 40, 50, 11, 21, 31, 4, 2, 1, 3, Map.of("image_truncated", 5L, "internal", 1L));
    NodeFaceStats node = new NodeFaceStats(getInstanceFromNode(org.opensearch.cluster.service.ClusterService.class).localNode(),
        Map.of("default", s));
    try (BytesStreamOutput out = new BytesStreamOutput()) {
      node.writeTo(out);
      NodeFaceStats read = new NodeFaceStats(out.bytes().streamInput());
      assertEquals(s, read.models().get("default"));
      assertEquals(node.getNode(), read.getNode());
    }
  }
}
