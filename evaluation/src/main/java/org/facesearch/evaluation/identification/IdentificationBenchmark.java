package org.facesearch.evaluation.identification;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;

/**
 * Two-stage face identification on LFW, in process: every query version, stage 1 alone, the two
 * stages with each weighting (apc, uniform, sc) and grid (native 7x7, 4x4) at k = 100 and alpha =
 * 0.7 (plus other alphas from the same EMD runs), and the ceiling of a perfect re-ranking of the
 * top 100; under the own-photo-excluded protocol and with the own photo kept.
 *
 * <pre>
 * evaluation/run identification              # quick: 1000 seeded queries
 * evaluation/run identification --full       # every query (6,684)
 *   --queries N       seeded sample size of the quick mode (default 1000)
 *   --seed S          (default 20261123)
 *   --threads T       worker and inference threads (default: all cores)
 *   --versions a,b    query versions (default all): clean, crop, mask, sunglasses, lowres16, lowres24, rotation, crop-realigned
 *   --cache DIR       gallery cache (default evaluation/target/eval-cache)
 *   --docs DIR        where results/identification.md and images/ are (default docs); the run replaces its generated
 *                     section of DIR/results/identification.md and its charts DIR/images/eval-identification-MODE-*.png
 *   --charts-only     write the charts but leave results/identification.md alone
 *   --no-docs         only print
 * </pre>
 *
 * Run from the repository root. The gallery (every image under LFW, the face nearest each image's
 * centre) is encoded once into the cache; later runs start at once.
 */
public final class IdentificationBenchmark {
  static final long DEFAULT_SEED = 20261123L;

  /**
   * The gallery cache shared by the tools and the module's tests (run from the repository root).
   */
  public static final String DEFAULT_CACHE = "evaluation/target/eval-cache";

  private IdentificationBenchmark() {}

  public static void main(String[] argv) throws Exception {
    Args args =
        new Args(
            argv,
            Set.of("queries", "seed", "threads", "versions", "cache", "docs"),
            Set.of("full", "charts-only", "no-docs"));
    boolean full = args.flag("full");
    int queries = args.positive("queries", 1000);
    long seed = args.longValue("seed", DEFAULT_SEED);
    int threads = args.positive("threads", Inputs.cores());
    List<QueryVersion> versions =
        QueryVersion.parse(args.string("versions", QueryVersion.allKeys()));
    Path cacheDir = args.path("cache", DEFAULT_CACHE);
    Path docs = args.path("docs", "docs");
    boolean writeDocs = !args.flag("no-docs");
    boolean writePage = writeDocs && !args.flag("charts-only");
    if (writeDocs && !Files.isDirectory(docs)) {
      throw new IllegalArgumentException(
          "no docs folder at "
              + docs.toAbsolutePath()
              + ": run from the repository root, or pass --docs DIR or --no-docs");
    }
    String command = ("evaluation/run identification " + args.line()).strip();

    Lfw gallery = Lfw.open();
    List<Integer> all = gallery.queries();
    List<Integer> chosen = full ? all : gallery.sampleQueries(queries, seed);
    System.out.printf(
        Locale.ROOT,
        "gallery: %d images of %d people; %d queries (people with >= 2 images); running %d%s%n",
        gallery.size(),
        gallery.people(),
        all.size(),
        chosen.size(),
        full ? " (all)" : " (seeded sample, seed " + seed + ")");

    try (FaceEncoder encoder =
            FaceEncoder.open(Inputs.defaultPack(), EncoderOptions.defaults().withThreads(threads));
        GalleryCache cache =
            GalleryCache.openOrBuild(gallery, encoder, cacheDir, threads, System.out)) {
      int noFace = 0;
      int multi = 0;
      for (int i = 0; i < cache.size(); i++) {
        noFace += cache.hasFace(i) ? 0 : 1;
        multi += cache.facesFound(i) > 1 ? 1 : 0;
      }
      IdentificationExperiment experiment =
          new IdentificationExperiment(gallery, cache, encoder, EmdConfig.paperGrid(), seed);
      IdentificationResults results = experiment.run(chosen, versions, threads, System.out);
      IdentificationReport report = new IdentificationReport(results);
      String mode = full ? "full" : "quick";
      String body =
          body(
              report,
              results,
              command,
              gallery,
              all.size(),
              noFace,
              multi,
              seed,
              threads,
              full,
              mode);
      System.out.println();
      System.out.println(body);
      if (writeDocs) {
        String subtitle = results.queries() + " queries";
        List<String> charts =
            report.writeCharts(docs.resolve("images"), "eval-identification-" + mode, subtitle);
        System.out.println("wrote " + charts + " into " + docs.resolve("images"));
        if (writePage) {
          StringBuilder withCharts = new StringBuilder(body).append('\n');
          for (String c : charts) {
            withCharts.append("![").append(c).append("](../images/").append(c).append(")\n");
          }
          Path page = docs.resolve(DocSections.IDENTIFICATION_PAGE);
          DocSections.write(page, "eval-identification-" + mode, withCharts.toString());
          System.out.println("wrote section eval-identification-" + mode + " of " + page);
        }
      }
    }
  }

