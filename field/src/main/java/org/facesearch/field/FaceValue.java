package org.facesearch.field;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.core.xcontent.XContentParser.Token;

/**
 * One face as a document carries it: either a bare embedding array, or the object the {@code
 * face_embedding} processor writes ({@code embedding}, {@code patches}, {@code ers}, {@code
 * detection_score}, {@code model}, {@code box}, {@code landmarks}). Parsing checks only syntax and
 * types; {@link FaceFieldMapper} checks the values against the mapping.
 */
record FaceValue(float[] embedding, byte[] patches, Float ers, Float detectionScore, String model) {

  /** Parses the value at the parser's current token (an array or an object). */
  static FaceValue parse(String field, XContentParser parser) throws IOException {
    Token token = parser.currentToken();
    if (token == Token.START_ARRAY) {
      return new FaceValue(parseEmbedding(field, parser), null, null, null, null);
    }
    if (token != Token.START_OBJECT) {
      throw new IllegalArgumentException(
          "[" + field + "] must be a face object or an embedding array, got [" + token + "]");
    }
    float[] embedding = null;
    byte[] patches = null;
    Float ers = null;
    Float detectionScore = null;
    String model = null;
    for (token = parser.nextToken(); token != Token.END_OBJECT; token = parser.nextToken()) {
      String key = parser.currentName();
      token = parser.nextToken();
      if (token == Token.VALUE_NULL) {
        continue;
      }
      switch (key) {
        case "embedding" -> embedding = parseEmbedding(field + ".embedding", parser);
        case "patches" -> patches = parsePatches(field + ".patches", parser);
        case "ers" -> ers = parseNumber(field + ".ers", parser);
        case "detection_score" -> detectionScore = parseNumber(field + ".detection_score", parser);
        case "model" -> model = parseString(field + ".model", parser);
        case "box", "landmarks" -> parser.skipChildren(); // kept in _source, not indexed
        default ->
            throw new IllegalArgumentException(
                "["
                    + field
                    + "] has an unknown key ["
                    + key
                    + "]; a face has embedding, patches, ers, "
                    + "detection_score, model, box and landmarks");
      }
    }
    if (embedding == null) {
      throw new IllegalArgumentException("[" + field + "] has no [embedding]");
    }
    return new FaceValue(embedding, patches, ers, detectionScore, model);
  }

  private static float[] parseEmbedding(String field, XContentParser parser) throws IOException {
    if (parser.currentToken() != Token.START_ARRAY) {
      throw new IllegalArgumentException("[" + field + "] must be an array of numbers");
    }
    List<Float> values = new ArrayList<>(512);
    for (Token t = parser.nextToken(); t != Token.END_ARRAY; t = parser.nextToken()) {
      if (t == Token.START_OBJECT) {
        throw new IllegalArgumentException(
            "["
                + field
                + "] holds one face per document; for photos with several faces use faces: \"all\" "
                + "in the processor and a nested mapping");
      }
      if (t == Token.VALUE_NUMBER) {
        values.add(parser.floatValue());
      } else if (t == Token.VALUE_STRING) {
        // Numbers written as strings ("0.5", and "NaN"/"Infinity", which JSON cannot write as
        // numbers)
        // are read so that the range check can name the bad value.
        // The bad text itself is not quoted, nor the parse exception kept as the cause: it would
        // quote it.
        float value;
        try {
          value = Float.parseFloat(parser.text());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "[" + field + "] value [" + values.size() + "] is a string that is not a number");
        }
        values.add(value);
      } else {
        throw new IllegalArgumentException(
            "["
                + field
                + "] must be an array of numbers, got ["
                + t
                + "] at position "
                + values.size());
      }
    }
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static byte[] parsePatches(String field, XContentParser parser) throws IOException {
    if (parser.currentToken() != Token.VALUE_STRING
        && parser.currentToken() != Token.VALUE_EMBEDDED_OBJECT) {
      throw new IllegalArgumentException(
          "[" + field + "] must be a base64 string of encoded patches");
    }
    if (parser.currentToken() == Token.VALUE_EMBEDDED_OBJECT) {
      return parser.binaryValue();
    }
    try {
      return Base64.getDecoder().decode(parser.text());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "[" + field + "] is not valid base64: " + e.getMessage(), e);
    }
  }

  private static Float parseNumber(String field, XContentParser parser) throws IOException {
    if (parser.currentToken() != Token.VALUE_NUMBER) {
      throw new IllegalArgumentException(
          "[" + field + "] must be a number, got [" + parser.currentToken() + "]");
    }
    return parser.floatValue();
  }

  private static String parseString(String field, XContentParser parser) throws IOException {
    if (parser.currentToken() != Token.VALUE_STRING) {
      throw new IllegalArgumentException(
          "[" + field + "] must be a string, got [" + parser.currentToken() + "]");
    }
    return parser.text();
  }
}
