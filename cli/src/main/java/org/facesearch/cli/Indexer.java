package org.facesearch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;

/**
 * Bulk-indexes a gallery through the face_embedding pipeline. Resumable: photos are created with
 * their path as id, so a photo indexed by an earlier run is a conflict, counted as already there.
 */
final class Indexer {

  static final String PIPELINE = "face-search-photos";
  private static final int BATCH = 16;

  private final NodeClient node;
  private final String index;

  Indexer(NodeClient node, String index) {
    this.node = node;
    this.index = index;
  }

  /** Creates the pipeline and the index when they do not exist yet. */
  void prepare() {
    node.request(
        "PUT",
        "/_ingest/pipeline/" + PIPELINE,
        "{\"description\": \"face-search CLI: encode the face of each photo\","
            + " \"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"target_field\": \"face\", \"remove_image\": true}}]}");
    if (!node.exists("/" + index)) {
      node.request(
          "PUT",
          "/" + index,
          "{\"mappings\": {\"properties\": {"
              + "\"face\": {\"type\": \"face\"}, \"person\": {\"type\": \"keyword\"}, \"file\": {\"type\": \"keyword\"}}}}");
    }
  }

  /** Counts of one run, and each failed photo with its reason. */
  record Outcome(int indexed, int alreadyThere, List<String> failures) {}

  Outcome index(List<Gallery.Photo> photos) throws IOException {
    prepare();
    int indexed = 0;
    int already = 0;
    List<String> failures = new ArrayList<>();
    try (ProgressBar bar = new ProgressBar("Indexing " + index, photos.size())) {
      for (int from = 0; from < photos.size(); from += BATCH) {
        List<Gallery.Photo> batch = photos.subList(from, Math.min(photos.size(), from + BATCH));
        StringBuilder body = new StringBuilder();
        for (Gallery.Photo photo : batch) {
          ObjectNode action = Json.object();
          action.putObject("create").put("_index", index).put("_id", photo.id());
          ObjectNode doc =
              Json.object()
                  .put("person", photo.person())
                  .put("file", photo.id())
                  .put(
                      "photo",
                      Base64.getEncoder().encodeToString(Files.readAllBytes(photo.file())));
          body.append(action).append('\n').append(doc).append('\n');
        }
        JsonNode answer = node.request("POST", "/_bulk?pipeline=" + PIPELINE, body.toString());
        for (JsonNode item : answer.path("items")) {
          JsonNode result = item.path("create");
          int status = result.path("status").asInt();
          if (status / 100 == 2) {
            indexed++;
          } else if (status == 409) {
            already++;
          } else {
            failures.add(
                result.path("_id").asText()
                    + ": "
                    + result.path("error").path("reason").asText("HTTP " + status));
          }
        }
        bar.stepBy(batch.size());
      }
    }
    node.request("POST", "/" + index + "/_refresh");
    return new Outcome(indexed, already, failures);
  }
}
