package org.facesearch.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Base64;
import org.facesearch.cli.NodeClient;
import org.junit.Test;

/**
 * The doors other than _source through which a face could leak: doc values, scripts, aggregations,
 * sorts, the fields option, error messages, mapping options, _simulate and the centroid endpoint.
 */
public class FaceDoorsIT extends RealNodeTestCase {

  private static final String SMALL = "{\"type\": \"face\", " + SmallFaces.MAPPING_OPTIONS + "}";

  private static void index(String index, String settings, SmallFaces.Face face) {
    node.call("DELETE", "/" + index);
    NodeClient.Answer created =
        node.call(
            "PUT",
            "/" + index,
            "{" + settings + "\"mappings\": {\"properties\": {\"face\": " + SMALL + "}}}");
    assertEquals(created.text(), 200, created.status());
    NodeClient.Answer put =
        node.call("PUT", "/" + index + "/_doc/1?refresh=true", "{\"face\": " + face.json() + "}");
    assertEquals(put.text(), 201, put.status());
  }

  private static void assertRefused(
      NodeClient.Answer answer, String expected, SmallFaces.Face face) {
    assertEquals(answer.text(), 400, answer.status());
    assertTrue(answer.text(), answer.text().contains(expected));
    FaceSourceIT.assertNoVectors("error", answer.text(), face);
  }

  @Test
  public void patchesAreNeverAggregatedScriptedOrSortedAndReadOnlyAfterTheOptIn() {
    SmallFaces.Face face = SmallFaces.face(21);
    index("it-doors-closed", "", face);
    assertRefused(
        node.call("POST", "/it-doors-closed/_search", "{\"docvalue_fields\": [\"face.patches\"]}"),
        "index.face.raw_features_readable",
        face);
    assertRefused(
        node.call("POST", "/it-doors-closed/_search", "{\"docvalue_fields\": [\"face.*\"]}"),
        "index.face.raw_features_readable",
        face);
    assertRefused(
        node.call("POST", "/it-doors-closed/_search", "{\"docvalue_fields\": [\"face\"]}"),
        "face",
        face);

    index("it-doors-open", "\"settings\": {\"index.face.raw_features_readable\": true}, ", face);
    NodeClient.Answer read =
        node.call(
            "POST",
            "/it-doors-open/_search",
            "{\"_source\": false, \"docvalue_fields\": [\"face.patches\"]}");
    assertEquals(read.text(), 200, read.status());
    String returned =
        read.body()
            .path("hits")
            .path("hits")
            .get(0)
            .path("fields")
            .path("face.patches")
            .get(0)
            .asText();
    assertArrayEquals(
        Base64.getDecoder().decode(face.patches()), Base64.getDecoder().decode(returned));

    for (String index : new String[] {"it-doors-closed", "it-doors-open"}) {
      assertRefused(
          node.call(
              "POST",
              "/" + index + "/_search",
              "{\"size\": 0, \"aggs\": {\"p\": {\"terms\": {\"field\": \"face.patches\"}}}}"),
          "face.patches",
          face);
      assertRefused(
          node.call(
              "POST",
              "/" + index + "/_search",
              "{\"script_fields\": {\"p\": {\"script\": \"doc['face.patches'].value\"}}}"),
          "face.patches",
          face);
      assertRefused(
          node.call("POST", "/" + index + "/_search", "{\"sort\": [{\"face.patches\": \"asc\"}]}"),
          "face.patches",
          face);
      assertRefused(
          node.call(
              "POST",
              "/" + index + "/_search",
              "{\"size\": 0, \"aggs\": {\"e\": {\"terms\": {\"field\": \"face\"}}}}"),
          "face",
          face);
      assertRefused(
          node.call("POST", "/" + index + "/_search", "{\"sort\": [{\"face\": \"asc\"}]}"),
          "face",
          face);
    }
  }

