package org.facesearch.query;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.queryface.FaceInput;
import org.facesearch.queryface.QueryFaces;
import org.opensearch.ExceptionsHelper;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.TermQueryBuilder;
import org.opensearch.search.SearchModule;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The face query's body, parsed as the node parses it: every value of the wrong type, every unknown
 * option and every value out of range is a 400 whose own message (the top-level {@code reason} of
 * the error response) names the option and what it takes.
 */
public class FaceQueryParsingTests extends OpenSearchTestCase {

  /** Parsing never encodes: a query face encoder that must not be called. */
  private static final QueryFaces NOT_CALLED =
      (input, listener) -> {
        throw new AssertionError("parsing encoded a face");
      };

  private static final String JPEG_BASE64 =
      Base64.getEncoder()
          .encodeToString(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 1, 2, 3});

  @Override
  protected NamedXContentRegistry xContentRegistry() {
    return new NamedXContentRegistry(
        new SearchModule(Settings.EMPTY, List.of()).getNamedXContents()); // the filter's queries
  }

  private FaceQueryBuilder parse(String body) throws IOException {
    try (XContentParser parser = createParser(JsonXContent.jsonXContent, body)) {
      return FaceQueryBuilder.fromXContent(parser, NOT_CALLED);
    }
  }

  private void assertRefused(String reason, String body) {
    ParsingException e = expectThrows(ParsingException.class, () -> parse(body));
    assertEquals(reason, e.getMessage());
    assertEquals(RestStatus.BAD_REQUEST, ExceptionsHelper.status(e));
  }

  public void testEveryOptionIsRead() throws IOException {
    FaceQueryBuilder q =
        parse(
            "{\"field\": \"face\", \"embedding\": [3, 4], \"k\": 7, \"num_candidates\": 9, \"filter\": {\"term\": {\"g\": \"x\"}},"
                + " \"min_ers\": 0.25, \"query_min_ers\": 0.5, \"on_unrecognizable_query\": \"EMPTY\", \"mode\": \"aligned\", \"model\": \"m\","
                + " \"boost\": 2, \"_name\": \"n\"}");
    assertEquals("face", q.field());
    assertArrayEquals(new float[] {3, 4}, q.input().embedding(), 0f);
    assertEquals(7, q.k());
    assertEquals(9, q.numCandidates());
    assertEquals(new TermQueryBuilder("g", "x"), q.filter());
    assertEquals(0.25f, q.minErs(), 0f);
    assertEquals(0.5f, q.queryMinErs(), 0f);
    assertEquals(UnrecognizableQueryPolicy.EMPTY, q.onUnrecognizable());
    assertEquals(EncodeMode.ALIGNED, q.input().mode());
    assertEquals("m", q.input().model());
    assertEquals(2f, q.boost(), 0f);
    assertEquals("n", q.queryName());
  }

  public void testDefaults() throws IOException {
    FaceQueryBuilder q = parse("{\"field\": \"face\", \"image\": \"" + JPEG_BASE64 + "\"}");
    assertEquals(FaceQueryBuilder.DEFAULT_K, q.k());
    assertEquals(2 * FaceQueryBuilder.DEFAULT_K, q.numCandidates());
    assertNull(q.filter());
    assertNull(q.minErs());
    assertNull(q.queryMinErs());
    assertEquals(UnrecognizableQueryPolicy.ERROR, q.onUnrecognizable());
    assertEquals(FaceInput.DEFAULT_MODE, q.input().mode());
    assertEquals(FaceInput.DEFAULT_MODEL, q.input().model());
    assertArrayEquals(Base64.getDecoder().decode(JPEG_BASE64), q.input().images().get(0));
  }

  public void testAnImageMayBeADataUriAsBrowsersWriteIt() throws IOException {
    FaceQueryBuilder q =
        parse("{\"field\": \"face\", \"image\": \"data:image/jpeg;base64," + JPEG_BASE64 + "\"}");
    assertArrayEquals(Base64.getDecoder().decode(JPEG_BASE64), q.input().images().get(0));
    q =
        parse(
            "{\"field\": \"face\", \"images\": [\"DATA:Image/PNG;name=a.png;base64,"
                + JPEG_BASE64
                + "\", \""
                + JPEG_BASE64
                + "\"]}");
    assertArrayEquals(Base64.getDecoder().decode(JPEG_BASE64), q.input().images().get(0));
    assertArrayEquals(Base64.getDecoder().decode(JPEG_BASE64), q.input().images().get(1));
    String text = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.US_ASCII));
    assertRefused(
        "[face] query: [image] is a data: URI of type [text/plain], not of an image",
        "{\"field\": \"face\", \"image\": \"data:text/plain;base64," + text + "\"}");
    assertRefused(
        "[face] query: [images][0] is a data: URI that is not base64: expected data:image/svg+xml;base64,<data>",
        "{\"field\": \"face\", \"images\": [\"data:image/svg+xml,<svg/>\"]}");
  }

  public void testValuesOfTheWrongTypeNameTheOptionAndTheTypeItTakes() {
    String image = "[image] must be a string (a base64 photo or a data: URI), got ";
    assertRefused(
        "[face] query: " + image + "an array",
        "{\"field\": \"face\", \"image\": [\"" + JPEG_BASE64 + "\"]}");
    assertRefused(
        "[face] query: " + image + "an object",
        "{\"field\": \"face\", \"image\": {\"data\": \"" + JPEG_BASE64 + "\"}}");
    assertRefused("[face] query: " + image + "null", "{\"field\": \"face\", \"image\": null}");
    assertRefused("[face] query: " + image + "a number", "{\"field\": \"face\", \"image\": 12}");
    assertRefused("[face] query: " + image + "a boolean", "{\"field\": \"face\", \"image\": true}");
    assertRefused(
        "[face] query: [field] must be a string, got null",
        "{\"field\": null, \"embedding\": [1]}");
    assertRefused(
        "[face] query: [field] must be a string, got an array",
        "{\"field\": [\"face\"], \"embedding\": [1]}");
    assertRefused(
        "[face] query: [images] must be an array of images (base64 strings or data: URIs), got null",
        "{\"field\": \"face\", \"images\": null}");
    assertRefused(
        "[face] query: [images][1] must be a string (a base64 photo or a data: URI), got null",
        "{\"field\": \"face\", \"images\": [\"" + JPEG_BASE64 + "\", null]}");
    assertRefused(
        "[face] query: [mode] must be a string, got null",
        "{\"field\": \"face\", \"image\": \"" + JPEG_BASE64 + "\", \"mode\": null}");
    assertRefused(
        "[face] query: [model] must be a string, got an object",
        "{\"field\": \"face\", \"image\": \"" + JPEG_BASE64 + "\", \"model\": {}}");
    assertRefused(
        "[face] query: [embedding] must be an array of numbers, got a string",
        "{\"field\": \"face\", \"embedding\": \"1, 2\"}");
    assertRefused(
        "[face] query: [embedding] value [1] must be a number, got null",
        "{\"field\": \"face\", \"embedding\": [1, null]}");
    assertRefused(
        "[face] query: [k] must be an integer, got a string",
        "{\"field\": \"face\", \"embedding\": [1], \"k\": \"10\"}");
    assertRefused(
        "[face] query: [k] must be an integer, got [1.5]",
        "{\"field\": \"face\", \"embedding\": [1], \"k\": 1.5}");
    assertRefused(
        "[face] query: [min_ers] must be a number, got null",
        "{\"field\": \"face\", \"embedding\": [1], \"min_ers\": null}");
    assertRefused(
        "[face] query: [filter] must be an object (a query), got an array",
        "{\"field\": \"face\", \"embedding\": [1], \"filter\": [{\"term\": {\"g\": \"x\"}}]}");
    assertRefused(
        "[face] query: [boost] must be a number, got a string",
        "{\"field\": \"face\", \"embedding\": [1], \"boost\": \"2\"}");
    assertRefused(
        "[face] query: [patches] must be a string, got an object",
        "{\"field\": \"face\", \"embedding\": [1], \"patches\": {}}");
  }

  public void testUnknownOptionsAndBadValuesAreNamed() {
    assertRefused(
        "[face] query: unknown field [colour]",
        "{\"field\": \"face\", \"embedding\": [1], \"colour\": 1}");
    assertRefused(
        "[face] query: [on_unrecognizable_query] must be one of [error, empty, ignore], got [maybe]",
        "{\"field\": \"face\", \"embedding\": [1], \"on_unrecognizable_query\": \"maybe\"}");
    assertRefused(
        "[face] query: [mode] must be one of [detect, aligned], got [guess]",
        "{\"field\": \"face\", \"image\": \"" + JPEG_BASE64 + "\", \"mode\": \"guess\"}");
    assertRefused(
        "[face] query: [k] must be between 1 and 10000, got [0]",
        "{\"field\": \"face\", \"embedding\": [1], \"k\": 0}");
    assertRefused(
        "[face] query: [num_candidates] (5) must be at least [k] (10)",
        "{\"field\": \"face\", \"embedding\": [1], \"k\": 10, \"num_candidates\": 5}");
    assertRefused(
        "[face] query: give only one of [embedding], [image] or [images], not [embedding, image]",
        "{\"field\": \"face\", \"embedding\": [1], \"image\": \"" + JPEG_BASE64 + "\"}");
    assertRefused(
        "[face] query: give exactly one of [embedding], [image] or [images]",
        "{\"field\": \"face\"}");
    assertRefused("[face] query: [field] is required", "{\"embedding\": [1]}");
    assertRefused(
        "[face] query: [image] is not valid base64: Illegal base64 character 2d",
        "{\"field\": \"face\", \"image\": \"AB-C\"}");
    assertRefused(
        "[face] query: unknown query [nope]",
        "{\"field\": \"face\", \"embedding\": [1], \"filter\": {\"nope\": {}}}");
  }

  public void testTheThresholdFormTakesACosineOrAFalseMatchRate() throws IOException {
    FaceQueryBuilder cosine =
        parse("{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": 0.45}");
    assertEquals(0.45f, cosine.minSimilarity().threshold(), 0f);
    assertNull(cosine.minSimilarity().fmr());
    FaceQueryBuilder rate =
        parse("{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": {\"fmr\": 1e-4}}");
    assertEquals(1e-4, rate.minSimilarity().fmr(), 0);
    assertFalse(
        "a rate is resolved by the model, during the rewrite", rate.minSimilarity().resolved());
    assertEquals(
        -1f,
        parse("{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": -1}")
            .minSimilarity()
            .threshold(),
        0f);
    assertNull(parse("{\"field\": \"face\", \"embedding\": [1]}").minSimilarity());
  }

  public void testTheThresholdFormRefusesWhatDoesNotFit() {
    assertRefused(
        "[face] query: give [k] (the nearest faces) or [min_similarity] (every face at least that similar), not both",
        "{\"field\": \"face\", \"embedding\": [1], \"k\": 10, \"min_similarity\": 0.4}");
    assertRefused(
        "[face] query: [num_candidates] goes with [k]: a [min_similarity] search walks the graph as far as the threshold reaches",
        "{\"field\": \"face\", \"embedding\": [1], \"num_candidates\": 10, \"min_similarity\": 0.4}");
    assertRefused(
        "[face] query: [min_similarity] must be a cosine between -1 and 1, got [1.5]",
        "{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": 1.5}");
    assertRefused(
        "[face] query: [min_similarity] must be a cosine between -1 and 1, got [-1.01]",
        "{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": -1.01}");
    assertRefused(
        "[face] query: [min_similarity] must be a cosine or an object with a false-match rate, such as {\"fmr\": 1e-4}, got a string",
        "{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": \"0.4\"}");
    assertRefused(
        "[face] query: [min_similarity] must be a cosine or an object with a false-match rate, such as {\"fmr\": 1e-4}, got null",
        "{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": null}");
    assertRefused(
        "[face] query: [min_similarity] takes only [fmr] (a false-match rate), got [far]",
        "{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": {\"far\": 1e-4}}");
    assertRefused(
        "[face] query: [min_similarity] as an object needs [fmr], a false-match rate such as 1e-4",
        "{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": {}}");
    assertRefused(
        "[face] query: [min_similarity] [fmr] must be a number, got a string",
        "{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": {\"fmr\": \"1e-4\"}}");
    assertRefused(
        "[face] query: [min_similarity] [fmr] must be a false-match rate between 0 and 1, such as 1e-4, got [0.0]",
        "{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": {\"fmr\": 0}}");
    assertRefused(
        "[face] query: [min_similarity] [fmr] must be a false-match rate between 0 and 1, such as 1e-4, got [2.0]",
        "{\"field\": \"face\", \"embedding\": [1], \"min_similarity\": {\"fmr\": 2}}");
  }
}
