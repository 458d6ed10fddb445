package org.facesearch.evaluation;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Rewrites one top-level section of a model pack's descriptor ({@code pack.json}) as text, keeping
 * the rest of the file byte for byte (its layout is reviewed by people: a JSON library would
 * reformat all of it), and moves the result into place atomically. Used by the calibration tools
 * that write the {@code recognizability} and {@code verification} sections.
 */
public final class PackSections {
  private PackSections() {}

  /**
   * The descriptor text with the value of top-level key {@code key} replaced by {@code value};
   * where the key is absent, the section is added just before top-level key {@code before} (when
   * given and present) or at the end of the object.
   */
  public static String withSection(String json, String key, String before, String value) {
    String quotedKey = quote(key);
    String section = quotedKey + ": " + value;
    int at = topLevelKey(json, quotedKey);
    if (at >= 0) {
      int start = skipSpace(json, json.indexOf(':', at + quotedKey.length()) + 1);
      return json.substring(0, at) + section + json.substring(endOfValue(json, start));
    }
    int next = before == null ? -1 : topLevelKey(json, quote(before));
    if (next >= 0) {
      return json.substring(0, next) + section + ",\n  " + json.substring(next);
    }
    int close = json.lastIndexOf('}');
    if (close < 0) {
      throw new IllegalArgumentException("the descriptor is not a JSON object");
    }
    return json.substring(0, close).stripTrailing() + ",\n  " + section + "\n}\n";
  }

  /** {@code s} as a JSON string literal, quotes included. */
  public static String quote(String s) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
  }

  /** Replaces the file with {@code bytes} through a sibling temporary file and an atomic move. */
  public static void replace(Path descriptor, byte[] bytes) throws IOException {
    Path tmp = descriptor.resolveSibling(descriptor.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(
        tmp, descriptor, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
}
