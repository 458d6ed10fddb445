package org.facesearch.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.facesearch.cli.NodeClient;
import org.junit.Test;

/**
 * Faces' vectors stay out of the stored {@code _source} by default (derived source): hits, GET,
 * {@code _source} filtering and {@code _explain} show a face's summary only, while reindex, update
 * by query, update, nested faces and snapshot/restore carry the whole face, checked against the
 * vectors that were sent.
 */
public class FaceSourceIT extends RealNodeTestCase {

  private static final String SMALL = "{\"type\": \"face\", " + SmallFaces.MAPPING_OPTIONS + "}";
  private static final String SMALL_WITH_VECTORS =
      "{\"type\": \"face\", " + SmallFaces.MAPPING_OPTIONS + ", \"source_vectors\": true}";

  private static void create(String index, String body) {
    node.call("DELETE", "/" + index);
    NodeClient.Answer created = node.call("PUT", "/" + index, body);
    assertEquals(created.text(), 200, created.status());
  }

  private static void createSmall(String index, String face) {
    create(
        index,
        "{\"mappings\": {\"properties\": {\"face\": "
            + face
            + ", \"name\": {\"type\": \"keyword\"}}}}");
  }

  private static void put(String index, String id, String body, String params) {
    NodeClient.Answer answer = node.call("PUT", "/" + index + "/_doc/" + id + params, body);
    assertTrue(answer.text(), answer.status() == 200 || answer.status() == 201);
  }

  /** No embedding or patch map, under any name, and not the face's own values either. */
  static void assertNoVectors(String what, String text, SmallFaces.Face... faces) {
    assertFalse(what + " shows an embedding: " + text, text.contains("\"embedding\""));
    assertFalse(what + " shows a patch map: " + text, text.contains("\"patches\""));
    for (SmallFaces.Face face : faces) {
      assertFalse(what + " shows the patch bytes", text.contains(face.patches().substring(0, 24)));
    }
  }

  @Test
  public void hitsGetFilteringAndExplainShowTheSummaryOnly() {
    createSmall("it-src-show", SMALL);
    SmallFaces.Face face = SmallFaces.face(1);
    // Real-time GET before a refresh reads the translog, which holds the source as sent.
    put("it-src-show", "1", "{\"name\": \"a\", \"face\": " + face.json() + "}", "");
    NodeClient.Answer translogGet = node.call("GET", "/it-src-show/_doc/1");
    assertEquals(200, translogGet.status());
    assertNoVectors("real-time GET", translogGet.text(), face);
    assertEquals(0.9, translogGet.body().path("_source").path("face").path("ers").asDouble(), 1e-6);
    node.call("POST", "/it-src-show/_refresh");

    NodeClient.Answer get = node.call("GET", "/it-src-show/_doc/1");
    assertNoVectors("GET", get.text(), face);
    JsonNode shown = get.body().path("_source").path("face");
    assertEquals(4, shown.path("box").size());
    assertEquals(2, shown.path("landmarks").size());
    assertEquals(0.99, shown.path("detection_score").asDouble(), 1e-6);
    assertEquals("default", shown.path("model").asText());

    assertNoVectors("GET _source", node.call("GET", "/it-src-show/_source/1").text(), face);
    assertNoVectors(
        "mget",
        node.call("POST", "/_mget", "{\"docs\": [{\"_index\": \"it-src-show\", \"_id\": \"1\"}]}")
            .text(),
        face);
    NodeClient.Answer hits =
        node.call("POST", "/it-src-show/_search", "{\"query\": {\"match_all\": {}}}");
    assertEquals(1, hits.body().path("hits").path("hits").size());
    assertNoVectors("search hits", hits.text(), face);
    NodeClient.Answer filtered =
        node.call(
            "POST",
            "/it-src-show/_search",
            "{\"_source\": [\"face.embedding\", \"face.patches\", \"face.ers\"]}");
    assertNoVectors("_source filtering", filtered.text(), face);
    assertEquals(
        0.9,
        filtered
            .body()
            .path("hits")
            .path("hits")
            .get(0)
            .path("_source")
            .path("face")
            .path("ers")
            .asDouble(),
        1e-6);
    NodeClient.Answer fields = node.call("POST", "/it-src-show/_search", "{\"fields\": [\"*\"]}");
    assertEquals(fields.text(), 200, fields.status());
    assertNoVectors("fields *", fields.text(), face);
    NodeClient.Answer explain =
        node.call(
            "POST",
            "/it-src-show/_explain/1?_source=true",
            "{\"query\": {\"exists\": {\"field\": \"face\"}}}");
    assertEquals(explain.text(), 200, explain.status());
    assertNoVectors("_explain", explain.text(), face);
    NodeClient.Answer script =
        node.call(
            "POST",
            "/it-src-show/_search",
            "{\"script_fields\": {\"s\": {\"script\": \"params._source.face.containsKey('embedding') ? 'yes' : 'no'\"}}}");
    assertEquals(
        script.text(),
        "no",
        script.body().path("hits").path("hits").get(0).path("fields").path("s").get(0).asText());
  }

