package org.facesearch.evaluation.verification;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.facesearch.evaluation.PackSections;
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
    PackSections.replace(descriptor, bytes);
  }

  /** The descriptor text with its {@code verification} section replaced or added. */
  static String withSection(String json, VerificationCalibration calibration) {
    return PackSections.withSection(json, "verification", "recognizability", render(calibration));
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
    out.append("\n    ],\n    \"source\": ").append(PackSections.quote(c.source())).append("\n  }");
    return out.toString();
  }

  /** A number as JSON, without exponent and trailing zeros. */
  private static String plain(double v) {
    return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }
}
