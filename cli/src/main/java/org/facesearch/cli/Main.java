package org.facesearch.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The client commands of {@code ./face-search}: {@code index DIR}, {@code search IMAGE} and the
 * {@code demo} run, each talking to a node on 127.0.0.1 ({@code --port}).
 */
public final class Main {

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      usage("a command and its argument are needed");
    }
    Map<String, String> options = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          usage(args[i] + " needs a value");
        }
        options.put(args[i].substring(2), args[++i]);
      } else {
        positional.add(args[i]);
      }
    }
    int port;
    try {
      port = intOption(options, "port", 9200);
    } catch (IllegalArgumentException e) {
      usage(e.getMessage());
      return;
    }
    String index = options.getOrDefault("index", "faces");
    try (NodeClient node = NodeClient.local(port)) {
      int code =
          switch (args[0]) {
            case "index" -> index(node, index, Path.of(single(positional, "index DIR")));
            case "search" ->
                search(
                    node,
                    index,
                    Path.of(single(positional, "search IMAGE")),
                    Math.max(1, intOption(options, "k", 10)));
            case "demo" ->
                demo(
                    node,
                    index,
                    Path.of(single(positional, "demo GALLERY_DIR")),
                    Path.of(options.getOrDefault("out", ".")));
            default -> usage("unknown command [" + args[0] + "]");
          };
      System.exit(code);
    } catch (NodeClient.NodeError e) {
      System.err.println("face-search: the node refused the request: " + e.getMessage());
      System.exit(1);
    } catch (FileSystemException e) {
      // Its message is only the file's name: say what went wrong with it too.
      System.err.println(
          "face-search: "
              + e.getFile()
              + ": "
              + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
      System.exit(1);
    } catch (IllegalArgumentException | IOException e) {
      System.err.println("face-search: " + e.getMessage());
      System.exit(1);
    }
  }

  private static int index(NodeClient node, String index, Path dir) throws IOException {
    List<Gallery.Photo> photos = Gallery.photos(dir);
    Indexer.Outcome outcome = new Indexer(node, index).index(photos);
    System.out.printf(
        Locale.ROOT,
        "%d photos: %d indexed now, %d already there, %d failed%n",
        photos.size(),
        outcome.indexed(),
        outcome.alreadyThere(),
        outcome.failures().size());
    outcome.failures().forEach(f -> System.out.println("  failed: " + f));
    return outcome.failures().isEmpty() ? 0 : 2;
  }

  private static int search(NodeClient node, String index, Path image, int k) throws IOException {
    List<Searcher.Hit> hits =
        new Searcher(node, index).search(Files.readAllBytes(image), k, true, null);
    System.out.println(
        "Top "
            + k
            + " for "
            + image
            + " (score = 0.7 * EMD + 0.3 * cosine; cosine is the stage-1 score):");
    for (int i = 0; i < hits.size(); i++) {
      System.out.println(Searcher.format(i + 1, hits.get(i)));
    }
    return 0;
  }

  /**
   * Indexes the gallery, then searches with a masked photo of someone in it, stage 1 against both
   * stages, and compares the query 1:1 with the first hit (the decision, and its picture saved as a
   * PNG). The masked query and the picture are written to {@code out} (the checkout's {@code
   * .local-node/demo} when run by {@code ./face-search demo}: a shared temporary folder could hold
   * another user's files of the same name).
   */
  private static int demo(NodeClient node, String index, Path gallery, Path out)
      throws IOException {
    List<Gallery.Photo> photos = Gallery.photos(gallery);
    Gallery.Photo query = queryPhoto(photos);
    index(node, index, gallery);
    byte[] masked = Occlusion.maskLowerFace(node, Files.readAllBytes(query.file()));
    Files.createDirectories(out);
    Path written = out.resolve("query.jpg").toAbsolutePath();
    Files.write(written, masked);
    Searcher searcher = new Searcher(node, index);
    List<Searcher.Hit> stage1 = searcher.search(masked, 5, false, query.id());
    List<Searcher.Hit> both = searcher.search(masked, 5, true, query.id());
    System.out.println();
    System.out.println(
        "Query: " + query.id() + " with the lower face masked (saved as " + written + "),");
    System.out.println(
        "its own photo excluded from the gallery. The right answer is " + query.person() + ".");
    System.out.println();
    System.out.println("Stage 1 (cosine of embeddings):");
    for (int i = 0; i < stage1.size(); i++) {
      System.out.println(Searcher.format(i + 1, stage1.get(i)) + mark(stage1.get(i), query));
    }
    System.out.println("Stage 1 + stage 2 (0.7 * EMD + 0.3 * cosine over the top 100):");
    for (int i = 0; i < both.size(); i++) {
      System.out.println(Searcher.format(i + 1, both.get(i)) + mark(both.get(i), query));
    }
    if (!both.isEmpty()) {
      Searcher.Hit first = both.get(0);
      Path picture = out.resolve("compare.png").toAbsolutePath();
      Comparer.Outcome outcome = new Comparer(node).compare(masked, index, first.id(), picture);
      System.out.println();
      System.out.println(
          "1:1 comparison of the query with the first hit, "
              + first.id()
              + ", at a false-match rate of 1e-4:");
      System.out.println("  " + outcome.summary());
      System.out.println(
          "Picture of the comparison (the two aligned faces, the strongest patch flows, the scores): "
              + outcome.picture());
    }
    return 0;
  }

  private static String mark(Searcher.Hit hit, Gallery.Photo query) {
    return hit.person().equals(query.person()) ? "  <- " + query.person() : "";
  }

  /**
   * A photo of a person with several photos, so the gallery still holds them after excluding it.
   */
  private static Gallery.Photo queryPhoto(List<Gallery.Photo> photos) {
    Map<String, List<Gallery.Photo>> byPerson = new LinkedHashMap<>();
    for (Gallery.Photo p : photos) {
      byPerson.computeIfAbsent(p.person(), x -> new ArrayList<>()).add(p);
    }
    List<Gallery.Photo> preferred = byPerson.get("Colin_Powell");
    if (preferred != null && preferred.size() > 2) {
      return preferred.get(2);
    }
    for (List<Gallery.Photo> list : byPerson.values()) {
      if (list.size() >= 3) {
        return list.get(1);
      }
    }
    throw new IllegalArgumentException(
        "the gallery needs a person with at least 3 photos for the demo");
  }

  private static String single(List<String> positional, String usage) {
    if (positional.size() != 1) {
      usage("usage: " + usage);
    }
    return positional.get(0);
  }

  private static int intOption(Map<String, String> options, String name, int fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, got [" + value + "]", e);
    }
  }

  private static int usage(String problem) {
    System.err.println("face-search: " + problem);
    System.err.println(
        "usage: index DIR [--index NAME] | search IMAGE [--index NAME] [--k K] | demo GALLERY_DIR [--out DIR]   (--port N)");
    System.exit(2);
    return 2;
  }

  private Main() {}
}
