package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Where the models run in a cluster with one inference node: photos of a bulk request sent to a
 * data node are encoded on the ingest node; data nodes open no model for indexing or for stage 2; a
 * node that coordinates a search with a photo encodes it itself (the failsafe run orders this class
 * first, before any other makes a data node coordinate a photo query). Proven by each node's
 * counters in {@code GET _plugins/face/stats}.
 */
public class InferencePlacementClusterIT extends ClusterTestCase {

  private static final String INDEX = "placement";
  private static final int PHOTOS = 24;
  private static List<Photo> gallery;

  @BeforeClass
  public static void gallery() {
    gallery = new ArrayList<>();
    for (String person : lfwPeople(PHOTOS, 2)) {
      gallery.add(new Photo(person, 1));
    }
    putPipeline(node(2), "placement-photos");
    createIndex(node(2), INDEX, 3, 1);
    waitForGreen(2);
  }

  @Test
  public void aBulkSentToADataNodeIsEncodedOnTheIngestNodeAndDataNodesOpenNoModel() {
    Map<String, JsonNode> before = modelStats(node(3));
    JsonNode answer =
        node(2)
            .request(
                "POST", "/_bulk?pipeline=placement-photos&refresh=true", bulkBody(INDEX, gallery));
    assertFalse(answer.toString().substring(0, 500), answer.path("errors").asBoolean());
    // 201 created, or 200 when another test of this class indexed the gallery first.
    assertEquals(
        PHOTOS, itemStatuses(answer).values().stream().filter(s -> s == 201 || s == 200).count());
    Map<String, JsonNode> after = modelStats(node(3));

    assertEquals(
        "node-1, the ingest node, encoded every photo",
        PHOTOS,
        delta(before, after, "node-1", "images"));
    assertEquals(PHOTOS, delta(before, after, "node-1", "faces"));
    assertTrue("node-1 opened its models at start", after.get("node-1").path("open").asBoolean());
    for (String data : List.of("node-2", "node-3")) {
      assertEquals(data + " encoded nothing", 0, delta(before, after, data, "images"));
      assertFalse(
          data + " has no open model: " + after.get(data),
          after.get(data).path("open").asBoolean());
    }
    // Every face went to the shards on the data nodes.
    assertEquals(PHOTOS, node(1).request("GET", "/" + INDEX + "/_count").path("count").asInt());
  }

  @Test
  public void stageTwoOnDataNodesNeedsNoModelWhenTheIngestNodeCoordinates() {
    indexIfEmpty();
    Map<String, JsonNode> before = modelStats(node(1));
    Photo probe = gallery.get(3); // its own photo: the placement, not the accuracy, is under test
    JsonNode answer =
        node(1)
            .request("POST", "/" + INDEX + "/_search", searchBody(probe.base64(), PHOTOS, PHOTOS));
    assertEquals(0, answer.path("_shards").path("failed").asInt());
    assertEquals("the probe's own document comes first", probe.id(), hits(answer).get(0).id());
    Map<String, JsonNode> after = modelStats(node(1));
    assertEquals(
        "the coordinating node encoded the query photo",
        1,
        delta(before, after, "node-1", "images"));
    assertEquals(0, delta(before, after, "node-2", "images"));
    assertFalse(
        "node-2 ran stage 1 and stage 2 without a model",
        after.get("node-2").path("open").asBoolean());
  }

  @Test
  public void aDataNodeCoordinatingAPhotoQueryOpensItsModelsAndEncodesThePhotoItself() {
    indexIfEmpty();
    Map<String, JsonNode> before = modelStats(node(1));
    Photo probe = gallery.get(5);
    JsonNode answer =
        node(3).request("POST", "/" + INDEX + "/_search", searchBody(probe.base64(), 10, 10));
    assertEquals(probe.id(), hits(answer).get(0).id());
    Map<String, JsonNode> after = modelStats(node(1));
    assertEquals(
        "node-3 coordinated and encoded the photo", 1, delta(before, after, "node-3", "images"));
    assertTrue("node-3 opened its models for it", after.get("node-3").path("open").asBoolean());
    assertEquals(0, delta(before, after, "node-1", "images"));
    assertEquals(0, delta(before, after, "node-2", "images"));
  }

  private static void indexIfEmpty() {
    if (node(2).request("GET", "/" + INDEX + "/_count").path("count").asInt() < PHOTOS) {
      JsonNode answer =
          node(2)
              .request(
                  "POST",
                  "/_bulk?pipeline=placement-photos&refresh=true",
                  bulkBody(INDEX, gallery));
      assertFalse(answer.toString().substring(0, 500), answer.path("errors").asBoolean());
    }
  }

  private static long delta(
      Map<String, JsonNode> before, Map<String, JsonNode> after, String node, String counter) {
    return after.get(node).path(counter).asLong() - before.get(node).path(counter).asLong();
  }
}
