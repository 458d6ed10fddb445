package org.facesearch.body;

import java.io.IOException;
import org.opensearch.core.xcontent.XContentParser;

/**
 * One option's value read from a request body, of the type the option takes. A value of another
 * type is an {@link IllegalArgumentException} naming the option, the type expected and the type
 * given ({@code [image] must be a string, got an array}); values themselves are never repeated in a
 * message, since some of them are photos or embeddings.
 */
public final class Values {

  private Values() {}

  /** A JSON string. */
  public static String string(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() != XContentParser.Token.VALUE_STRING) {
      throw wrongType(parser, option, "a string");
    }
    return parser.text();
  }

  /** A JSON number (a number given as a string is refused: it is a mistake more often than not). */
  public static double number(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
      throw wrongType(parser, option, "a number");
    }
    return parser.doubleValue();
  }

  /** A JSON number without a fractional part that fits an int. */
  public static int integer(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
      throw wrongType(parser, option, "an integer");
    }
    double value = parser.doubleValue();
    if (value != Math.rint(value) || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "[" + option + "] must be an integer, got [" + parser.text() + "]");
    }
    return (int) value;
  }

  /** A JSON number without a fractional part that fits a long. */
  public static long longInteger(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() != XContentParser.Token.VALUE_NUMBER) {
      throw wrongType(parser, option, "an integer");
    }
    XContentParser.NumberType type = parser.numberType();
    if (type != XContentParser.NumberType.INT && type != XContentParser.NumberType.LONG) {
      throw new IllegalArgumentException(
          "[" + option + "] must be an integer, got [" + parser.text() + "]");
    }
    return parser.longValue();
  }

  /** A JSON {@code true} or {@code false}. */
  public static boolean bool(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() != XContentParser.Token.VALUE_BOOLEAN) {
      throw wrongType(parser, option, "true or false");
    }
    return parser.booleanValue();
  }

  /** Checks that the value of {@code option} starts an array (the parser is then on its start). */
  public static void startArray(XContentParser parser, String option, String ofWhat) {
    if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
      throw wrongType(parser, option, "an array of " + ofWhat);
    }
  }

  /** {@code [option] must be <expected>, got <what the parser is on>}. */
  public static IllegalArgumentException wrongType(
      XContentParser parser, String option, String expected) {
    return new IllegalArgumentException(
        "[" + option + "] must be " + expected + ", got " + describe(parser.currentToken()));
  }

  private static String describe(XContentParser.Token token) {
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      case VALUE_NULL -> "null";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER -> "a number";
      case VALUE_BOOLEAN -> "a boolean";
      case VALUE_EMBEDDED_OBJECT -> "binary data";
      default -> "[" + token + "]";
    };
  }
}
