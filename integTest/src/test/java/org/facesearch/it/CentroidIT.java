package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.facesearch.cli.NodeClient;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.image.RgbImage;
import org.facesearch.model.ModelPack;
import org.facesearch.recognizability.Degradations;
import org.facesearch.recognizability.UiCentroids;
import org.junit.Test;

/**
 * {@code POST _plugins/face/recognizability/_centroid} on the real server, against centroids
 * computed in this JVM from the same photos (direct) or from the indexed vectors (clustering).
 */
public class CentroidIT extends RealNodeTestCase {

  private static final String[][] PHOTOS = {
    {"Colin_Powell", "1"}, {"Tony_Blair", "1"}, {"George_W_Bush", "1"}
  };

  private static float[] vector(JsonNode array) {
    float[] v = new float[array.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) array.get(i).asDouble();
    }
    return v;
  }

  private static String json(float[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.8f", v[i]));
    }
    return b.append(']').toString();
  }

  @Test
  public void directCentroidIsTheMeanOfTheDegradedFaces() throws IOException {
    StringBuilder images = new StringBuilder();
    for (String[] p : PHOTOS) {
      images
          .append(images.isEmpty() ? "" : ", ")
          .append('"')
          .append(lfwBase64(p[0], Integer.parseInt(p[1])))
          .append('"');
    }
    NodeClient.Answer answer =
        node.call(
            "POST",
            "/_plugins/face/recognizability/_centroid",
            "{\"method\": \"direct\", \"images\": ["
                + images
                + "], \"degradations\": [\"downsample\", \"gaussian_blur\"], \"copies\": 2, \"seed\": 7}");
    assertEquals(answer.text(), 200, answer.status());
    JsonNode stats = answer.body().path("statistics");
    assertEquals(3, stats.path("faces").asInt());
    assertEquals(6, stats.path("degraded_faces").asInt());
    assertEquals(6, stats.path("ers_of_degraded_faces").path("count").asInt());

    // The same computation here: largest face, aligned, copy c of image i degraded with
    // Random(seed * 1000003 + i * 100 + c) (docs/recognizability.md), embedded, averaged.
    List<RgbImage> degraded = new ArrayList<>();
    try (FaceEncoder encoder =
        FaceEncoder.open(
            ModelPack.load(Path.of(System.getProperty("face.model.dir")), "default"),
            EncoderOptions.defaults())) {
      for (int i = 0; i < PHOTOS.length; i++) {
        byte[] bytes =
            Files.readAllBytes(
                data()
                    .resolve(
                        String.format(
                            Locale.ROOT,
                            "lfw/%s/%s_%04d.jpg",
                            PHOTOS[i][0],
                            PHOTOS[i][0],
                            Integer.parseInt(PHOTOS[i][1]))));
        RgbImage aligned = encoder.encode(bytes, EncodeMode.DETECT, 1).get(0).alignedFace();
        for (int c = 0; c < 2; c++) {
          degraded.add(
              Degradations.heavy(
                  aligned,
                  new Random(7 * 1_000_003L + i * 100L + c),
                  EnumSet.of(Degradations.Step.DOWNSAMPLE, Degradations.Step.GAUSSIAN_BLUR)));
        }
      }
      float[] expected =
          UiCentroids.mean(
              encoder.embedAligned(degraded).stream().map(EncodedFace::embedding).toList());
      float[] got = vector(answer.body().path("centroid"));
      assertTrue(
          "cosine distance " + UiCentroids.cosineDistance(expected, got),
          UiCentroids.cosineDistance(expected, got) < 1e-5);
    }
    JsonNode file = answer.body().path("recognizability");
    assertEquals(answer.body().path("centroid"), file.path("ui_centroid"));
    assertTrue(
        file.path("ui_centroid_source").asText(),
        file.path("ui_centroid_source").asText().startsWith("Direct method"));
    // The shipped threshold is carried over, and says so.
    assertEquals(0.81, file.path("ers_threshold").asDouble(), 1e-9);
    assertTrue(file.path("ers_threshold_source").asText().startsWith("Carried over"));
  }

  @Test
  public void clusteringFindsTheTightGroupOfAnIndex() {
    assertEquals(
        200,
        node.call(
                "PUT",
                "/it-centroid",
                "{\"mappings\": {\"properties\": {\"face\": {\"type\": \"face\"}}}}")
            .status());
    Random r = new Random(42);
    float[] u = unit(gaussian(r, 1));
    List<float[]> group = new ArrayList<>();
    StringBuilder bulk = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      float[] v;
      if (i % 8 < 5) { // 25 faces a little apart from u: pairwise distance about 0.3
        float[] noise = gaussian(r, 0.2 / Math.sqrt(512));
        v = new float[512];
        for (int d = 0; d < 512; d++) {
          v[d] = u[d] + noise[d];
        }
        v = unit(v);
        group.add(v);
      } else { // 15 faces in random directions: distance about 1.41 from everything
        v = unit(gaussian(r, 1));
      }
      bulk.append("{\"index\": {\"_index\": \"it-centroid\", \"_id\": \"")
          .append(i)
          .append("\"}}\n");
      bulk.append(
          i % 2 == 0
              ? "{\"face\": {\"embedding\": " + json(v) + "}}\n"
              : "{\"face\": " + json(v) + "}\n");
    }
    bulk.append(
        "{\"index\": {\"_index\": \"it-centroid\", \"_id\": \"no-face\"}}\n{\"title\": \"no face here\"}\n");
    NodeClient.Answer indexed = node.call("POST", "/_bulk?refresh=true", bulk.toString());
    assertEquals(indexed.text(), false, indexed.body().path("errors").asBoolean());

    NodeClient.Answer answer =
        node.call(
            "POST",
            "/_plugins/face/recognizability/_centroid",
            "{\"method\": \"clustering\", \"index\": \"it-centroid\", \"field\": \"face\", \"sample_size\": 100, \"seed\": 3}");
    assertEquals(answer.text(), 200, answer.status());
    JsonNode stats = answer.body().path("statistics");
    assertEquals(41, stats.path("documents_sampled").asInt());
    assertEquals(1, stats.path("documents_without_face").asInt());
    assertEquals(40, stats.path("faces").asInt());
    assertEquals(25, stats.path("largest_cluster").asInt());
    assertEquals(16, stats.path("clusters").asInt());
    assertEquals(1, stats.path("runner_up").asInt());
    float[] expected = UiCentroids.mean(group);
    float[] got = vector(answer.body().path("centroid"));
    assertTrue(
        "cosine distance " + UiCentroids.cosineDistance(expected, got),
        UiCentroids.cosineDistance(expected, got) < 1e-6);
  }

  @Test
  public void badRequestsNameTheProblem() {
    assertBad("{\"images\": []}", "[_centroid]: [method] is required");
    assertBad(
        "{\"method\": \"median\"}", "[method] must be one of [direct, clustering], got [median]");
    assertBad("{\"method\": \"direct\"}", "[images] is required with [method] [direct]");
    assertBad(
        "{\"method\": \"direct\", \"images\": [\"aGVsbG8=\"], \"index\": \"x\"}",
        "[index] does not apply to [method] [direct]");
    assertBad(
        "{\"method\": \"direct\", \"images\": [\"aGVsbG8=\"], \"degradations\": [\"sepia\"]}",
        "[degradations] must be one of [rotation, affine, occlusion, downsample, gaussian_blur, motion_blur], got [sepia]");
    assertBad("{\"method\": \"direct\", \"images\": [\"aGVsbG8=\"]}", "[images][0]");
    assertBad(
        "{\"method\": \"direct\", \"images\": [\"aGVsbG8=\"], \"copies\": 0}",
        "[copies] must be between 1 and 100");
    assertBad(
        "{\"method\": \"clustering\", \"index\": \"it-centroid\"}",
        "[index] and [field] are required");
    assertBad(
        "{\"method\": \"clustering\", \"index\": \"it-centroid\", \"field\": \"face\", \"sample_size\": 20000}",
        "[sample_size] asks for 20000 faces, more than [plugins.face.recognizability.max_faces] (10000) allows");
    assertBad(
        "{\"method\": \"clustering\", \"index\": \"it-centroid\", \"field\": \"face\", \"cut\": 3}",
        "[cut] must be");
    assertBad(
        "{\"method\": \"direct\", \"images\": [\"aGVsbG8=\"], \"shape\": 1}",
        "[_centroid]: unknown field [shape]");
  }

  private static void assertBad(String body, String message) {
    NodeClient.Answer answer = node.call("POST", "/_plugins/face/recognizability/_centroid", body);
    assertEquals(answer.text(), 400, answer.status());
    assertTrue(answer.text(), answer.text().contains(message));
  }

  private static float[] gaussian(Random r, double sigma) {
    float[] v = new float[512];
    for (int d = 0; d < 512; d++) {
      v[d] = (float) (r.nextGaussian() * sigma);
    }
    return v;
  }

  private static float[] unit(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    float[] out = new float[v.length];
    for (int d = 0; d < v.length; d++) {
      out[d] = (float) (v[d] / Math.sqrt(s));
    }
    return out;
  }
}
