package org.facesearch.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.facesearch.testing.TestData;

/** Copies of the fetched default pack under a test root, with an edited descriptor. */
final class PackFixtures {
  private PackFixtures() {}

  static final String[] MODELS = {"fr_detect.onnx", "fr_landmark.onnx", "fr_feature.onnx"};

  /**
   * root/name: the default models plus the default descriptor passed through {@code edit} (name set
   * to {@code name}).
   */
  static Path copy(Path root, String name, UnaryOperator<String> edit) throws IOException {
    Path source = TestData.modelRoot().resolve("default");
    Path dir = Files.createDirectories(root.resolve(name));
    for (String m : MODELS) {
      Files.copy(source.resolve(m), dir.resolve(m));
    }
    String json =
        Files.readString(source.resolve(ModelPack.DESCRIPTOR), StandardCharsets.UTF_8)
            .replace("\"name\": \"default\"", "\"name\": \"" + name + "\"");
    Files.writeString(dir.resolve(ModelPack.DESCRIPTOR), edit.apply(json), StandardCharsets.UTF_8);
    return dir;
  }

  static String replace(String json, String from, String to) {
    if (!json.contains(from)) {
      throw new AssertionError("the default descriptor does not contain " + from);
    }
    return json.replace(from, to);
  }
}
