package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.facesearch.cli.NodeClient;
import org.junit.Test;

/**
 * The models inside the installed zip, on the real server under its security policy: packs load,
 * ONNX Runtime starts, photos are encoded, and pipelines and searches work end to end.
 */
public class FacesOnRealNodeIT extends RealNodeTestCase {

  private static String photo(String person, int number) throws IOException {
    return lfwBase64(person, number);
  }

  @Test
  public void modelsListsTheBundledPackWithItsChecksums() {
    NodeClient.Answer answer = node.call("GET", "/_plugins/face/models");
    assertEquals(answer.text(), 200, answer.status());
    JsonNode model = answer.body().path("models").get(0);
    assertEquals("default", model.path("name").asText());
    assertEquals(
        "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581",
        model.path("sha256").path("fr_feature.onnx").asText());
    assertEquals(512, model.path("dims").asInt());
    assertEquals(7, model.path("patch_grid").get(0).asInt());
    // No node file replaces the shipped calibration on this node.
    assertEquals("pack", model.path("recognizability").path("origin").asText());
    assertEquals(0.81, model.path("recognizability").path("ers_threshold").asDouble(), 1e-9);
  }

  @Test
  public void encodeReturnsAUnitEmbeddingPerFace() throws IOException {
    NodeClient.Answer answer =
        node.call(
            "POST",
            "/_plugins/face/_encode",
            "{\"image\": \"" + photo("Colin_Powell", 1) + "\", \"patches\": true}");
    assertEquals(
        answer.text().substring(0, Math.min(400, answer.text().length())), 200, answer.status());
    JsonNode faces = answer.body().path("faces");
    assertTrue(faces.size() >= 1);
    double norm = 0;
    for (JsonNode v : faces.get(0).path("embedding")) {
      norm += v.asDouble() * v.asDouble();
    }
    assertEquals(1.0, Math.sqrt(norm), 1e-4);
    assertEquals(49, faces.get(0).path("patches").size());
    double previousArea = Double.MAX_VALUE;
    for (JsonNode face : faces) {
      double area = face.path("box").get(2).asDouble() * face.path("box").get(3).asDouble();
      assertTrue("largest face first", area <= previousArea);
      previousArea = area;
    }
  }

  @Test
  public void statsCountWhatTheNodeEncoded() throws IOException {
    JsonNode before = localStats();
    NodeClient.Answer encoded =
        node.call(
            "POST", "/_plugins/face/_encode", "{\"image\": \"" + photo("Tony_Blair", 1) + "\"}");
    assertEquals(200, encoded.status());
    NodeClient.Answer bad =
        node.call("POST", "/_plugins/face/_encode", "{\"image\": \"aGVsbG8=\"}");
    assertEquals(400, bad.status());
    JsonNode after = localStats();
    assertEquals(1, after.path("images").asLong() - before.path("images").asLong());
    assertEquals(
        encoded.body().path("faces").size(),
        after.path("faces").asLong() - before.path("faces").asLong());
    assertEquals(
        1,
        after.path("errors").path("image_unknown_format").asLong()
            - before.path("errors").path("image_unknown_format").asLong());
  }

  private static JsonNode localStats() {
    NodeClient.Answer answer = node.call("GET", "/_plugins/face/_local/stats");
    assertEquals(answer.text(), 200, answer.status());
    assertEquals(1, answer.body().path("_nodes").path("successful").asInt());
    JsonNode nodes = answer.body().path("nodes");
    return nodes.elements().next().path("models").path("default");
  }

  @Test
  public void sameAndDifferentPeopleAreTellApartThroughTheWholeStack() throws IOException {
    String pipeline =
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": true}}]}";
    assertEquals(200, node.call("PUT", "/_ingest/pipeline/it-faces", pipeline).status());
    assertEquals(
        200,
        node.call(
                "PUT",
                "/it-people",
                "{\"mappings\": {\"_source\": {\"excludes\": [\"face.patches\"]}, \"properties\": {\"face\": {\"type\": \"face\"}}}}")
            .status());
    StringBuilder bulk = new StringBuilder();
    String[][] gallery = {
      {"Colin_Powell", "1"}, {"Tony_Blair", "1"}, {"George_W_Bush", "1"}, {"Gerhard_Schroeder", "1"}
    };
    for (String[] g : gallery) {
      bulk.append("{\"index\": {\"_index\": \"it-people\", \"_id\": \"")
          .append(g[0])
          .append("\"}}\n");
      bulk.append("{\"photo\": \"").append(photo(g[0], Integer.parseInt(g[1]))).append("\"}\n");
    }
    NodeClient.Answer indexed =
        node.call("POST", "/_bulk?pipeline=it-faces&refresh=true", bulk.toString());
    assertEquals(200, indexed.status());
    assertEquals(
        indexed.text().substring(0, 300), false, indexed.body().path("errors").asBoolean());
    NodeClient.Answer found =
        node.call(
            "POST",
            "/it-people/_search",
            "{\"query\": {\"face\": {\"field\": \"face\", \"image\": \""
                + photo("Tony_Blair", 2)
                + "\", \"k\": 4}}, \"rescore\": {\"window_size\": 4, \"face_emd\": {\"field\": \"face\"}}}");
    assertEquals(found.text(), 200, found.status());
    assertEquals("Tony_Blair", found.body().path("hits").path("hits").get(0).path("_id").asText());
  }
}
