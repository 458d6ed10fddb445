package org.facesearch.plugin.recognizability;

import java.io.IOException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.recognizability.Degradations;
import org.facesearch.recognizability.UiCentroids;
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
 * The body of {@code POST _plugins/face/recognizability/_centroid}: its options, and every wrong
 * value a 400 naming the option.
 */
public class CentroidBodyTests extends OpenSearchTestCase {

  private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 7};
  private static final String BASE64 = Base64.getEncoder().encodeToString(JPEG);

  @Override
  protected NamedXContentRegistry xContentRegistry() {
    return new NamedXContentRegistry(
        new SearchModule(Settings.EMPTY, List.of()).getNamedXContents()); // the sample's query
  }

  private CentroidRequest parse(String body) throws IOException {
    try (XContentParser parser = createParser(JsonXContent.jsonXContent, body)) {
      return CentroidRequest.parse(parser);
    }
  }

  private void assertRefused(String reason, String body) {
    ParsingException e = expectThrows(ParsingException.class, () -> parse(body));
    assertEquals(reason, e.getMessage());
    assertEquals(RestStatus.BAD_REQUEST, ExceptionsHelper.status(e));
  }

  public void testDirect() throws IOException {
    CentroidRequest r =
        parse(
            "{\"method\": \"direct\", \"images\": [\""
                + BASE64
                + "\", \"data:image/png;base64,"
                + BASE64
                + "\"],"
                + " \"degradations\": [\"gaussian_blur\"]}");
    assertEquals(CentroidRequest.Method.DIRECT, r.method());
    assertEquals(2, r.images().size());
    assertArrayEquals(JPEG, r.images().get(1));
    assertEquals(EnumSet.of(Degradations.Step.GAUSSIAN_BLUR), r.degradations());
    assertEquals(1, r.copies());
    assertEquals(EncodeMode.DETECT, r.mode());
    r =
        parse(
            "{\"method\": \"direct\", \"images\": [\""
                + BASE64
                + "\"], \"copies\": 3, \"seed\": 12345678901, \"mode\": \"aligned\"}");
    assertEquals(EnumSet.allOf(Degradations.Step.class), r.degradations());
    assertEquals(3, r.copies());
    assertEquals(12345678901L, r.seed());
    assertEquals(EncodeMode.ALIGNED, r.mode());
  }

  public void testClustering() throws IOException {
    CentroidRequest r =
        parse(
            "{\"method\": \"clustering\", \"index\": \"g\", \"field\": \"face\", \"query\": {\"term\": {\"k\": \"v\"}}}");
    assertEquals(CentroidRequest.Method.CLUSTERING, r.method());
    assertEquals(new TermQueryBuilder("k", "v"), r.query());
    assertEquals(CentroidRequest.DEFAULT_SAMPLE_SIZE, r.sampleSize());
    assertEquals(UiCentroids.DEFAULT_CUT, r.cut(), 0);
  }

  public void testWrongValuesNameTheOption() {
    assertRefused("[_centroid]: [method] must be a string, got null", "{\"method\": null}");
    assertRefused(
        "[_centroid]: [method] must be one of [direct, clustering], got [median]",
        "{\"method\": \"median\"}");
    assertRefused(
        "[_centroid]: [method] is required: [direct] (from [images]) or [clustering] (from an [index])",
        "{\"images\": []}");
    assertRefused(
        "[_centroid]: [images] must be an array of photos (base64 strings or data: URIs), got a string",
        "{\"method\": \"direct\", \"images\": \"" + BASE64 + "\"}");
    assertRefused(
        "[_centroid]: [images][1] must be a string (a base64 photo or a data: URI), got an object",
        "{\"method\": \"direct\", \"images\": [\"" + BASE64 + "\", {}]}");
    assertRefused(
        "[_centroid]: [degradations] must be one of [rotation, affine, occlusion, downsample, gaussian_blur, motion_blur], got [sepia]",
        "{\"method\": \"direct\", \"images\": [\""
            + BASE64
            + "\"], \"degradations\": [\"sepia\"]}");
    assertRefused(
        "[_centroid]: [degradations][0] must be a string, got null",
        "{\"method\": \"direct\", \"images\": [\"" + BASE64 + "\"], \"degradations\": [null]}");
    assertRefused(
        "[_centroid]: [copies] must be an integer, got a string",
        "{\"method\": \"direct\", \"images\": [\"" + BASE64 + "\"], \"copies\": \"2\"}");
    assertRefused(
        "[_centroid]: [seed] must be an integer, got [1.5]",
        "{\"method\": \"direct\", \"images\": [\"" + BASE64 + "\"], \"seed\": 1.5}");
    assertRefused(
        "[_centroid]: [index] does not apply to [method] [direct]",
        "{\"method\": \"direct\", \"images\": [\"" + BASE64 + "\"], \"index\": \"x\"}");
    assertRefused(
        "[_centroid]: [query] must be an object (a query), got a string",
        "{\"method\": \"clustering\", \"index\": \"g\", \"field\": \"face\", \"query\": \"k:v\"}");
    assertRefused(
        "[_centroid]: [cut] must be a number, got null",
        "{\"method\": \"clustering\", \"index\": \"g\", \"field\": \"face\", \"cut\": null}");
    assertRefused(
        "[_centroid]: unknown field [shape]",
        "{\"method\": \"direct\", \"images\": [\"" + BASE64 + "\"], \"shape\": 1}");
  }
}
