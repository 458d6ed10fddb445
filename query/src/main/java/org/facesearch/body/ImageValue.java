package org.facesearch.body;

import java.io.IOException;
import org.facesearch.image.ImageText;
import org.opensearch.core.xcontent.XContentParser;

/**
 * A photo in a request body: base64 (line breaks and spaces allowed), or a {@code data:} URI of an
 * image type as browsers produce ({@code data:image/jpeg;base64,/9j/...}), whose payload is
 * decoded. A data URI of another type, or one not in base64, is refused by name.
 */
public final class ImageValue {

  private ImageValue() {}

  /** The bytes of the image at the parser's current token, given for {@code option}. */
  public static byte[] read(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() != XContentParser.Token.VALUE_STRING) {
      throw Values.wrongType(parser, option, "a string (a base64 photo or a data: URI)");
    }
    return decode(option, parser.text());
  }

  /** The bytes of the image {@code value} given for {@code option} ({@link ImageText#decode}). */
  public static byte[] decode(String option, String value) {
    return ImageText.decode(option, value);
  }
}