  @Test
  public void theFieldsOptionReadsTheSubFields() {
    SmallFaces.Face face = SmallFaces.face(22);
    index("it-doors-fields", "", face);
    NodeClient.Answer answer =
        node.call(
            "POST",
            "/it-doors-fields/_search",
            "{\"_source\": false, \"fields\": [\"face.ers\", \"face.detection_score\", \"face.model\", \"face.patches\"]}");
    assertEquals(answer.text(), 200, answer.status());
    JsonNode fields = answer.body().path("hits").path("hits").get(0).path("fields");
    assertEquals(0.9, fields.path("face.ers").get(0).asDouble(), 1e-6);
    assertEquals(0.99, fields.path("face.detection_score").get(0).asDouble(), 1e-6);
    assertEquals("default", fields.path("face.model").get(0).asText());
    assertTrue(answer.text(), fields.path("face.patches").isMissingNode());
    NodeClient.Answer all = node.call("POST", "/it-doors-fields/_search", "{\"fields\": [\"*\"]}");
    assertEquals(all.text(), 200, all.status());
    FaceSourceIT.assertNoVectors("fields *", all.text(), face);
  }

  @Test
  public void errorsNameTheProblemAndNeverAValue() {
    SmallFaces.Face face = SmallFaces.face(23);
    index("it-doors-errors", "", face);
    String wrongLength =
        "{\"face\": {\"embedding\": [0.1, 0.2], \"patches\": \"" + face.patches() + "\"}}";
    NodeClient.Answer answer = node.call("PUT", "/it-doors-errors/_doc/2", wrongLength);
    assertRefused(answer, "must have 4 values, got 2", face);
    assertTrue(
        answer.text(),
        answer.body().path("error").path("reason").asText().contains("must have 4 values, got 2"));
    assertFalse(answer.text(), answer.text().contains("Preview"));

    // Patches of another shape, then bytes that are no patch map, then not base64: the message
    // never quotes them.
    SmallFaces.Face other = SmallFaces.face(24);
    String bigger = Base64.getEncoder().encodeToString(new byte[64]);
    for (String patches :
        new String[] {
          bigger,
          "bm90IGEgcGF0Y2ggbWFwIGF0IGFsbCwganVzdCB0ZXh0",
          "%%%not-base64%%%" + face.patches()
        }) {
      NodeClient.Answer bad =
          node.call(
              "PUT",
              "/it-doors-errors/_doc/3",
              "{\"face\": {\"embedding\": "
                  + SmallFaces.array(other.embedding())
                  + ", \"patches\": \""
                  + patches
                  + "\"}}");
      assertEquals(bad.text(), 400, bad.status());
      assertFalse(bad.text(), bad.text().contains(patches.substring(0, 12)));
      assertFalse(bad.text(), bad.text().contains("Preview"));
      assertTrue(
          bad.text(), bad.body().path("error").path("reason").asText().contains("face.patches"));
    }
    NodeClient.Answer text =
        node.call("PUT", "/it-doors-errors/_doc/4", "{\"face\": [0.25, \"secret-0.5\", 0.1, 0.2]}");
    assertEquals(text.text(), 400, text.status());
    assertFalse(text.text(), text.text().contains("secret"));

    NodeClient.Answer fields =
        node.call("POST", "/it-doors-errors/_search", "{\"fields\": [\"face.ers\", \"face\"]}");
    assertEquals(fields.text(), 200, fields.status());
    FaceSourceIT.assertNoVectors("fields", fields.text(), face);
  }

  @Test
  public void tinyButFiniteEmbeddingsAreAccepted() {
    SmallFaces.Face face = SmallFaces.face(25);
    index("it-doors-tiny", "", face);
    NodeClient.Answer answer =
        node.call(
            "PUT", "/it-doors-tiny/_doc/tiny?refresh=true", "{\"face\": [1e-45, 1e-45, 1e-45, 0]}");
    assertEquals(answer.text(), 201, answer.status());
    NodeClient.Answer huge =
        node.call(
            "PUT", "/it-doors-tiny/_doc/huge?refresh=true", "{\"face\": [3e38, 3e38, 3e38, 3e38]}");
    assertEquals(huge.text(), 201, huge.status());
    // Stored as the unit vectors (1/sqrt 3 on three axes; 1/2 on four): the face query finds each
    // with cosine 1.
    for (String id : new String[] {"tiny", "huge"}) {
      float[] unit =
          id.equals("tiny")
              ? new float[] {0.57735026f, 0.57735026f, 0.57735026f, 0}
              : new float[] {0.5f, 0.5f, 0.5f, 0.5f};
      SmallFaces.Face stored = FaceSourceIT.vectorsOf("it-doors-tiny", id);
      assertArrayEquals(unit, stored.embedding(), 1e-7f);
    }
  }

