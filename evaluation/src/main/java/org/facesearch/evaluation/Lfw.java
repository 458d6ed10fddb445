package org.facesearch.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * LFW read in place, in its own layout ({@code Person_Name/Person_Name_NNNN.jpg} and {@code
 * pairs.txt}): the one LFW reader of the evaluation suite and the benchmarks. The images are in a
 * fixed order (people by name, then images by name), each labelled with its person. As a gallery,
 * every image is an item and every image of a person with at least two images is a query.
 */
public final class Lfw {
  private final Path root;
  private final List<String> names; // relative paths, e.g. "Tony_Blair/Tony_Blair_0001.jpg"
  private final int[] labels;
  private final List<String> people;
  private final int[] firstOfLabel;
  private final int[] imagesPerLabel;

  private Lfw(Path root, List<String> names, int[] labels, List<String> people) {
    this.root = root;
    this.names = names;
    this.labels = labels;
    this.people = people;
    this.imagesPerLabel = new int[people.size()];
    this.firstOfLabel = new int[people.size()];
    for (int i = labels.length - 1; i >= 0; i--) {
      imagesPerLabel[labels[i]]++;
      firstOfLabel[labels[i]] = i;
    }
  }

  /** The shared LFW ({@link Inputs#lfw()}). */
  public static Lfw open() throws IOException {
    return scan(Inputs.lfw());
  }

  /**
   * Every {@code .jpg} in every person's folder under {@code root}; loose files and empty folders
   * are not people.
   */
  public static Lfw scan(Path root) throws IOException {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(root)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    }
    List<String> names = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> people = new ArrayList<>();
    for (Path dir : dirs) {
      List<Path> images;
      try (Stream<Path> s = Files.list(dir)) {
        images = s.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().toList();
      }
      if (images.isEmpty()) {
        continue;
      }
      int label = people.size();
      people.add(dir.getFileName().toString());
      for (Path image : images) {
        names.add(dir.getFileName() + "/" + image.getFileName());
        labels.add(label);
      }
    }
    if (names.isEmpty()) {
      throw new IllegalStateException(
          "no LFW images (Person/Person_NNNN.jpg) under " + root.toAbsolutePath());
    }
    return new Lfw(
        root,
        List.copyOf(names),
        labels.stream().mapToInt(Integer::intValue).toArray(),
        List.copyOf(people));
  }

  public int size() {
    return names.size();
  }

  public Path root() {
    return root;
  }

  /** The relative path of image {@code i}, e.g. {@code Tony_Blair/Tony_Blair_0001.jpg}. */
  public String name(int i) {
    return names.get(i);
  }

  public Path path(int i) {
    return root.resolve(names.get(i));
  }

  public int label(int i) {
    return labels[i];
  }

  public String person(int label) {
    return people.get(label);
  }

  /** How many people have at least one image. */
  public int people() {
    return people.size();
  }

  /** How many images the person labelled {@code label} has. */
  public int imagesOf(int label) {
    return imagesPerLabel[label];
  }

  /** Image {@code index} (0-based, in name order) of the person labelled {@code label}. */
  public Path image(int label, int index) {
    if (index < 0 || index >= imagesPerLabel[label]) {
      throw new IllegalArgumentException(
          people.get(label)
              + " has "
              + imagesPerLabel[label]
              + " images; there is no image "
              + index);
    }
    return path(firstOfLabel[label] + index);
  }

  /**
   * Every image of these people, sorted by person then file name; a name LFW does not hold is an
   * error.
   */
  public List<Path> imagesOf(Collection<String> persons) {
    Set<String> unknown = new LinkedHashSet<>(persons);
    unknown.removeAll(people);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("not in LFW under " + root + ": " + unknown);
    }
    Set<String> asked = Set.copyOf(persons);
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (asked.contains(people.get(labels[i]))) {
        out.add(path(i));
      }
    }
    return out;
  }

  /** Every image of a person with at least two images, in gallery order. */
  public List<Integer> queries() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      if (imagesPerLabel[labels[i]] >= 2) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * {@code n} of {@link #queries()} drawn without replacement with {@code seed}, in gallery order
   * (all when n is larger).
   */
  public List<Integer> sampleQueries(int n, long seed) {
    List<Integer> all = new ArrayList<>(queries());
    if (n >= all.size()) {
      return all;
    }
    Collections.shuffle(all, new Random(seed));
    List<Integer> out = new ArrayList<>(all.subList(0, n));
    Collections.sort(out);
    return out;
  }

  /** The person an LFW image shows: the name of its folder. */
  public static String person(Path image) {
    return image.getParent().getFileName().toString();
  }

  /** The path of {@code person}'s image {@code number} (1-based, as pairs.txt counts). */
  public Path file(String person, int number) {
    return root.resolve(person).resolve(String.format(Locale.ROOT, "%s_%04d.jpg", person, number));
  }

  /**
   * One pair of {@code pairs.txt}: two images, whether they show the same person, and its fold
   * (0-based).
   */
  public record Pair(Path a, Path b, boolean same, int fold) {}

  /**
   * LFW's {@code pairs.txt}: {@code folds} folds, each with {@code perFold} matched then {@code
   * perFold} mismatched pairs.
   */
  public record Pairs(int folds, int perFold, List<Pair> pairs) {

    /** Every image the pairs use, once, in first-use order. */
    public List<Path> images() {
      Set<Path> all = new LinkedHashSet<>();
      for (Pair p : pairs) {
        all.add(p.a());
        all.add(p.b());
      }
      return new ArrayList<>(all);
    }
  }

  /**
   * {@code pairs.txt} under the root; a line that does not fit its header is an error naming the
   * line.
   */
  public Pairs pairs() throws IOException {
    Path file = root.resolve("pairs.txt");
    List<String> lines = Files.readAllLines(file);
    if (lines.isEmpty()) {
      throw new IllegalStateException(file + " is empty");
    }
    String[] head = lines.get(0).trim().split("\\s+");
    int folds = Integer.parseInt(head[0]);
    int n = Integer.parseInt(head[1]);
    List<Pair> pairs = new ArrayList<>();
    int line = 1;
    for (int f = 0; f < folds; f++) {
      for (int i = 0; i < 2 * n; i++, line++) {
        if (line >= lines.size()) {
          throw new IllegalStateException(
              file
                  + " ends after line "
                  + line
                  + "; its header promises "
                  + folds
                  + " folds of "
                  + 2 * n
                  + " pairs");
        }
        String[] p = lines.get(line).trim().split("\\s+");
        boolean same = i < n;
        if (p.length != (same ? 3 : 4)) {
          throw new IllegalStateException(
              file
                  + " line "
                  + (line + 1)
                  + ": expected "
                  + (same ? 3 : 4)
                  + " fields, got ["
                  + lines.get(line)
                  + "]");
        }
        if (same) {
          pairs.add(
              new Pair(
                  file(p[0], Integer.parseInt(p[1])), file(p[0], Integer.parseInt(p[2])), true, f));
        } else {
          pairs.add(
              new Pair(
                  file(p[0], Integer.parseInt(p[1])),
                  file(p[2], Integer.parseInt(p[3])),
                  false,
                  f));
        }
      }
    }
    return new Pairs(folds, n, List.copyOf(pairs));
  }
}
