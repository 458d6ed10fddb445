package org.facesearch.bench.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.facesearch.evaluation.Lfw;

/**
 * LFW photos read into memory for the node benchmarks, picked from {@link Lfw} in its fixed order
 * (people by name).
 */
final class Photos {
  /** One photo: its person, file name and bytes. */
  record Photo(String person, String file, byte[] bytes) {}

  private Photos() {}

  /**
   * Photo number {@code index} (0-based) of each of the first {@code count} people that {@code
   * people} accepts (it is given a person's label); fails if fewer people fit.
   */
  static List<Photo> pick(Lfw lfw, IntPredicate people, int index, int count) {
    List<Photo> out = new ArrayList<>(count);
    for (int label = 0; label < lfw.people() && out.size() < count; label++) {
      if (people.test(label)) {
        out.add(read(lfw.image(label, index)));
      }
    }
    if (out.size() < count) {
      throw new IllegalArgumentException(
          "asked for " + count + " people, LFW has " + out.size() + " that fit");
    }
    return out;
  }

  static Photo read(Path file) {
    try {
      return new Photo(Lfw.person(file), file.getFileName().toString(), Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
