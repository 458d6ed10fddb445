package org.facesearch.plugin.rest;

import java.io.IOException;
import java.util.Base64;
import org.facesearch.encoder.EncodeMode;
import org.opensearch.ExceptionsHelper;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.test.OpenSearchTestCase;

/**
 * The body of {@code POST _plugins/face/_encode}: its options, and every wrong value a 400 naming
 * the option.
 */
public class EncodeBodyTests extends OpenSearchTestCase {

  private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 7};
  private static final String BASE64 = Base64.getEncoder().encodeToString(JPEG);

  private RestEncodeAction.EncodeRequest parse(String body) throws IOException {
    try (XContentParser parser = createParser(JsonXContent.jsonXContent, body)) {
      return RestEncodeAction.parse(parser);
    }
  }

  private void assertRefused(String reason, String body) {
    ParsingException e = expectThrows(ParsingException.class, () -> parse(body));
    assertEquals(reason, e.getMessage());
    assertEquals(RestStatus.BAD_REQUEST, ExceptionsHelper.status(e));
  }

  public void testOptionsAndDefaults() throws IOException {
    RestEncodeAction.EncodeRequest r = parse("{\"image\": \"" + BASE64 + "\"}");
    assertArrayEquals(JPEG, r.image());
    assertEquals(EncodeMode.DETECT, r.mode());
    assertFalse(r.patches());
    assertEquals("default", r.model());
    r =
        parse(
            "{\"image\": \"data:image/jpeg;base64,"
                + BASE64
                + "\", \"mode\": \"aligned\", \"patches\": true, \"model\": \"m\"}");
    assertArrayEquals(JPEG, r.image());
    assertEquals(EncodeMode.ALIGNED, r.mode());
    assertTrue(r.patches());
    assertEquals("m", r.model());
  }

  public void testWrongValuesNameTheOption() {
    String image = "[_encode]: [image] must be a string (a base64 photo or a data: URI), got ";
    assertRefused(image + "an array", "{\"image\": [\"" + BASE64 + "\"]}");
    assertRefused(image + "an object", "{\"image\": {}}");
    assertRefused(image + "null", "{\"image\": null}");
    assertRefused(image + "a number", "{\"image\": 5}");
    assertRefused(image + "a boolean", "{\"image\": true}");
    assertRefused(
        "[_encode]: [model] must be a string, got null",
        "{\"image\": \"" + BASE64 + "\", \"model\": null}");
    assertRefused(
        "[_encode]: [mode] must be a string, got null",
        "{\"image\": \"" + BASE64 + "\", \"mode\": null}");
    assertRefused(
        "[_encode]: [mode] must be one of [detect, aligned], got [guess]",
        "{\"image\": \"" + BASE64 + "\", \"mode\": \"guess\"}");
    assertRefused(
        "[_encode]: [patches] must be true or false, got a string",
        "{\"image\": \"" + BASE64 + "\", \"patches\": \"yes\"}");
    assertRefused(
        "[_encode]: unknown field [colour]", "{\"image\": \"" + BASE64 + "\", \"colour\": 1}");
    assertRefused("[_encode]: [image] is required: a base64 photo or a data: URI", "{}");
    assertRefused(
        "[_encode]: [image] is a data: URI of type [application/pdf], not of an image",
        "{\"image\": \"data:application/pdf;base64," + BASE64 + "\"}");
  }
}