  private static String body(
      IdentificationReport report,
      IdentificationResults results,
      String command,
      Lfw gallery,
      int allQueries,
      int noFace,
      int multi,
      long seed,
      int threads,
      boolean full,
      String mode) {
    StringBuilder b = new StringBuilder();
    b.append("### Identification, ")
        .append(mode)
        .append(" run: ")
        .append(results.queries())
        .append(" queries")
        .append("\n\n");
    b.append("```bash\n").append(command).append("\n```\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "Machine: %s; %d worker and %d inference threads; %.0f s for the queries (gallery cache reused).%n%n",
            Inputs.machine(),
            threads,
            threads,
            results.seconds()));
    b.append(
        String.format(
            Locale.ROOT,
            "Gallery: %d LFW images of %d people (face nearest the image centre; %d images with no face found, %d with more than one face). "
                + "Queries: %s of the %d images of people with at least 2 images%s. k = %d, alpha = %.1f.%n%n",
            gallery.size(),
            gallery.people(),
            noFace,
            multi,
            full ? "all" : String.valueOf(results.queries()),
            allQueries,
            full ? "" : " (seeded sample, seed " + seed + ")",
            IdentificationExperiment.WINDOW,
            IdentificationExperiment.ALPHA));
    if (!results.queriesWithoutFace().isEmpty()) {
      b.append("Queries left out (no face in their own gallery image): ")
          .append(results.queriesWithoutFace())
          .append("\n\n");
    }
    StringBuilder misses = new StringBuilder();
    for (QueryVersion v : results.versions()) {
      if (results.noFace(v) > 0) {
        misses.append(String.format(Locale.ROOT, "%s: %d; ", v.label(), results.noFace(v)));
      }
    }
    if (!misses.isEmpty()) {
      b.append("Queries in which no face was found (they count as misses): ")
          .append(misses, 0, misses.length() - 2)
          .append(".\n\n");
    }
    b.append("Own photo excluded ([algorithms.md](../algorithms.md#7-metrics)):\n\n")
        .append(report.metricTables())
        .append('\n');
    b.append("Queries whose first hit stage 2 corrected (+) or broke (-):\n\n")
        .append(report.flipTable())
        .append('\n');
    b.append("Alpha (same EMD runs, own photo excluded):\n\n")
        .append(report.alphaTable(0))
        .append('\n');
    b.append(
            "Own unaltered photo kept in the gallery (the published DeepFace-EMD code's protocol for changed queries):\n\n")
        .append(report.ownKeptTables())
        .append('\n');
    b.append(
        String.format(
            Locale.ROOT,
            "Sinkhorn on real face maps (%.1f candidates per query version, every version):%n%n",
            results.candidatesPerQuery()));
    b.append(report.costTable());
    return b.toString();
  }
}
