package org.facesearch.image;

import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A photo as text, the way every entry point takes one: base64 (line breaks and spaces allowed), or
 * a {@code data:} URI of an image type as browsers produce it ({@code
 * data:image/jpeg;base64,/9j/...}), whose payload is decoded. A data URI of another type, or not in
 * base64, and any character outside the base64 alphabet are refused, each with a message naming the
 * option the text was given for (a lenient decoder would drop stray characters and decode a broken
 * image).
 */
public final class ImageText {

  private static final String DATA = "data:";
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private ImageText() {}

  /**
   * The bytes of the image {@code value} given for {@code option}.
   *
   * @throws IllegalArgumentException naming {@code option} when the text is not base64 or a base64
   *     data URI of an image
   */
  public static byte[] decode(String option, String value) {
    String payload = value;
    if (value.regionMatches(true, 0, DATA, 0, DATA.length())) {
      int comma = value.indexOf(',');
      if (comma < 0) {
        throw new IllegalArgumentException(
            "["
                + option
                + "] is a data: URI without data: expected data:image/<type>;base64,<data>");
      }
      String[] header = value.substring(DATA.length(), comma).split(";");
      String type = header[0].trim().toLowerCase(Locale.ROOT);
      if (!type.startsWith("image/")) {
        String named =
            type.isEmpty()
                ? "text/plain"
                : type.length() > 64 ? type.substring(0, 64) + "..." : type;
        throw new IllegalArgumentException(
            "[" + option + "] is a data: URI of type [" + named + "], not of an image");
      }
      if (header.length < 2 || !header[header.length - 1].trim().equalsIgnoreCase("base64")) {
        throw new IllegalArgumentException(
            "["
                + option
                + "] is a data: URI that is not base64: expected data:"
                + type
                + ";base64,<data>");
      }
      payload = value.substring(comma + 1);
    }
    try {
      return Base64.getDecoder().decode(WHITESPACE.matcher(payload).replaceAll(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "[" + option + "] is not valid base64: " + e.getMessage(), e);
    }
  }
}
