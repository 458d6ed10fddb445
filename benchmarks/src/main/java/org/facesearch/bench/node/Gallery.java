package org.facesearch.bench.node;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.facesearch.cli.Json;
import org.facesearch.cli.NodeClient;

/**
 * A gallery of LFW photos indexed through the {@code face_embedding} pipeline into a {@code face}
 * field.
 */
final class Gallery {
  static final String PIPELINE = "bench-faces";

  private Gallery() {}

  /**
   * The pipeline: the photo in {@code photo} becomes the face in {@code face}; the photo is
   * dropped.
   */
  static void createPipeline(NodeClient node) throws IOException {
    node.request(
        "PUT",
        "/_ingest/pipeline/" + PIPELINE,
        Json.parse(
            """
            {"description": "face-search benchmarks",
             "processors": [{"face_embedding": {"field": "photo", "target_field": "face", "remove_image": true}}]}\
            """));
  }

  /**
   * One shard, no replica, a {@code face} field with the given patch encoding and the given {@code
   * _source} excludes, plus the person's name and file as keywords. Store statistics are not cached
   * (OpenSearch caches the directory size for 10 s by default).
   */
  static void createIndex(
      NodeClient node, String index, String patchEncoding, List<String> sourceExcludes)
      throws IOException {
    createIndex(node, index, patchEncoding, sourceExcludes, null);
  }

  /** As above, with {@code index.codec} set to {@code codec} (null: the default codec). */
  static void createIndex(
      NodeClient node,
      String index,
      String patchEncoding,
      List<String> sourceExcludes,
      String codec)
      throws IOException {
    NodeConnection.deleteIndex(node, index);
    ObjectNode body =
        Json.parse(
            """
            {"settings": {"number_of_shards": 1, "number_of_replicas": 0, "store.stats_refresh_interval": "0s"},
             "mappings": {"_source": {"excludes": []},
                          "properties": {"face": {"type": "face"},
                                         "person": {"type": "keyword"}, "file": {"type": "keyword"}}}}\
            """);
    ((ObjectNode) body.at("/mappings/properties/face")).put("patch_encoding", patchEncoding);
    ArrayNode excludes = (ArrayNode) body.at("/mappings/_source/excludes");
    sourceExcludes.forEach(excludes::add);
    if (!sourceExcludes.isEmpty()) {
      // Excluding by hand is the mapping advice from before the vectors left _source by default:
      // keep them in _source (source_vectors) so that the excludes measure what they did then.
      ((ObjectNode) body.at("/mappings/properties/face")).put("source_vectors", true);
    }
    if (codec != null) {
      ((ObjectNode) body.get("settings")).put("index.codec", codec);
    }
    node.request("PUT", "/" + index, body);
  }

  static String bulkPath(String index) {
    return "/" + index + "/_bulk?pipeline=" + PIPELINE;
  }

  /** {@code _bulk} bodies of {@code perRequest} photos each; ids count from {@code firstId}. */
  static List<byte[]> bulkBodies(List<Photos.Photo> photos, int perRequest, int firstId)
      throws IOException {
    List<byte[]> bodies = new ArrayList<>();
    java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
    for (int from = 0; from < photos.size(); from += perRequest) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = from; i < Math.min(photos.size(), from + perRequest); i++) {
        Photos.Photo p = photos.get(i);
        try (JsonGenerator g = Json.generator(out)) {
          g.writeStartObject();
          g.writeObjectFieldStart("index");
          g.writeStringField("_id", Integer.toString(firstId + i));
          g.writeEndObject();
          g.writeEndObject();
        }
        out.write('\n');
        try (JsonGenerator g = Json.generator(out)) {
          g.writeStartObject();
          g.writeStringField("person", p.person());
          g.writeStringField("file", p.file());
          g.writeStringField("photo", base64.encodeToString(p.bytes()));
          g.writeEndObject();
        }
        out.write('\n');
      }
      bodies.add(out.toByteArray());
    }
    return bodies;
  }

  /** Sends the bodies with {@code clients} concurrent bulk requests; tallies the items. */
  static Loaded load(NodeClient node, String index, List<byte[]> bodies, int clients)
      throws Exception {
    Load.Result r = Load.run(node, "POST", bulkPath(index), bodies, NodeClient.NDJSON, clients);
    BulkAnswers answers = new BulkAnswers();
    for (byte[] a : r.answers()) {
      answers.add(a);
    }
    return new Loaded(r.wallNanos() / 1e9, answers);
  }

  record Loaded(double seconds, BulkAnswers answers) {
    double facesPerSecond() {
      return answers.indexed() / seconds;
    }
  }
}