  @Test
  public void reindexWithoutThePhotoCarriesTheWholeFace() {
    createSmall("it-src-reindex", SMALL);
    SmallFaces.Face face = SmallFaces.face(2);
    put("it-src-reindex", "1", "{\"name\": \"b\", \"face\": " + face.json() + "}", "?refresh=true");
    // Into a copy with the default mapping: the face query scores it as in the original.
    createSmall("it-src-reindex-copy", SMALL);
    reindex("it-src-reindex", "it-src-reindex-copy", "");
    double original = topScore("it-src-reindex", face.embedding());
    assertEquals(original, topScore("it-src-reindex-copy", face.embedding()), 1e-6);
    assertNoVectors(
        "hits of the copy", node.call("POST", "/it-src-reindex-copy/_search", "{}").text(), face);
    // Into an index that keeps the vectors in _source: exactly what the node stored.
    SmallFaces.Face stored = vectorsOf("it-src-reindex", "1");
    assertArrayEquals(face.unit(), stored.embedding(), 0f);
    assertEquals(face.patches(), stored.patches());
    // Reindex with source filtering that leaves the face out: no face arrives.
    createSmall("it-src-reindex-name", SMALL_WITH_VECTORS);
    reindex("it-src-reindex", "it-src-reindex-name", ", \"_source\": [\"name\"]");
    NodeClient.Answer named = node.call("GET", "/it-src-reindex-name/_doc/1");
    assertTrue(named.text(), named.body().path("_source").path("face").isMissingNode());
    assertEquals("b", named.body().path("_source").path("name").asText());
  }

  @Test
  public void updateByQueryAndUpdateKeepTheFace() {
    createSmall("it-src-update", SMALL);
    SmallFaces.Face first = SmallFaces.face(3);
    SmallFaces.Face second = SmallFaces.face(4);
    put("it-src-update", "1", "{\"name\": \"c\", \"face\": " + first.json() + "}", "?refresh=true");
    put("it-src-update", "2", "{\"name\": \"d\", \"face\": " + second.json() + "}", "");
    // Update of a document still in the translog (not refreshed), then of one read from a segment.
    NodeClient.Answer updated =
        node.call("POST", "/it-src-update/_update/2?_source=true", "{\"doc\": {\"name\": \"d2\"}}");
    assertEquals(updated.text(), 200, updated.status());
    assertNoVectors("update answer", updated.text(), second);
    NodeClient.Answer updated1 =
        node.call("POST", "/it-src-update/_update/1?refresh=true", "{\"doc\": {\"name\": \"c2\"}}");
    assertEquals(updated1.text(), 200, updated1.status());
    NodeClient.Answer scripted =
        node.call(
            "POST",
            "/it-src-update/_update/1?refresh=true",
            "{\"script\": {\"source\": \"ctx._source.name = ctx._source.name + '!'\"}}");
    assertEquals(scripted.text(), 200, scripted.status());
    NodeClient.Answer ubq =
        node.call(
            "POST",
            "/it-src-update/_update_by_query?refresh=true&conflicts=proceed",
            "{\"script\": {\"source\": \"ctx._source.seen = true\"}}");
    assertEquals(ubq.text(), 2, ubq.body().path("updated").asInt());
    assertEquals(0, ubq.body().path("failures").size());
    NodeClient.Answer bulk =
        node.call(
            "POST",
            "/_bulk?refresh=true",
            "{\"update\": {\"_index\": \"it-src-update\", \"_id\": \"2\"}}\n{\"doc\": {\"bulk\": 1}}\n");
    assertFalse(bulk.text(), bulk.body().path("errors").asBoolean());

    SmallFaces.Face one = vectorsOf("it-src-update", "1");
    assertArrayEquals(first.unit(), one.embedding(), 0f);
    assertEquals(first.patches(), one.patches());
    SmallFaces.Face two = vectorsOf("it-src-update", "2");
    assertArrayEquals(second.unit(), two.embedding(), 0f);
    assertEquals(second.patches(), two.patches());
    NodeClient.Answer get = node.call("GET", "/it-src-update/_doc/1");
    assertEquals("c2!", get.body().path("_source").path("name").asText());
    assertTrue(get.body().path("_source").path("seen").asBoolean());
    assertNoVectors("GET after updates", get.text(), first);
  }

