package org.facesearch.evaluation.recognizability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.facesearch.evaluation.PackSections;
import org.facesearch.model.PackDescriptor;

/**
 * Replaces (or adds at the end) the {@code recognizability} section of a pack descriptor, keeping
 * the rest of the file, and checks the result with the product's own parser before moving it into
 * place.
 */
final class PackWriter {
  private PackWriter() {}

  static void write(
      Path descriptor,
      float[] centroid,
      String centroidSource,
      double threshold,
      String thresholdSource)
      throws IOException {
    String json = Files.readString(descriptor, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder("{\n    \"ui_centroid\": [");
    for (int i = 0; i < centroid.length; i++) {
      out.append(i == 0 ? "" : ",").append(i % 8 == 0 ? "\n      " : " ");
      out.append(String.format(Locale.ROOT, "%.7f", centroid[i]));
    }
    out.append("\n    ],\n");
    out.append("    \"ui_centroid_source\": ")
        .append(PackSections.quote(centroidSource))
        .append(",\n");
    out.append("    \"ers_threshold\": ")
        .append(String.format(Locale.ROOT, "%.2f", threshold))
        .append(",\n");
    out.append("    \"ers_threshold_source\": ")
        .append(PackSections.quote(thresholdSource))
        .append("\n  }");
    byte[] bytes =
        PackSections.withSection(json, "recognizability", null, out.toString())
            .getBytes(StandardCharsets.UTF_8);
    PackDescriptor parsed =
        PackDescriptor.parse(
            bytes); // throws, naming the key, if the result is not a valid descriptor
    if (parsed.recognizability() == null || parsed.recognizability().uiCentroid() == null) {
      throw new IllegalStateException("the written descriptor has no UI centroid");
    }
    PackSections.replace(descriptor, bytes);
  }
}
