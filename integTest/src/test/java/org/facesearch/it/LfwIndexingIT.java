package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.facesearch.cli.NodeClient;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.model.ModelPack;
import org.junit.Test;

/**
 * 500 LFW photos through the real server's pipeline: every photo is indexed, and every stored
 * embedding (read back through a reindex, as the index holds it) equals what the encoder computes
 * for the same file when run directly here.
 */
public class LfwIndexingIT extends RealNodeTestCase {

  private static final int PHOTOS = 500;

  private static List<Path> lfwPhotos(int count) throws IOException {
    Path lfw = data().resolve("lfw");
    try (Stream<Path> files = Files.walk(lfw, 2)) {
      return files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(count).toList();
    }
  }

  @Test
  public void storedEmbeddingsEqualTheEncoderOnTheSameFiles() throws IOException {
    List<Path> photos = lfwPhotos(PHOTOS);
    assertEquals(PHOTOS, photos.size());
    assertEquals(
        200,
        node.call(
                "PUT",
                "/_ingest/pipeline/lfw-faces",
                "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": true}}]}")
            .status());
    assertEquals(
        200,
        node.call(
                "PUT",
                "/lfw",
                "{\"settings\": {\"number_of_shards\": 2}, \"mappings\": {"
                    + "\"properties\": {\"face\": {\"type\": \"face\"}}}}")
            .status());
    for (int from = 0; from < PHOTOS; from += 50) {
      StringBuilder bulk = new StringBuilder();
      for (Path photo : photos.subList(from, from + 50)) {
        bulk.append("{\"index\": {\"_index\": \"lfw\", \"_id\": \"")
            .append(photo.getFileName())
            .append("\"}}\n");
        bulk.append("{\"photo\": \"")
            .append(Base64.getEncoder().encodeToString(Files.readAllBytes(photo)))
            .append("\"}\n");
      }
      NodeClient.Answer answer = node.call("POST", "/_bulk?pipeline=lfw-faces", bulk.toString());
      assertEquals(200, answer.status());
      assertFalse(
          answer.text().substring(0, Math.min(2000, answer.text().length())),
          answer.body().path("errors").asBoolean());
    }
    node.call("POST", "/lfw/_refresh");
    assertEquals(PHOTOS, node.call("GET", "/lfw/_count").body().path("count").asInt());
    // The embeddings stay out of _source; a reindex into a field that keeps them there shows what
    // the index holds.
    assertEquals(
        200,
        node.call(
                "PUT",
                "/lfw-vectors",
                "{\"mappings\": {\"_source\": {\"excludes\": [\"face.patches\"]}, "
                    + "\"properties\": {\"face\": {\"type\": \"face\", \"source_vectors\": true}}}}")
            .status());
    NodeClient.Answer copied =
        node.call(
            "POST",
            "/_reindex?refresh=true",
            "{\"source\": {\"index\": \"lfw\"}, \"dest\": {\"index\": \"lfw-vectors\"}}");
    assertEquals(copied.text(), PHOTOS, copied.body().path("created").asInt());

    Path packs = Path.of(System.getProperty("face.model.dir"));
    try (FaceEncoder encoder =
        FaceEncoder.open(ModelPack.load(packs, "default"), EncoderOptions.defaults())) {
      double worst = 1;
      for (Path photo : photos) {
        EncodedFace direct = encoder.encode(Files.readAllBytes(photo), EncodeMode.DETECT, 1).get(0);
        JsonNode stored =
            node.call("GET", "/lfw-vectors/_doc/" + photo.getFileName())
                .body()
                .path("_source")
                .path("face")
                .path("embedding");
        assertEquals(512, stored.size());
        double dot = 0;
        for (int i = 0; i < 512; i++) {
          dot += direct.embedding()[i] * stored.get(i).asDouble();
        }
        worst = Math.min(worst, dot);
      }
      assertTrue("lowest cosine between stored and direct embeddings: " + worst, worst > 0.99999);
    }
  }
}
