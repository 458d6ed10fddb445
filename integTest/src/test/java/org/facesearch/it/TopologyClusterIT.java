package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The same gallery and queries give the same answers on one node (one shard) and on the cluster (3
 * shards, 1 replica, shards on the two data nodes), asked through any of the three nodes and from
 * either data node's shard copies: stage 1 hits equal the exact top k by cosine (brute force over
 * the embeddings {@code _encode} returns), and stage 2 hits and scores equal the single node's.
 *
 * <p>Stage 2 re-ranks each shard's own top {@code window_size}; the windows here cover every
 * document, so one shard and three re-rank the same faces (with smaller windows a cluster re-ranks
 * the best {@code window_size} of each shard, which can be more faces than one shard's window).
 */
public class TopologyClusterIT extends ClusterTestCase {

  private static final String SINGLE_INDEX = "topology-single";
  private static final String CLUSTER_INDEX = "topology-3x1";
  private static final int GALLERY = 90;

  /** Stage 1 alone: the top k of each shard, merged. */
  private static final int K = 20;

  /**
   * Score tolerance against the brute-force cosine (in doubles) of float vectors: float rounding of
   * a 512-term dot product.
   */
  private static final float COSINE_TOLERANCE = 1e-5f;

  /** Between two nodes computing the same score from the same stored faces and query face. */
  private static final float SAME_COMPUTATION = 1e-6f;

  private static List<Photo> gallery;
  private static List<Photo> queries;
  private static List<float[]> galleryEmbeddings;

  @BeforeClass
  public static void indexOnOneNodeAndOnTheCluster() {
    List<String> people = lfwPeople(GALLERY, 2);
    gallery = new ArrayList<>();
    queries = new ArrayList<>();
    for (int i = 0; i < people.size(); i++) {
      gallery.add(new Photo(people.get(i), 1));
      if (i % 12 == 0) {
        queries.add(new Photo(people.get(i), 2));
      }
    }
    putPipeline(single, "topology-photos");
    createIndex(single, SINGLE_INDEX, 1, 0);
    JsonNode one =
        single.request(
            "POST",
            "/_bulk?pipeline=topology-photos&refresh=true",
            bulkBody(SINGLE_INDEX, gallery));
    assertFalse(one.toString().substring(0, 500), one.path("errors").asBoolean());

    putPipeline(node(2), "topology-photos");
    createIndex(node(2), CLUSTER_INDEX, 3, 1);
    waitForGreen(2);
    JsonNode three =
        node(2)
            .request(
                "POST",
                "/_bulk?pipeline=topology-photos&refresh=true",
                bulkBody(CLUSTER_INDEX, gallery));
    assertFalse(three.toString().substring(0, 500), three.path("errors").asBoolean());
    waitForGreen(2);
    JsonNode shards = node(2).request("GET", "/" + CLUSTER_INDEX + "/_search_shards");
    assertEquals("3 shards, 2 copies each", 3, shards.path("shards").size());

    galleryEmbeddings = new ArrayList<>();
    for (Photo p : gallery) {
      galleryEmbeddings.add(embedding(p));
    }
  }

  /** The photo's largest face's embedding, as the single node encodes it. */
  private static float[] embedding(Photo p) {
    JsonNode face =
        single
            .request("POST", "/_plugins/face/_encode", "{\"image\": \"" + p.base64() + "\"}")
            .path("faces")
            .get(0);
    float[] v = new float[face.path("embedding").size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) face.path("embedding").get(i).asDouble();
    }
    return v;
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  /**
   * The ways to ask the cluster: through each node, and from each data node's copies of the shards.
   */
  private static List<String[]> clusterRoutes() {
    return List.of(
        new String[] {"1", ""},
        new String[] {"2", ""},
        new String[] {"3", ""},
        new String[] {"1", "?preference=_only_nodes:node-2"},
        new String[] {"1", "?preference=_only_nodes:node-3"});
  }

  @Test
  public void stageOneIsTheExactTopKOnOneNodeAndOnTheClusterThroughEveryNode() {
    for (Photo q : queries) {
      float[] query = embedding(q);
      List<Hit> exact = new ArrayList<>();
      for (int i = 0; i < gallery.size(); i++) {
        exact.add(new Hit(gallery.get(i).id(), (float) cosine(query, galleryEmbeddings.get(i))));
      }
      exact.sort(Comparator.comparingDouble((Hit h) -> h.score()).reversed());
      exact = exact.subList(0, K);

      String body = searchBody(q.base64(), K, 0);
      assertSameRanking(
          "single node, query " + q.id(),
          exact,
          hits(single.request("POST", "/" + SINGLE_INDEX + "/_search", body)),
          COSINE_TOLERANCE);
      for (String[] route : clusterRoutes()) {
        JsonNode answer =
            node(Integer.parseInt(route[0]))
                .request("POST", "/" + CLUSTER_INDEX + "/_search" + route[1], body);
        assertEquals(0, answer.path("_shards").path("failed").asInt());
        assertEquals(3, answer.path("_shards").path("successful").asInt());
        assertSameRanking(
            "cluster via node-" + route[0] + route[1] + ", query " + q.id(),
            exact,
            hits(answer),
            COSINE_TOLERANCE);
      }
    }
  }

  @Test
  public void stageTwoHitsAndScoresAreTheSingleNodesOnTheClusterThroughEveryNode() {
    for (Photo q : queries) {
      String body = searchBody(q.base64(), GALLERY, GALLERY);
      List<Hit> reference = hits(single.request("POST", "/" + SINGLE_INDEX + "/_search", body));
      assertEquals(GALLERY, reference.size());
      for (String[] route : clusterRoutes()) {
        JsonNode answer =
            node(Integer.parseInt(route[0]))
                .request("POST", "/" + CLUSTER_INDEX + "/_search" + route[1], body);
        assertEquals(0, answer.path("_shards").path("failed").asInt());
        assertSameRanking(
            "stage 2 on the cluster via node-" + route[0] + route[1] + ", query " + q.id(),
            reference,
            hits(answer),
            SAME_COMPUTATION);
      }
    }
  }
}
