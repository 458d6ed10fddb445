package org.facesearch.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.facesearch.cli.NodeClient;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Values of the wrong type in the bodies of the face query, the face_emd rescorer and {@code
 * _encode}, on the real server: each is an HTTP 400 whose top-level {@code reason} names the option
 * (never a 500 "Can't get text on a START_ARRAY"), and the node answers normally afterwards. A
 * photo given as a {@code data:} URI, as browsers produce it, is read as the photo.
 */
public class BadInputIT extends RealNodeTestCase {

  private static final String INDEX = "it-bad-input";

  @BeforeClass
  public static void gallery() throws IOException {
    String pipeline =
        "{\"processors\": [{\"face_embedding\": {\"field\": \"photo\", \"remove_image\": true}}]}";
    assertEquals(200, node.call("PUT", "/_ingest/pipeline/it-bad-input", pipeline).status());
    assertEquals(
        200,
        node.call(
                "PUT",
                "/" + INDEX,
                "{\"mappings\": {\"properties\": {\"face\": {\"type\": \"face\"}}}}")
            .status());
    NodeClient.Answer indexed =
        node.call(
            "PUT",
            "/" + INDEX + "/_doc/powell?pipeline=it-bad-input&refresh=true",
            "{\"photo\": \"" + lfwBase64("Colin_Powell", 1) + "\"}");
    assertEquals(indexed.text(), 201, indexed.status());
  }

  /**
   * Asserts a 400 whose top-level reason names {@code option}, then that the node still answers.
   */
  private static void assertRefused(String option, String method, String endpoint, String body) {
    NodeClient.Answer answer = node.call(method, endpoint, body);
    String shown = answer.text().length() > 600 ? answer.text().substring(0, 600) : answer.text();
    assertEquals(shown, 400, answer.status());
    String reason = answer.body().path("error").path("reason").asText();
    assertTrue(
        "top-level reason [" + reason + "] should name [" + option + "]",
        reason.contains("[" + option + "]"));
    assertEquals(200, node.call("GET", "/_cluster/health").status());
  }

  private static String query(String options) {
    return "{\"query\": {\"face\": {" + options + "}}}";
  }

  private static String rescore(String options) {
    return "{\"query\": {\"match_all\": {}}, \"rescore\": {\"face_emd\": {\"field\": \"face\", "
        + options
        + "}}}";
  }

  @Test
  public void theFaceQueryRefusesWrongTypesNamingTheOption() {
    String search = "/" + INDEX + "/_search";
    assertRefused("image", "POST", search, query("\"field\": \"face\", \"image\": [\"aGVsbG8=\"]"));
    assertRefused(
        "image", "POST", search, query("\"field\": \"face\", \"image\": {\"data\": \"aGVsbG8=\"}"));
    assertRefused("image", "POST", search, query("\"field\": \"face\", \"image\": null"));
    assertRefused("image", "POST", search, query("\"field\": \"face\", \"image\": 12345"));
    assertRefused("image", "POST", search, query("\"field\": \"face\", \"image\": true"));
    assertRefused("field", "POST", search, query("\"field\": null, \"image\": \"aGVsbG8=\""));
    assertRefused("images", "POST", search, query("\"field\": \"face\", \"images\": null"));
    assertRefused("images][0", "POST", search, query("\"field\": \"face\", \"images\": [null]"));
  }

  @Test
  public void theRescorerRefusesWrongTypesNamingTheOption() {
    assertRefused("image", "POST", "/" + INDEX + "/_search", rescore("\"image\": [\"aGVsbG8=\"]"));
    assertRefused("image", "POST", "/" + INDEX + "/_search", rescore("\"image\": {}"));
    assertRefused("image", "POST", "/" + INDEX + "/_search", rescore("\"image\": null"));
    assertRefused("alpha", "POST", "/" + INDEX + "/_search", rescore("\"alpha\": null"));
    assertRefused(
        "patches",
        "POST",
        "/" + INDEX + "/_search",
        rescore("\"embedding\": [1], \"patches\": {}"));
    assertRefused("images", "POST", "/" + INDEX + "/_search", rescore("\"images\": {}"));
  }

  @Test
  public void encodeRefusesWrongTypesNamingTheOption() {
    assertRefused("image", "POST", "/_plugins/face/_encode", "{\"image\": [\"aGVsbG8=\"]}");
    assertRefused("image", "POST", "/_plugins/face/_encode", "{\"image\": {}}");
    assertRefused("image", "POST", "/_plugins/face/_encode", "{\"image\": null}");
    assertRefused("image", "POST", "/_plugins/face/_encode", "{\"image\": 7}");
    assertRefused("image", "POST", "/_plugins/face/_encode", "{\"image\": false}");
    assertRefused(
        "model", "POST", "/_plugins/face/_encode", "{\"image\": \"aGVsbG8=\", \"model\": null}");
    assertRefused(
        "mode", "POST", "/_plugins/face/_encode", "{\"image\": \"aGVsbG8=\", \"mode\": null}");
  }

  @Test
  public void aDataUriIsThePhotoItCarries() throws IOException {
    String photo = lfwBase64("Colin_Powell", 2);
    NodeClient.Answer plain =
        node.call("POST", "/_plugins/face/_encode", "{\"image\": \"" + photo + "\"}");
    NodeClient.Answer uri =
        node.call(
            "POST",
            "/_plugins/face/_encode",
            "{\"image\": \"data:image/jpeg;base64," + photo + "\"}");
    assertEquals(
        uri.text().length() > 400 ? uri.text().substring(0, 400) : uri.text(), 200, uri.status());
    assertEquals(plain.body().path("faces"), uri.body().path("faces"));

    JsonNode byBase64 =
        node.call(
                "POST",
                "/" + INDEX + "/_search",
                query("\"field\": \"face\", \"image\": \"" + photo + "\""))
            .body();
    NodeClient.Answer byUri =
        node.call(
            "POST",
            "/" + INDEX + "/_search",
            query("\"field\": \"face\", \"image\": \"data:image/jpeg;base64," + photo + "\""));
    assertEquals(byUri.text(), 200, byUri.status());
    JsonNode hit = byUri.body().path("hits").path("hits").get(0);
    assertEquals("powell", hit.path("_id").asText());
    assertEquals(
        byBase64.path("hits").path("hits").get(0).path("_score").asDouble(),
        hit.path("_score").asDouble(),
        0);

    // A data: URI of something else than an image is refused by name.
    assertRefused(
        "image",
        "POST",
        "/_plugins/face/_encode",
        "{\"image\": \"data:text/plain;base64,aGVsbG8=\"}");
  }
}
