package org.facesearch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** Searches a gallery by photo: stage 1 alone, or both stages, with the terms of each hit. */
final class Searcher {

  /** One hit as printed: who, and the scores. */
  record Hit(String id, String person, double score, Double cosine, Double emd) {}

  private final NodeClient node;
  private final String index;

  Searcher(NodeClient node, String index) {
    this.node = node;
    this.index = index;
  }

  List<Hit> search(byte[] photo, int k, boolean stageTwo, String excludeId) {
    ObjectNode body = Json.object();
    body.put("size", k);
    ObjectNode face = body.putObject("query").putObject("face");
    face.put("field", "face")
        .put("image", Base64.getEncoder().encodeToString(photo))
        .put("k", Math.max(k, 100));
    face.put("on_unrecognizable_query", "ignore");
    if (excludeId != null) {
      ArrayNode ids =
          face.putObject("filter")
              .putObject("bool")
              .putObject("must_not")
              .putObject("ids")
              .putArray("values");
      ids.add(excludeId);
    }
    if (stageTwo) {
      ObjectNode rescore = body.putObject("rescore");
      rescore.put("window_size", Math.max(k, 100));
      rescore.putObject("face_emd").put("field", "face").put("flows", 1);
    }
    JsonNode answer = node.request("POST", "/" + index + "/_search", body.toString());
    List<Hit> hits = new ArrayList<>();
    for (JsonNode hit : answer.path("hits").path("hits")) {
      JsonNode terms = hit.path("fields").path("_face_emd").path(0);
      hits.add(
          new Hit(
              hit.path("_id").asText(),
              hit.path("_source").path("person").asText(),
              hit.path("_score").asDouble(),
              terms.isMissingNode() ? null : terms.path("cosine").asDouble(),
              terms.isMissingNode() ? null : terms.path("emd").asDouble()));
    }
    return hits;
  }

  static String format(int rank, Hit hit) {
    String terms =
        hit.cosine() == null
            ? ""
            : String.format(Locale.ROOT, "  (cosine %.3f, EMD %.3f)", hit.cosine(), hit.emd());
    return String.format(
        Locale.ROOT,
        "%2d. %-28s %-44s score %.3f%s",
        rank,
        hit.person(),
        hit.id(),
        hit.score(),
        terms);
  }
}
