package org.facesearch.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.cli.NodeClient;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.model.ModelPack;
import org.facesearch.model.PackDescriptor;
import org.facesearch.verification.VerificationCalibration;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code POST _plugins/face/_compare} on the real server: photos, stored faces and embeddings
 * compared, the cosine checked against the encoder run here on the same photos, the threshold
 * against the installed pack's calibration, the recognizability gate, the picture (JSON and PNG, by
 * parameter and by {@code Accept}), and every kind of bad input answered with its status.
 */
public class CompareIT extends RealNodeTestCase {

  private static final String INDEX = "compare-it";
  private static FaceEncoder encoder;
  private static PackDescriptor pack;

  @BeforeClass
  public static void gallery() throws IOException {
    Path packs = Path.of(System.getProperty("face.model.dir"));
    encoder =
        FaceEncoder.open(
            ModelPack.load(packs, "default"), EncoderOptions.defaults().withThreads(1));
    pack = encoder.pack().descriptor();
    assertEquals(
        200,
        node.call(
                "PUT",
                "/_ingest/pipeline/" + INDEX,
                "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": true}}]}")
            .status());
    assertEquals(
        200,
        node.call(
                "PUT",
                "/" + INDEX,
                "{\"mappings\": {\"_source\": {\"excludes\": [\"face.patches\", \"face.embedding\"]},"
                    + " \"properties\": {\"face\": {\"type\": \"face\"}, \"person\": {\"type\": \"keyword\"}}}}")
            .status());
    StringBuilder bulk = new StringBuilder();
    for (String[] p : new String[][] {{"Colin_Powell", "1"}, {"Tony_Blair", "1"}}) {
      bulk.append(
          "{\"index\": {\"_index\": \"" + INDEX + "\", \"_id\": \"" + p[0] + "_" + p[1] + "\"}}\n");
      bulk.append(
          "{\"person\": \""
              + p[0]
              + "\", \"photo\": \""
              + lfwBase64(p[0], Integer.parseInt(p[1]))
              + "\"}\n");
    }
    NodeClient.Answer indexed =
        node.call("POST", "/_bulk?refresh=true&pipeline=" + INDEX, bulk.toString());
    assertEquals(indexed.text(), 200, indexed.status());
    assertFalse(indexed.text(), indexed.body().path("errors").asBoolean());
    // A document without a face.
    assertEquals(
        201,
        node.call("PUT", "/" + INDEX + "/_doc/nobody?refresh=true", "{\"person\": \"nobody\"}")
            .status());
  }

  @AfterClass
  public static void cleanUp() {
    node.call("DELETE", "/" + INDEX);
    node.call("DELETE", "/_ingest/pipeline/" + INDEX);
    if (encoder != null) {
      encoder.close();
    }
  }

  /** The cosine of two LFW photos' largest faces, from the encoder run here. */
  private static double cosine(String personA, int a, String personB, int b) throws IOException {
    float[] ea = encoder.encode(lfw(personA, a), EncodeMode.DETECT, 1).get(0).embedding();
    float[] eb = encoder.encode(lfw(personB, b), EncodeMode.DETECT, 1).get(0).embedding();
    return VectorUtil.dotProduct(ea, eb);
  }

  private static byte[] lfw(String person, int n) throws IOException {
    return Base64.getDecoder().decode(lfwBase64(person, n));
  }

  private static String photo(String person, int n) throws IOException {
    return "{\"image\": \"" + lfwBase64(person, n) + "\"}";
  }

  private static String stored(String id) {
    return "{\"index\": \"" + INDEX + "\", \"id\": \"" + id + "\"}";
  }

  private static JsonNode compare(String body) {
    NodeClient.Answer answer = node.call("POST", "/_plugins/face/_compare", body);
    assertEquals(answer.text(), 200, answer.status());
    return answer.body();
  }

  private static VerificationCalibration.Point point(double fmr) {
    return pack.verification().points().stream()
        .filter(p -> p.fmr() == fmr)
        .findFirst()
        .orElseThrow();
  }

  @Test
  public void twoPhotosOfOnePersonMatchAndOfTwoPeopleDoNot() throws IOException {
    JsonNode same =
        compare(
            "{\"a\": "
                + photo("Colin_Powell", 3)
                + ", \"b\": "
                + photo("Colin_Powell", 2)
                + ", \"fmr\": 1e-4}");
    assertEquals(
        cosine("Colin_Powell", 3, "Colin_Powell", 2), same.path("cosine").asDouble(), 1e-5);
    assertEquals(point(1e-4).threshold(), same.path("threshold").asDouble(), 1e-9);
    assertEquals(point(1e-4).fnmr(), same.path("fnmr").asDouble(), 1e-9);
    assertEquals(1e-4, same.path("fmr").asDouble(), 0);
    assertEquals("match", same.path("decision").asText());
    assertTrue(same.path("reason").asText().startsWith("cosine "));
    assertEquals("image", same.path("a").path("source").asText());
    assertTrue(same.path("a").path("recognizable").asBoolean());
    double emd = same.path("emd").asDouble();
    double alpha = same.path("alpha").asDouble();
    assertEquals(0.7, alpha, 0);
    assertEquals(
        alpha * emd + (1 - alpha) * same.path("cosine").asDouble(),
        same.path("score").asDouble(),
        1e-9);
    assertEquals(5, same.path("flows").size());
    assertFalse("no embedding in the answer", same.toString().contains("embedding"));

    JsonNode different =
        compare("{\"a\": " + photo("Colin_Powell", 3) + ", \"b\": " + photo("Tony_Blair", 2) + "}");
    assertEquals(
        cosine("Colin_Powell", 3, "Tony_Blair", 2), different.path("cosine").asDouble(), 1e-5);
    assertEquals("no_match", different.path("decision").asText());
    assertEquals("by default at false-match rate 1e-4", 1e-4, different.path("fmr").asDouble(), 0);

    // A cosine threshold instead of a rate, and the stage-2 options of the rescorer.
    JsonNode byCosine =
        compare(
            "{\"a\": "
                + photo("Colin_Powell", 3)
                + ", \"b\": "
                + photo("Tony_Blair", 2)
                + ", \"min_similarity\": -0.5, \"alpha\": 0.3, \"weighting\": \"uniform\", \"flows\": 2}");
    assertEquals("match", byCosine.path("decision").asText());
    assertTrue(byCosine.path("fmr").isMissingNode());
    assertEquals(0.3, byCosine.path("alpha").asDouble(), 0);
    assertEquals("uniform", byCosine.path("weighting").asText());
    assertEquals(2, byCosine.path("flows").size());
  }

  @Test
  public void storedFacesAreComparedWithoutTheirFeaturesInSource() throws IOException {
    JsonNode photoToStored =
        compare(
            "{\"a\": " + photo("Colin_Powell", 2) + ", \"b\": " + stored("Colin_Powell_1") + "}");
    assertEquals(
        cosine("Colin_Powell", 2, "Colin_Powell", 1),
        photoToStored.path("cosine").asDouble(),
        1e-5);
    assertEquals("stored", photoToStored.path("b").path("source").asText());
    assertEquals("Colin_Powell_1", photoToStored.path("b").path("id").asText());
    assertTrue(photoToStored.path("b").path("patches").asBoolean());
    assertEquals("match", photoToStored.path("decision").asText());

    JsonNode storedToStored =
        compare("{\"a\": " + stored("Colin_Powell_1") + ", \"b\": " + stored("Tony_Blair_1") + "}");
    assertEquals(
        cosine("Colin_Powell", 1, "Tony_Blair", 1), storedToStored.path("cosine").asDouble(), 1e-5);
    assertEquals("no_match", storedToStored.path("decision").asText());
    assertEquals(5, storedToStored.path("flows").size());
  }

  @Test
  public void aFaceBelowTheRecognizabilityThresholdLeavesThePairUndecided() throws IOException {
    // The pack's UI centroid itself is the least recognizable face there is: ERS 0.
    float[] centroid = pack.recognizability().uiCentroid();
    StringBuilder embedding = new StringBuilder("[");
    for (int i = 0; i < centroid.length; i++) {
      embedding.append(i == 0 ? "" : ", ").append(centroid[i]);
    }
    embedding.append("]");
    JsonNode gated =
        compare(
            "{\"a\": {\"embedding\": " + embedding + "}, \"b\": " + photo("Colin_Powell", 2) + "}");
    assertEquals("undecided", gated.path("decision").asText());
    assertEquals(
        "face a is unrecognizable: ERS 0.000 below "
            + pack.recognizability().ersThreshold().floatValue(),
        gated.path("reason").asText());
    assertFalse(gated.path("a").path("recognizable").asBoolean());
    assertTrue(gated.path("b").path("recognizable").asBoolean());
    assertEquals("embedding", gated.path("a").path("source").asText());
    assertTrue("no patch map with the embedding: no stage-2 score", gated.path("emd").isNull());
    // With a threshold nothing is below, the same pair is decided.
    JsonNode open =
        compare(
            "{\"a\": {\"embedding\": "
                + embedding
                + "}, \"b\": "
                + photo("Colin_Powell", 2)
                + ", \"min_ers\": 0}");
    assertEquals("no_match", open.path("decision").asText());
  }

  @Test
  public void thePictureComesByParameterAndByAccept() throws IOException {
    String body =
        "{\"a\": " + photo("Colin_Powell", 3) + ", \"b\": " + stored("Colin_Powell_1") + "}";
    NodeClient.Raw byParameter =
        node.exchange("POST", "/_plugins/face/_compare?format=png", body, Map.of());
    assertEquals(new String(byParameter.body()), 200, byParameter.status());
    assertEquals("image/png", byParameter.contentType());
    assertArrayEquals(
        new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(byParameter.body(), 4));
    BufferedImage picture = ImageIO.read(new ByteArrayInputStream(byParameter.body()));
    assertNotNull(picture);
    int crop = pack.feature().inputSize();
    assertEquals(2 * 20 + 2 * 3 * crop + 120, picture.getWidth());
    NodeClient.Raw byAccept =
        node.exchange("POST", "/_plugins/face/_compare", body, Map.of("Accept", "image/png"));
    assertEquals(200, byAccept.status());
    assertEquals("image/png", byAccept.contentType());
    NodeClient.Raw json =
        node.exchange("POST", "/_plugins/face/_compare?format=json", body, Map.of());
    assertTrue(json.contentType(), json.contentType().startsWith("application/json"));
    Path out = Path.of(System.getProperty("java.io.tmpdir"), "compare-it.png");
    Files.write(out, byParameter.body());
  }

  @Test
  public void badInputIsRefusedWithItsStatus() throws IOException {
    String a = photo("Colin_Powell", 3);
    assertStatus(
        400,
        "outside the calibrated range " + pack.verification().range(),
        "{\"a\": " + a + ", \"b\": " + stored("Tony_Blair_1") + ", \"fmr\": 1e-9}");
    assertStatus(
        400,
        "[min_similarity] must be a cosine between -1 and 1, got [1.5]",
        "{\"a\": " + a + ", \"b\": " + stored("Tony_Blair_1") + ", \"min_similarity\": 1.5}");
    // A document that does not exist is not found, as GET index/_doc/id answers.
    assertStatus(
        404,
        "[b] document [nobody-here] not found in index [" + INDEX + "]",
        "{\"a\": " + a + ", \"b\": " + stored("nobody-here") + "}");
    assertStatus(
        404,
        "no such index",
        "{\"a\": " + a + ", \"b\": {\"index\": \"compare-it-missing\", \"id\": \"1\"}}");
    assertStatus(
        400,
        "[b] document [nobody] of index [" + INDEX + "] has no face in [face]",
        "{\"a\": " + a + ", \"b\": " + stored("nobody") + "}");
    assertStatus(
        400,
        "[b] field [person] of index [" + INDEX + "] is of type [keyword], not [face]",
        "{\"a\": "
            + a
            + ", \"b\": {\"index\": \""
            + INDEX
            + "\", \"id\": \"Tony_Blair_1\", \"field\": \"person\"}}");
    String blank = "{\"image\": \"" + blankPng() + "\"}";
    assertStatus(400, "no face found in the image", "{\"a\": " + blank + ", \"b\": " + blank + "}");
    assertStatus(
        400,
        "[b]: give the face as [image] (a photo), [index] and [id] (a stored face) or [embedding] (with [patches])",
        "{\"a\": " + a + ", \"b\": {}}");
    assertStatus(
        400,
        "[a] [embedding] has 3 values, but model [default@0.0.1] makes 512",
        "{\"a\": {\"embedding\": [1, 2, 3]}, \"b\": " + a + "}");
    assertStatus(400, "[a] and [b], the two faces to compare, are required", "{\"a\": " + a + "}");
    assertStatus(
        400,
        "[format] must be [json] or [png], got [gif]",
        "{\"a\": " + a + ", \"b\": " + a + "}",
        "?format=gif");
    assertStatus(400, "unknown field [k]", "{\"a\": " + a + ", \"b\": " + a + ", \"k\": 3}");
    assertStatus(
        400,
        "[image] is not valid base64",
        "{\"a\": {\"image\": \"not base64!\"}, \"b\": " + a + "}");
    assertStatus(400, "[model]", "{\"a\": " + a + ", \"b\": " + a + ", \"model\": \"nope\"}");
  }

  private static void assertStatus(int status, String reasonContains, String body) {
    assertStatus(status, reasonContains, body, "");
  }

  private static void assertStatus(
      int status, String reasonContains, String body, String parameters) {
    NodeClient.Answer answer = node.call("POST", "/_plugins/face/_compare" + parameters, body);
    assertEquals(answer.text(), status, answer.status());
    assertTrue(
        answer.text(),
        answer.body().path("error").path("reason").asText().contains(reasonContains));
  }

  /** A flat grey PNG: no face in it. */
  private static String blankPng() throws IOException {
    BufferedImage image = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 200; x++) {
        image.setRGB(x, y, 0x808080);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }
}