  @Test
  public void nestedFacesStayInOrderThroughUpdateAndReindex() {
    String mapping =
        "{\"mappings\": {\"properties\": {\"name\": {\"type\": \"keyword\"}, "
            + "\"faces\": {\"type\": \"nested\", \"properties\": {\"face\": %s, \"note\": {\"type\": \"keyword\"}}}}}}";
    create("it-src-nested", String.format(mapping, SMALL));
    List<SmallFaces.Face> faces =
        List.of(SmallFaces.face(5), SmallFaces.face(6), SmallFaces.face(7));
    StringBuilder doc = new StringBuilder("{\"name\": \"group\", \"faces\": [");
    for (int i = 0; i < faces.size(); i++) {
      doc.append(i == 0 ? "" : ", ")
          .append("{\"note\": \"n")
          .append(i)
          .append("\", \"face\": ")
          .append(faces.get(i).json())
          .append('}');
    }
    // A face-less element in the middle and a second document around it: order must hold
    // regardless.
    doc.append(", {\"note\": \"none\"}]}");
    put(
        "it-src-nested",
        "0",
        "{\"name\": \"solo\", \"faces\": [{\"face\": " + SmallFaces.face(8).json() + "}]}",
        "");
    put("it-src-nested", "1", doc.toString(), "?refresh=true");
    NodeClient.Answer inner =
        node.call(
            "POST",
            "/it-src-nested/_search",
            "{\"query\": {\"nested\": {\"path\": \"faces\", \"query\": {\"exists\": {\"field\": \"faces.face\"}}, \"inner_hits\": {}}}}");
    assertEquals(inner.text(), 2, inner.body().path("hits").path("hits").size());
    assertNoVectors(
        "nested hits and inner hits", inner.text(), faces.toArray(new SmallFaces.Face[0]));
    NodeClient.Answer updated =
        node.call(
            "POST", "/it-src-nested/_update/1?refresh=true", "{\"doc\": {\"name\": \"group2\"}}");
    assertEquals(updated.text(), 200, updated.status());

    create("it-src-nested-copy", String.format(mapping, SMALL_WITH_VECTORS));
    reindex("it-src-nested", "it-src-nested-copy", "");
    JsonNode copied = node.call("GET", "/it-src-nested-copy/_doc/1").body().path("_source");
    assertEquals("group2", copied.path("name").asText());
    JsonNode elements = copied.path("faces");
    assertEquals(4, elements.size());
    for (int i = 0; i < faces.size(); i++) {
      assertEquals("n" + i, elements.get(i).path("note").asText());
      assertArrayEquals(
          faces.get(i).unit(), floats(elements.get(i).path("face").path("embedding")), 0f);
      assertEquals(faces.get(i).patches(), elements.get(i).path("face").path("patches").asText());
    }
    assertTrue(elements.get(3).path("face").isMissingNode());
    JsonNode solo =
        node.call("GET", "/it-src-nested-copy/_doc/0")
            .body()
            .path("_source")
            .path("faces")
            .get(0)
            .path("face");
    assertArrayEquals(SmallFaces.face(8).unit(), floats(solo.path("embedding")), 0f);
  }

