package org.facesearch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** A gallery folder: {@code person/image.jpg}, the person's name taken from the folder. */
final class Gallery {

  private static final List<String> IMAGE_ENDINGS =
      List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff");

  /** One photo: its id (the path inside the gallery) and its person. */
  record Photo(Path file, String id, String person) {}

  static List<Photo> photos(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + " is not a folder (expected person/image.jpg)");
    }
    try (Stream<Path> files = Files.walk(root, 2)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p ->
              IMAGE_ENDINGS.stream()
                  .anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e)))
          .sorted()
          .map(p -> {
            Path relative = root.relativize(p);
            String person = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
            return new Photo(p, relative.toString().replace('\\', '/'), person);
          })
          .toList();
    }
  }

  private Gallery() {}
}
