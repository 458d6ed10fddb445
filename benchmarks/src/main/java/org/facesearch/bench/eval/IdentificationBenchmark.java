package org.facesearch.bench.eval;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;

/**
 * Two-stage face identification on LFW (issue #8, in process): every query version, stage 1
 * alone, the two stages with each weighting (apc, uniform, sc) and grid (native 7x7, 4x4) at
 * k = 100 and alpha = 0.7 (plus other alphas from the same EMD runs), and the ceiling of a perfect
 * re-ranking of the top 100; under the own-photo-excluded protocol and with the own photo kept.
 *
 * <pre>
 * benchmarks/run org.facesearch.bench.eval.IdentificationBenchmark              # quick: 1000 seeded queries
 * benchmarks/run org.facesearch.bench.eval.IdentificationBenchmark --full       # every query (6,684)
 *   --queries N       seeded sample size of the quick mode (default 1000)
 *   --seed S          (default 20261123)
 *   --threads T       worker and inference threads (default: all cores)
 *   --versions a,b    query versions (default all): clean, crop, mask, sunglasses, lowres16, lowres24, rotation, crop-realigned
 *   --cache DIR       gallery cache (default benchmarks/target/eval-cache)
 *   --docs DIR        where docs/benchmarks.md and docs/images are (default docs); --no-docs to only print
 * </pre>
 *
 * Run from the repository root. The gallery (every image under LFW, the face nearest each image's
 * centre) is encoded once into the cache; later runs start at once.
 */
public final class IdentificationBenchmark {
    static final long DEFAULT_SEED = 20261123L;

    private IdentificationBenchmark() {}