  @Test
  public void unsupportedMappingOptionsAreRefusedByName() {
    for (String option :
        new String[] {
          "\"index\": false",
          "\"doc_values\": false",
          "\"store\": true",
          "\"fields\": {\"raw\": {\"type\": \"keyword\"}}",
          "\"copy_to\": \"other\""
        }) {
      node.call("DELETE", "/it-doors-mapping");
      NodeClient.Answer answer =
          node.call(
              "PUT",
              "/it-doors-mapping",
              "{\"mappings\": {\"properties\": {\"face\": {\"type\": \"face\", " + option + "}}}}");
      String name = option.substring(1, option.indexOf('"', 1));
      assertEquals(answer.text(), 400, answer.status());
      assertTrue(
          answer.text(),
          answer
              .body()
              .path("error")
              .path("reason")
              .asText()
              .contains("[" + name + "] is not an option of face field [face]"));
    }
  }

  @Test
  public void simulateShowsTheFaceSummary() throws IOException {
    NodeClient.Answer pipeline =
        node.call(
            "PUT",
            "/_ingest/pipeline/it-doors-faces",
            "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": true}}]}");
    assertEquals(pipeline.text(), 200, pipeline.status());
    String photo = lfwBase64("Colin_Powell", 1);
    for (String verbose : new String[] {"", "?verbose=true"}) {
      NodeClient.Answer answer =
          node.call(
              "POST",
              "/_ingest/pipeline/it-doors-faces/_simulate" + verbose,
              "{\"docs\": [{\"_source\": {\"photo\": \"" + photo + "\", \"name\": \"colin\"}}]}");
      assertEquals(answer.text(), 200, answer.status());
      assertFalse(answer.text(), answer.text().contains("\"embedding\""));
      assertFalse(answer.text(), answer.text().contains("\"patches\""));
      assertFalse(answer.text(), answer.text().contains(photo.substring(100, 140)));
      JsonNode doc =
          verbose.isEmpty()
              ? answer.body().path("docs").get(0).path("doc")
              : answer.body().path("docs").get(0).path("processor_results").get(0).path("doc");
      JsonNode face = doc.path("_source").path("face");
      assertEquals(answer.text(), 4, face.path("box").size());
      assertEquals(5, face.path("landmarks").size());
      assertTrue(face.path("ers").asDouble() > 0);
      assertTrue(face.path("detection_score").asDouble() > 0.5);
      assertTrue(face.path("model").asText(), face.path("model").asText().startsWith("default"));
    }
  }

  @Test
  public void centroidsNeedEnoughFaces() {
    // 30 faces, each its own cluster at a tiny cut: no cluster of 20, so no centroid.
    node.call("DELETE", "/it-doors-centroid");
    node.call(
        "PUT",
        "/it-doors-centroid",
        "{\"mappings\": {\"properties\": {\"face\": {\"type\": \"face\"}}}}");
    java.util.Random random = new java.util.Random(7);
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      float[] v = new float[512];
      for (int d = 0; d < 512; d++) {
        v[d] = (float) random.nextGaussian();
      }
      bulk.append("{\"index\": {\"_index\": \"it-doors-centroid\"}}\n{\"face\": ")
          .append(SmallFaces.array(v))
          .append("}\n");
    }
    NodeClient.Answer indexed = node.call("POST", "/_bulk?refresh=true", bulk.toString());
    assertFalse(indexed.text(), indexed.body().path("errors").asBoolean());
    NodeClient.Answer small =
        node.call(
            "POST",
            "/_plugins/face/recognizability/_centroid",
            "{\"method\": \"clustering\", \"index\": \"it-doors-centroid\", \"field\": \"face\", \"sample_size\": 2, \"cut\": 0.0001}");
    assertEquals(small.text(), 400, small.status());
    assertTrue(small.text(), small.text().contains("[sample_size] must be at least 20"));

    NodeClient.Answer single =
        node.call(
            "POST",
            "/_plugins/face/recognizability/_centroid",
            "{\"method\": \"clustering\", \"index\": \"it-doors-centroid\", \"field\": \"face\", \"sample_size\": 30, \"cut\": 0.0001}");
    assertEquals(single.text(), 400, single.status());
    assertTrue(single.text(), single.text().contains("has 1 faces; a centroid needs at least 20"));
  }
}
