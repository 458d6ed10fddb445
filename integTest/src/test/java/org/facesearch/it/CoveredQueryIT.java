package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.facesearch.cli.NodeClient;
import org.junit.Test;

/**
 * A query photo with the lower face painted over reaches stage 2 with its occlusion evidence:
 * {@code alpha: auto} rises above the alpha of the same photo uncovered, and the covered photo
 * still finds its person (docs/rescorer.md, covered faces). The covered photo's ERS falls just
 * below the pack's threshold (0.802 against 0.81), so the face query is told to search anyway.
 */
public class CoveredQueryIT extends RealNodeTestCase {

  /**
   * LFW photo {@code number} of {@code person} with a flat surgical-blue block from below the nose
   * to the chin, as PNG base64.
   */
  private static String covered(String person, int number) throws IOException {
    Path file =
        data().resolve(String.format(Locale.ROOT, "lfw/%s/%s_%04d.jpg", person, person, number));
    BufferedImage photo = ImageIO.read(file.toFile());
    BufferedImage rgb =
        new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.drawImage(photo, 0, 0, null);
      // LFW photos are 250x250 with the face centred: rows 140-190 hold mouth and chin.
      g.setColor(new Color(170, 200, 230));
      g.fillRect(88, 140, 74, 50);
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(rgb, "png", png);
    return Base64.getEncoder().encodeToString(png.toByteArray());
  }

  private static double alphaOf(JsonNode explanation) {
    if ("alpha".equals(explanation.path("description").asText())) {
      return explanation.path("value").asDouble();
    }
    for (JsonNode d : explanation.path("details")) {
      double a = alphaOf(d);
      if (!Double.isNaN(a)) {
        return a;
      }
    }
    return Double.NaN;
  }

  private JsonNode search(String image) {
    NodeClient.Answer found =
        node.call(
            "POST",
            "/it-covered/_search",
            "{\"explain\": true, \"query\": {\"face\": {\"field\": \"face\", \"image\": \""
                + image
                + "\", \"k\": 4, \"on_unrecognizable_query\": \"ignore\"}}, \"rescore\": {\"window_size\": 4, \"face_emd\": {\"field\": \"face\", \"weighting\": \"recognizability\","
                + " \"centre_patches\": true, \"alpha\": \"auto\"}}}");
    assertEquals(found.text(), 200, found.status());
    return found.body().path("hits").path("hits").get(0);
  }

  @Test
  public void autoAlphaReadsTheCoveredPartOfTheQueryPhoto() throws IOException {
    String pipeline =
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": true}}]}";
    assertEquals(200, node.call("PUT", "/_ingest/pipeline/it-covered", pipeline).status());
    assertEquals(
        200,
        node.call(
                "PUT",
                "/it-covered",
                "{\"mappings\": {\"properties\": {\"face\": {\"type\": \"face\"}}}}")
            .status());
    StringBuilder bulk = new StringBuilder();
    for (String person :
        new String[] {"Colin_Powell", "Tony_Blair", "George_W_Bush", "Gerhard_Schroeder"}) {
      bulk.append("{\"index\": {\"_index\": \"it-covered\", \"_id\": \"")
          .append(person)
          .append("\"}}\n");
      bulk.append("{\"photo\": \"").append(lfwBase64(person, 1)).append("\"}\n");
    }
    NodeClient.Answer indexed =
        node.call("POST", "/_bulk?pipeline=it-covered&refresh=true", bulk.toString());
    assertEquals(200, indexed.status());
    assertEquals(
        indexed.text().substring(0, 300), false, indexed.body().path("errors").asBoolean());

    JsonNode plain = search(lfwBase64("Tony_Blair", 2));
    JsonNode masked = search(covered("Tony_Blair", 2));
    assertEquals("Tony_Blair", masked.path("_id").asText());
    double plainAlpha = alphaOf(plain.path("_explanation"));
    double maskedAlpha = alphaOf(masked.path("_explanation"));
    assertTrue(plain.toString(), plainAlpha >= 0.3 - 1e-6 && plainAlpha <= 0.5 + 1e-6);
    assertTrue(
        "covered " + maskedAlpha + " vs uncovered " + plainAlpha, maskedAlpha > plainAlpha + 0.05);
    assertTrue(masked.toString(), maskedAlpha <= 0.5 + 1e-6);
  }
}