    public static void main(String[] args) throws Exception {
        int queries = 1000;
        boolean full = false;
        long seed = DEFAULT_SEED;
        int threads = Runtime.getRuntime().availableProcessors();
        List<QueryVersion> versions = Arrays.asList(QueryVersion.values());
        Path cacheDir = Path.of("benchmarks/target/eval-cache");
        Path docs = Path.of("docs");
        boolean writeDocs = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> full = true;
                case "--queries" -> queries = Integer.parseInt(value(args, ++i));
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                case "--threads" -> threads = Integer.parseInt(value(args, ++i));
                case "--versions" -> versions = QueryVersion.parse(value(args, ++i));
                case "--cache" -> cacheDir = Path.of(value(args, ++i));
                case "--docs" -> docs = Path.of(value(args, ++i));
                case "--no-docs" -> writeDocs = false;
                default -> throw new IllegalArgumentException("unknown argument [" + args[i] + "]; see the class comment for usage");
            }
        }
        if (writeDocs && !Files.isDirectory(docs)) {
            throw new IllegalArgumentException("no docs folder at " + docs.toAbsolutePath() + ": run from the repository root, or pass --docs DIR or --no-docs");
        }
        StringBuilder command = new StringBuilder("benchmarks/run org.facesearch.bench.eval.IdentificationBenchmark");
        for (String a : args) {
            command.append(' ').append(a);
        }

        LfwGallery gallery = LfwGallery.scan(EvalSupport.lfw());
        List<Integer> all = gallery.queries();
        List<Integer> chosen = full ? all : gallery.sampleQueries(queries, seed);
        System.out.printf(Locale.ROOT, "gallery: %d images of %d people; %d queries (people with >= 2 images); running %d%s%n", gallery.size(),
            gallery.people(), all.size(), chosen.size(), full ? " (all)" : " (seeded sample, seed " + seed + ")");

        try (FaceEncoder encoder = FaceEncoder.open(EvalSupport.defaultPack(), EncoderOptions.defaults().withThreads(threads));
             GalleryCache cache = GalleryCache.openOrBuild(gallery, encoder, cacheDir, threads, System.out)) {
            int noFace = 0;
            int multi = 0;
            for (int i = 0; i < cache.size(); i++) {
                noFace += cache.hasFace(i) ? 0 : 1;
                multi += cache.facesFound(i) > 1 ? 1 : 0;
            }
            IdentificationExperiment experiment = new IdentificationExperiment(gallery, cache, encoder, EmdConfig.paperGrid(), seed);
            IdentificationResults results = experiment.run(chosen, versions, threads, System.out);
            IdentificationReport report = new IdentificationReport(results);
            String mode = full ? "full" : "quick";
            String body = body(report, results, command.toString(), gallery, all.size(), noFace, multi, seed, threads, full, mode);
            System.out.println();
            System.out.println(body);
            if (writeDocs) {
                String subtitle = results.queries() + " queries";
                List<String> charts = report.writeCharts(docs.resolve("images"), "eval-identification-" + mode, subtitle);
                StringBuilder withCharts = new StringBuilder(body).append('\n');
                for (String c : charts) {
                    withCharts.append("![").append(c).append("](images/").append(c).append(")\n");
                }
                DocSections.write(docs.resolve("benchmarks.md"), "Benchmarks", "eval-identification-" + mode, withCharts.toString());
                System.out.println("wrote section eval-identification-" + mode + " of " + docs.resolve("benchmarks.md") + " and " + charts);
            }
        }
    }

    private static String body(IdentificationReport report, IdentificationResults results, String command, LfwGallery gallery, int allQueries,
                               int noFace, int multi, long seed, int threads, boolean full, String mode) {
        StringBuilder b = new StringBuilder();
        b.append("### Identification, ").append(mode).append(" run: ").append(results.queries()).append(" queries").append("\n\n");
        b.append("```bash\n").append(command).append("\n```\n\n");
        b.append(String.format(Locale.ROOT, "Date %s; machine: %s; %d worker and %d inference threads; %.0f s for the queries (gallery cache reused).%n%n",
            EvalSupport.today(), EvalSupport.machine(), threads, threads, results.seconds()));
        b.append(String.format(Locale.ROOT,
            "Gallery: %d LFW images of %d people (face nearest the image centre; %d images with no face found, %d with more than one face). "
                + "Queries: %s of the %d images of people with at least 2 images%s. k = %d, alpha = %.1f.%n%n",
            gallery.size(), gallery.people(), noFace, multi, full ? "all" : String.valueOf(results.queries()), allQueries,
            full ? "" : " (seeded sample, seed " + seed + ")", IdentificationExperiment.WINDOW, IdentificationExperiment.ALPHA));
        if (!results.queriesWithoutFace().isEmpty()) {
            b.append("Queries left out (no face in their own gallery image): ").append(results.queriesWithoutFace()).append("\n\n");
        }
        StringBuilder misses = new StringBuilder();
        for (QueryVersion v : results.versions()) {
            if (results.noFace(v) > 0) {
                misses.append(String.format(Locale.ROOT, "%s: %d; ", v.label(), results.noFace(v)));
            }
        }
        if (!misses.isEmpty()) {
            b.append("Queries in which no face was found (they count as misses): ").append(misses, 0, misses.length() - 2).append(".\n\n");
        }
        b.append("Own photo excluded (ALGORITHMS.md section 6):\n\n").append(report.metricTables()).append('\n');
        b.append("Queries whose first hit stage 2 corrected (+) or broke (-):\n\n").append(report.flipTable()).append('\n');
        b.append("Alpha (same EMD runs, own photo excluded):\n\n").append(report.alphaTable(0)).append('\n');
        b.append("Own unaltered photo kept in the gallery (the published DeepFace-EMD code's protocol for changed queries):\n\n")
            .append(report.ownKeptTables()).append('\n');
        b.append(String.format(Locale.ROOT, "Sinkhorn on real face maps (%.1f candidates per query version, every version):%n%n",
            results.candidatesPerQuery()));
        b.append(report.costTable());
        return b.toString();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("argument " + args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
