package org.facesearch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a photo with a stored face through {@code _plugins/face/_compare}: the decision, and its
 * picture saved as a PNG.
 */
final class Comparer {

  /** The decision in words, and where the picture went. */
  record Outcome(String summary, Path picture) {}

  private final NodeClient node;

  Comparer(NodeClient node) {
    this.node = node;
  }

  Outcome compare(byte[] photo, String index, String id, Path picture) throws IOException {
    ObjectNode body = Json.object();
    body.putObject("a").put("image", Base64.getEncoder().encodeToString(photo));
    body.putObject("b").put("index", index).put("id", id);
    body.put("fmr", 1e-4);
    JsonNode answer = node.request("POST", "/_plugins/face/_compare", body);
    NodeClient.Raw png =
        node.exchange("POST", "/_plugins/face/_compare?format=png", body.toString(), Map.of());
    if (png.status() != 200
        || png.contentType() == null
        || !png.contentType().startsWith("image/png")) {
      throw new NodeClient.NodeError(
          png.status(), "the picture of the comparison was not a PNG: " + png.contentType());
    }
    Files.write(picture, png.body());
    String summary =
        String.format(
            Locale.ROOT,
            "%s (%s); cosine %.3f, EMD %.3f, stage-2 score %.3f; ERS of the query %.3f, of the hit %.3f",
            answer.path("decision").asText(),
            answer.path("reason").asText(),
            answer.path("cosine").asDouble(),
            answer.path("emd").asDouble(),
            answer.path("score").asDouble(),
            answer.path("a").path("ers").asDouble(),
            answer.path("b").path("ers").asDouble());
    return new Outcome(summary, picture);
  }
}
