package org.facesearch.evaluation.recognizability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.facesearch.model.PackDescriptor;

/**
 * Replaces the {@code recognizability} section of a pack descriptor (the last key of the file, as
 * the committed descriptors keep it) and checks the result with the product's own parser before
 * moving it into place.
 */
final class PackWriter {
  private PackWriter() {}

  private static final String KEY = "\"recognizability\"";

  static void write(
      Path descriptor,
      float[] centroid,
      String centroidSource,
      double threshold,
      String thresholdSource)
      throws IOException {
    String json = Files.readString(descriptor, StandardCharsets.UTF_8);
    int key = json.indexOf(KEY);
    String head;
    if (key >= 0) {
      int comma = json.lastIndexOf(',', key);
      if (comma < 0 || !json.substring(comma + 1, key).isBlank()) {
        throw new IOException(descriptor + ": cannot find the comma before " + KEY);
      }
      head = json.substring(0, comma);
    } else {
      int end = json.lastIndexOf('}');
      if (end < 0) {
        throw new IOException(descriptor + " is not a JSON object");
      }
      head = json.substring(0, end).stripTrailing();
    }
    StringBuilder out = new StringBuilder(head);
    out.append(",\n  ").append(KEY).append(": {\n    \"ui_centroid\": [");
    for (int i = 0; i < centroid.length; i++) {
      out.append(i == 0 ? "" : ",").append(i % 8 == 0 ? "\n      " : " ");
      out.append(String.format(Locale.ROOT, "%.7f", centroid[i]));
    }
    out.append("\n    ],\n");
    out.append("    \"ui_centroid_source\": ").append(quote(centroidSource)).append(",\n");
    out.append("    \"ers_threshold\": ")
        .append(String.format(Locale.ROOT, "%.2f", threshold))
        .append(",\n");
    out.append("    \"ers_threshold_source\": ").append(quote(thresholdSource)).append("\n");
    out.append("  }\n}\n");
    byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
    PackDescriptor parsed =
        PackDescriptor.parse(
            bytes); // throws, naming the key, if the result is not a valid descriptor
    if (parsed.recognizability() == null || parsed.recognizability().uiCentroid() == null) {
      throw new IllegalStateException("the written descriptor has no UI centroid");
    }
    Path tmp = descriptor.resolveSibling(descriptor.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(
        tmp, descriptor, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