  @Test
  public void snapshotAndRestoreKeepTheFaces() {
    createSmall("it-src-snap", SMALL);
    SmallFaces.Face face = SmallFaces.face(9);
    put("it-src-snap", "1", "{\"name\": \"e\", \"face\": " + face.json() + "}", "?refresh=true");
    double before = topScore("it-src-snap", face.embedding());
    node.call("DELETE", "/_snapshot/it-src-repo/snap-1");
    NodeClient.Answer repo =
        node.call(
            "PUT",
            "/_snapshot/it-src-repo",
            "{\"type\": \"fs\", \"settings\": {\"location\": \"it-src-repo\"}}");
    assertEquals(repo.text(), 200, repo.status());
    NodeClient.Answer snap =
        node.call(
            "PUT",
            "/_snapshot/it-src-repo/snap-1?wait_for_completion=true",
            "{\"indices\": \"it-src-snap\"}");
    assertEquals(snap.text(), "SUCCESS", snap.body().path("snapshot").path("state").asText());
    node.call("DELETE", "/it-src-snap");
    NodeClient.Answer restored =
        node.call(
            "POST",
            "/_snapshot/it-src-repo/snap-1/_restore?wait_for_completion=true",
            "{\"indices\": \"it-src-snap\"}");
    assertEquals(restored.text(), 200, restored.status());
    node.call("GET", "/_cluster/health/it-src-snap?wait_for_status=green&timeout=30s");
    assertEquals(before, topScore("it-src-snap", face.embedding()), 1e-6);
    SmallFaces.Face back = vectorsOf("it-src-snap", "1");
    assertArrayEquals(face.unit(), back.embedding(), 0f);
    assertEquals(face.patches(), back.patches());
    assertNoVectors("GET after restore", node.call("GET", "/it-src-snap/_doc/1").text(), face);
  }

  @Test
  public void sourceVectorsKeepsThemInSource() {
    createSmall("it-src-keep", SMALL_WITH_VECTORS);
    SmallFaces.Face face = SmallFaces.face(10);
    put("it-src-keep", "1", "{\"face\": " + face.json() + "}", "?refresh=true");
    JsonNode shown = node.call("GET", "/it-src-keep/_doc/1").body().path("_source").path("face");
    assertEquals(face.patches(), shown.path("patches").asText());
    assertArrayEquals(face.embedding(), floats(shown.path("embedding")), 1e-6f);
  }

  static void reindex(String from, String to, String sourceExtra) {
    NodeClient.Answer answer =
        node.call(
            "POST",
            "/_reindex?refresh=true",
            "{\"source\": {\"index\": \""
                + from
                + "\""
                + sourceExtra
                + "}, \"dest\": {\"index\": \""
                + to
                + "\"}}");
    assertEquals(answer.text(), 200, answer.status());
    assertEquals(answer.text(), 0, answer.body().path("failures").size());
  }

  /**
   * The face of a document as the index holds it: reindexed into a copy that keeps vectors in
   * _source.
   */
  static SmallFaces.Face vectorsOf(String index, String id) {
    String copy = index + "-vectors";
    createSmall(copy, SMALL_WITH_VECTORS);
    NodeClient.Answer answer =
        node.call(
            "POST",
            "/_reindex?refresh=true",
            "{\"source\": {\"index\": \""
                + index
                + "\", \"query\": {\"ids\": {\"values\": [\""
                + id
                + "\"]}}}, \"dest\": {\"index\": \""
                + copy
                + "\"}}");
    assertEquals(answer.text(), 1, answer.body().path("created").asInt());
    JsonNode face =
        node.call("GET", "/" + copy + "/_doc/" + id).body().path("_source").path("face");
    return new SmallFaces.Face(floats(face.path("embedding")), face.path("patches").asText());
  }

  static double topScore(String index, float[] embedding) {
    NodeClient.Answer answer =
        node.call(
            "POST",
            "/" + index + "/_search",
            "{\"query\": {\"face\": {\"field\": \"face\", \"embedding\": "
                + SmallFaces.array(embedding)
                + ", \"k\": 1}}}");
    assertEquals(answer.text(), 200, answer.status());
    return answer.body().path("hits").path("max_score").asDouble();
  }

  static float[] floats(JsonNode array) {
    List<Float> values = new ArrayList<>();
    array.forEach(v -> values.add((float) v.asDouble()));
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
