package org.facesearch.plugin.compare;

import java.io.IOException;
import java.util.Base64;
import org.facesearch.emd.EmdParams;
import org.facesearch.emd.Grid;
import org.facesearch.emd.Weighting;
import org.facesearch.encoder.EncodeMode;
import org.opensearch.ExceptionsHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The body of {@code POST _plugins/face/_compare}: its options and defaults, and every wrong value
 * a 400 naming the option.
 */
public class CompareBodyTests extends OpenSearchTestCase {

  private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 7};
  private static final String IMAGE =
      "{\"image\": \"" + Base64.getEncoder().encodeToString(JPEG) + "\"}";
  private static final String STORED = "{\"index\": \"gallery\", \"id\": \"7\"}";

  private CompareRequest parse(String body) throws IOException {
    try (XContentParser parser = createParser(JsonXContent.jsonXContent, body)) {
      return CompareRequest.parse(parser);
    }
  }

  private void assertRefused(String reason, String body) {
    ParsingException e = expectThrows(ParsingException.class, () -> parse(body));
    assertEquals(reason, e.getMessage());
    assertEquals(RestStatus.BAD_REQUEST, ExceptionsHelper.status(e));
  }

  public void testDefaults() throws IOException {
    CompareRequest r = parse("{\"a\": " + IMAGE + ", \"b\": " + STORED + "}");
    assertArrayEquals(JPEG, r.a().image());
    assertEquals(EncodeMode.DETECT, r.a().mode());
    assertTrue(r.a().isImage());
    assertTrue(r.b().isStored());
    assertEquals("gallery", r.b().index());
    assertEquals("7", r.b().id());
    assertEquals("face", r.b().field());
    assertNull(r.b().routing());
    assertNull(r.fmr());
    assertNull(r.minSimilarity());
    assertNull(r.minErs());
    assertEquals("default", r.model());
    assertEquals(
        EmdParams.defaults().toBuilder().flows(CompareRequest.DEFAULT_FLOWS).build(), r.params());
    assertFalse(r.autoAlpha());
  }

  public void testEveryOptionIsRead() throws IOException {
    CompareRequest r =
        parse(
            "{\"a\": {\"image\": \""
                + Base64.getEncoder().encodeToString(JPEG)
                + "\", \"mode\": \"aligned\"},"
                + " \"b\": {\"index\": \"g\", \"id\": \"x\", \"field\": \"person.face\", \"routing\": \"r\"}, \"fmr\": 1e-5, \"min_ers\": 0.5,"
                + " \"model\": \"m\", \"alpha\": 0.4, \"weighting\": \"uniform\", \"grid\": \"4x4\", \"epsilon\": 0.1, \"max_iterations\": 50,"
                + " \"tolerance\": 0.001, \"flows\": 3, \"centre_patches\": true}");
    assertEquals(EncodeMode.ALIGNED, r.a().mode());
    assertEquals("person.face", r.b().field());
    assertEquals("r", r.b().routing());
    assertEquals(1e-5, r.fmr(), 0);
    assertEquals(0.5f, r.minErs(), 0);
    assertEquals("m", r.model());
    assertEquals(
        EmdParams.builder()
            .alpha(0.4)
            .weighting(Weighting.UNIFORM)
            .grid(Grid.POOLED_4X4)
            .epsilon(0.1)
            .maxIterations(50)
            .tolerance(0.001)
            .flows(3)
            .centrePatches(true)
            .build(),
        r.params());
    CompareRequest e =
        parse(
            "{\"a\": {\"embedding\": [1, 2], \"patches\": \"AAAA\"}, \"b\": "
                + STORED
                + ", \"min_similarity\": 0.5,"
                + " \"alpha\": \"auto\"}");
    assertArrayEquals(new float[] {1, 2}, e.a().embedding(), 0f);
    assertArrayEquals(new byte[] {0, 0, 0}, e.a().patches());
    assertEquals(0.5f, e.minSimilarity(), 0f);
    assertTrue(e.autoAlpha());
  }

  public void testBadSidesAreNamed() {
    assertRefused(
        "[_compare]: [a] and [b], the two faces to compare, are required",
        "{\"a\": " + IMAGE + "}");
    assertRefused(
        "[_compare]: [b]: give the face as [image] (a photo), [index] and [id] (a stored face) or [embedding] (with [patches])",
        "{\"a\": " + IMAGE + ", \"b\": {}}");
    assertRefused(
        "[_compare]: [a]: give only one of [image], [index] and [id], or [embedding], not [image, index and id]",
        "{\"a\": {\"image\": \"AAAA\", \"index\": \"g\", \"id\": \"1\"}, \"b\": " + STORED + "}");
    assertRefused(
        "[_compare]: [b]: a stored face needs both [index] and [id]",
        "{\"a\": " + IMAGE + ", \"b\": {\"index\": \"g\"}}");
    assertRefused(
        "[_compare]: [b]: [patches] go with an [embedding]; a photo or a stored face brings its own",
        "{\"a\": " + IMAGE + ", \"b\": {\"index\": \"g\", \"id\": \"1\", \"patches\": \"AAAA\"}}");
    assertRefused(
        "[_compare]: [a]: [mode] goes with [image]",
        "{\"a\": {\"index\": \"g\", \"id\": \"1\", \"mode\": \"aligned\"}, \"b\": " + STORED + "}");
    assertRefused(
        "[_compare]: [a]: [field] and [routing] go with [index] and [id] (a stored face)",
        "{\"a\": {\"embedding\": [1], \"field\": \"f\"}, \"b\": " + STORED + "}");
    assertRefused(
        "[_compare]: [a]: unknown field [photo]",
        "{\"a\": {\"photo\": \"AAAA\"}, \"b\": " + STORED + "}");
    assertRefused(
        "[_compare]: [a]: [image] is not valid base64: Illegal base64 character 2d",
        "{\"a\": {\"image\": \"AB-C\"}, \"b\": " + STORED + "}");
    assertRefused(
        "[_compare]: [a]: [embedding] value [1] is not finite: NaN",
        "{\"a\": {\"embedding\": [1, \"NaN\"]}, \"b\": " + STORED + "}");
    assertRefused(
        "[_compare]: [a] must be an object: {\"image\": ...}, {\"index\": ..., \"id\": ...} or {\"embedding\": [...]}, got a string",
        "{\"a\": \"AAAA\", \"b\": " + STORED + "}");
    assertRefused(
        "[_compare]: [b]: [id] must be a string, got a number",
        "{\"a\": " + IMAGE + ", \"b\": {\"index\": \"g\", \"id\": 7}}");
  }

  public void testBadThresholdsAndOptionsAreNamed() {
    String sides = "\"a\": " + IMAGE + ", \"b\": " + STORED;
    assertRefused(
        "[_compare]: give [fmr] (a false-match rate) or [min_similarity] (a cosine), not both",
        "{" + sides + ", \"fmr\": 1e-4, \"min_similarity\": 0.4}");
    assertRefused(
        "[_compare]: [fmr] must be a false-match rate between 0 and 1, such as 1e-4, got [1.5]",
        "{" + sides + ", \"fmr\": 1.5}");
    assertRefused(
        "[_compare]: [fmr] must be a number, got a string", "{" + sides + ", \"fmr\": \"1e-4\"}");
    assertRefused(
        "[_compare]: [min_similarity] must be a cosine between -1 and 1, got [2.0]",
        "{" + sides + ", \"min_similarity\": 2}");
    assertRefused(
        "[_compare]: [min_ers] must be between 0 and 1, got [-0.1]",
        "{" + sides + ", \"min_ers\": -0.1}");
    assertRefused(
        "[_compare]: [alpha] must be a number in [0, 1] or \"auto\", got [often]",
        "{" + sides + ", \"alpha\": \"often\"}");
    assertRefused(
        "[_compare]: [weighting] must be one of [apc, uniform, sc, cc, recognizability], got [best]",
        "{" + sides + ", \"weighting\": \"best\"}");
    assertRefused(
        "[_compare]: [flows] must be an integer, got [2.5]", "{" + sides + ", \"flows\": 2.5}");
    assertRefused("[_compare]: unknown field [k]", "{" + sides + ", \"k\": 5}");
  }
}
