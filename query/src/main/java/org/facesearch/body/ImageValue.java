package org.facesearch.body;

import java.io.IOException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

import org.opensearch.core.xcontent.XContentParser;

/**
 * A photo in a request body: base64 (line breaks and spaces allowed), or a {@code data:} URI of an image type
 * as browsers produce ({@code data:image/jpeg;base64,/9j/...}), whose payload is decoded. A data URI
 * of another type, or one not in base64, is refused by name.
 */
public final class ImageValue {

  private static final String DATA = "data:";
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private ImageValue() {}

  /** The bytes of the image at the parser's current token, given for {@code option}. */
  public static byte[] read(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() != XContentParser.Token.VALUE_STRING) {
      throw Values.wrongType(parser, option, "a string (a base64 photo or a data: URI)");
    }
    return decode(option, parser.text());
  }

  /** The bytes of the image {@code value} given for {@code option}. */
  public static byte[] decode(String option, String value) {
    String payload = value;
    if (value.regionMatches(true, 0, DATA, 0, DATA.length())) {
      int comma = value.indexOf(',');
      if (comma < 0) {
        throw new IllegalArgumentException("[" + option + "] is a data: URI without data: expected data:image/<type>;base64,<data>");
      }
      String[] header = value.substring(DATA.length(), comma).split(";");
      String type = header[0].trim().toLowerCase(Locale.ROOT);
      if (!type.startsWith("image/")) {
        String named = type.isEmpty() ? "text/plain" : type.length() > 64 ? type.substring(0, 64) + "..." : type;
        throw new IllegalArgumentException("[" + option + "] is a data: URI of type [" + named + "], not of an image");
      }
      if (header.length < 2 || !header[header.length - 1].trim().equalsIgnoreCase("base64")) {
        throw new IllegalArgumentException("[" + option + "] is a data: URI that is not base64: expected data:" + type + ";base64,<data>");
      }
      payload = value.substring(comma + 1);
    }
    try {
      // Line breaks and spaces, which pasted base64 often has, are dropped; any other character
      // outside the alphabet is refused (a lenient decoder would drop it and decode a broken image).
      return Base64.getDecoder().decode(WHITESPACE.matcher(payload).replaceAll(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("[" + option + "] is not valid base64: " + e.getMessage(), e);
    }
  }
}
