package org.facesearch.evaluation.verification;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.facesearch.model.PackDescriptor;
import org.facesearch.verification.VerificationCalibration;

/**
 * Writes the {@code verification} section of a pack descriptor: replaces the one there, or adds one
 * just before {@code recognizability} (which the recognizability calibration rewrites as the last
 * key of the file) or at the end. The rest of the file is kept byte for byte; the result is checked
 * with the product's own parser, and must read back as the calibration written, before it replaces
 * the file.
 */
final class VerificationWriter {
  private VerificationWriter() {}

  private static final String KEY = "\"verification\"";
  private static final String BEFORE = "\"recognizability\"";

  static void write(Path descriptor, VerificationCalibration calibration) throws IOException {
    String json = Files.readString(descriptor, StandardCharsets.UTF_8);
    String updated = withSection(json, calibration);
    byte[] bytes = updated.getBytes(StandardCharsets.UTF_8);
    PackDescriptor parsed =
        PackDescriptor.parse(
            bytes); // throws, naming the key, if the result is not a valid descriptor
    if (!calibration.equals(parsed.verification())) {
      throw new IllegalStateException(
          "the written verification section reads back as "
              + parsed.verification()
              + ", not "
              + calibration);
    }
    Path tmp = descriptor.resolveSibling(descriptor.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(
        tmp, descriptor, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The descriptor text with its {@code verification} section replaced or added. */
  static String withSection(String json, VerificationCalibration calibration) {
    String section = KEY + ": " + render(calibration);
    int key = topLevelKey(json, KEY);
    if (key >= 0) {
      int start = skipSpace(json, json.indexOf(':', key + KEY.length()) + 1);
      int end = endOfValue(json, start);
      return json.substring(0, key) + section + json.substring(end);
    }
    int before = topLevelKey(json, BEFORE);
    if (before >= 0) {
      return json.substring(0, before) + section + ",\n  " + json.substring(before);
    }
    int close = json.lastIndexOf('}');
    if (close < 0) {
      throw new IllegalArgumentException("the descriptor is not a JSON object");
    }
    return json.substring(0, close).stripTrailing() + ",\n  " + section + "\n}\n";
  }

  static String render(VerificationCalibration c) {
    StringBuilder out = new StringBuilder("{\n    \"points\": [");
    for (int i = 0; i < c.points().size(); i++) {
      VerificationCalibration.Point p = c.points().get(i);
      out.append(i == 0 ? "\n" : ",\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "      {\"fmr\": %s, \"threshold\": %s, \"fnmr\": %s}",
                  VerificationCalibration.rate(p.fmr()),
                  plain(p.threshold()),
                  plain(p.fnmr())));
    }
    out.append("\n    ],\n    \"source\": ").append(quote(c.source())).append("\n  }");
    return out.toString();
  }

  /** A number as JSON, without exponent and trailing zeros. */
  private static String plain(double v) {
    return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** Where {@code quotedKey} starts as a key of the top-level object, or -1. */
  private static int topLevelKey(String json, String quotedKey) {
    int depth = 0;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"') {
        int end = endOfString(json, i);
        if (depth == 1
            && json.startsWith(quotedKey, i)
            && end == i + quotedKey.length()
            && json.charAt(skipSpace(json, end)) == ':') {
          return i;
        }
        i = end - 1;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
    return -1;
  }

  /**
   * The index just past the JSON value (object, array, string or scalar) starting at {@code start}.
   */
  private static int endOfValue(String json, int start) {
    char first = json.charAt(start);
    if (first == '"') {
      return endOfString(json, start);
    }
    if (first != '{' && first != '[') {
      int i = start;
      while (i < json.length() && ",}] \n\r\t".indexOf(json.charAt(i)) < 0) {
        i++;
      }
      return i;
    }
    int depth = 0;
    for (int i = start; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"') {
        i = endOfString(json, i) - 1;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          return i + 1;
        }
      }
    }
    throw new IllegalArgumentException("the descriptor ends inside the value at offset " + start);
  }

  /** The index just past the closing quote of the string opening at {@code start}. */
  private static int endOfString(String json, int start) {
    for (int i = start + 1; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("the descriptor ends inside a string at offset " + start);
  }

  private static int skipSpace(String json, int i) {
    while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
