package org.facesearch.evaluation.identification;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.facesearch.emd.AutoAlpha;
import org.facesearch.emd.EmdParams;
import org.facesearch.emd.EmdScorer;
import org.facesearch.emd.FacePatches;
import org.facesearch.emd.Grid;
import org.facesearch.emd.Weighting;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.facesearch.image.RgbImage;
import org.facesearch.recognizability.CellOcclusion;

/**
 * The in-process identification suite one query at a time, for checking another path against it
 * (the REST run, {@code org.facesearch.bench.node.RestIdentification}): the gallery faces exactly
 * as the suite holds them, each query version's image exactly as the suite encodes it, and the
 * suite's own rankings of that query under the own-photo-excluded protocol: stage 1 (exact cosine,
 * top {@value IdentificationExperiment#WINDOW}) and the two stages ({@code apc} on the native grid,
 * alpha {@value IdentificationExperiment#ALPHA}, the window re-ordered by the float score as the
 * rescorer hands it to OpenSearch).
 */
public final class SuiteQueries implements Closeable {
  /** A ranking, best first: gallery indices and their scores. */
  public record Ranking(int[] items, float[] scores) {
    /** The first item, or -1 when the ranking is empty. */
    public int top() {
      return items.length == 0 ? -1 : items[0];
    }

    /** The score of gallery item {@code g}, or NaN when it is not ranked. */
    public float scoreOf(int g) {
      for (int i = 0; i < items.length; i++) {
        if (items[i] == g) {
          return scores[i];
        }
      }
      return Float.NaN;
    }
  }

  /**
   * One query version: the image the suite encodes ({@code aligned}: a 112x112 aligned crop
   * embedded as such; otherwise a photo run through detection), the suite's rankings (null when the
   * suite found no face in it; the covered-face one also when not asked for), and whether the
   * suite's face is the one a {@code face} query keeps (the largest; the suite takes the face
   * nearest where the photo's centre landed).
   */
  public record Answer(
      String version,
      RgbImage image,
      boolean aligned,
      Ranking stageOne,
      Ranking twoStages,
      Ranking coveredTwoStages,
      boolean largestFace) {}

  private final Lfw gallery;
  private final FaceEncoder encoder;
  private final GalleryCache cache;
  private final IdentificationExperiment experiment;
  private final StageOne stageOne;
  private final EmdConfig config = new EmdConfig(Weighting.APC, Grid.NATIVE);

  /**
   * The options for covered faces ({@code weighting: recognizability}, {@code centre_patches:
   * true}, {@code alpha: "auto"}, native grid); the alpha is set per query.
   */
  public static final EmdParams COVERED =
      EmdParams.builder().weighting(Weighting.RECOGNIZABILITY).centrePatches(true).build();

  private SuiteQueries(Lfw gallery, FaceEncoder encoder, GalleryCache cache, long seed) {
    this.gallery = gallery;
    this.encoder = encoder;
    this.cache = cache;
    this.experiment = new IdentificationExperiment(gallery, cache, encoder, List.of(config), seed);
    this.stageOne = new StageOne(cache);
  }

  /**
   * LFW and the gallery cache under {@code cacheDir} (built first when missing), as the suite opens
   * them.
   */
  public static SuiteQueries open(Path cacheDir, int threads, long seed, PrintStream log)
      throws IOException {
    Lfw gallery = Lfw.open();
    FaceEncoder encoder =
        FaceEncoder.open(Inputs.defaultPack(), EncoderOptions.defaults().withThreads(threads));
    try {
      return new SuiteQueries(
          gallery,
          encoder,
          GalleryCache.openOrBuild(gallery, encoder, cacheDir, threads, log),
          seed);
    } catch (IOException | RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  /** The gallery cache the suite's tools share (from the repository root). */
  public static final String DEFAULT_CACHE = IdentificationBenchmark.DEFAULT_CACHE;

  /** The suite's default seed. */
  public static long defaultSeed() {
    return IdentificationBenchmark.DEFAULT_SEED;
  }

  /** Checks a comma-separated list of version keys (e.g. {@code crop,mask}); the keys as given. */
  public static List<String> versions(String list) {
    List<String> out = new ArrayList<>();
    for (QueryVersion v : QueryVersion.parse(list)) {
      if (v == QueryVersion.CLEAN) {
        throw new IllegalArgumentException(
            "the clean version's query is the gallery image itself: nothing to send");
      }
      out.add(v.key());
    }
    return out;
  }

  /** The version's name in the suite's tables. */
  public static String label(String version) {
    return QueryVersion.parse(version).get(0).label();
  }

  public int size() {
    return gallery.size();
  }

  /** E.g. {@code Tony_Blair/Tony_Blair_0001.jpg}. */
  public String name(int g) {
    return gallery.name(g);
  }

  public Path path(int g) {
    return gallery.path(g);
  }

  public String person(int g) {
    return gallery.person(gallery.label(g));
  }

  public boolean samePerson(int a, int b) {
    return gallery.label(a) == gallery.label(b);
  }

  public int people() {
    return gallery.people();
  }

  /**
   * Faces the detector found in gallery image {@code g}; the suite's face is the one nearest the
   * image centre.
   */
  public int facesFound(int g) {
    return cache.facesFound(g);
  }

  /** The unit embedding of gallery image {@code g}'s face (a copy). */
  public float[] embedding(int g) {
    return cache.embedding(g).clone();
  }

  /**
   * Gallery image {@code g}'s patch map in the stored {@code float16} encoding (what the {@code
   * face} field takes as {@code patches}).
   */
  public byte[] patchBytes(int g) {
    return cache.patchBytes(g);
  }

  /**
   * Every query (images of people with at least 2 images) when {@code n <= 0}, else the suite's
   * seeded sample of {@code n}.
   */
  public List<Integer> queries(int n, long seed) {
    List<Integer> out = new ArrayList<>();
    for (int q : n <= 0 ? gallery.queries() : gallery.sampleQueries(n, seed)) {
      if (cache.hasFace(q)) {
        out.add(q); // the suite leaves out queries with no face in their own gallery image
      }
    }
    return out;
  }

  /**
   * Query {@code q} in each of {@code versions}, with the suite's answers; the ranking with the
   * covered-face options only when {@code covered} (null otherwise). Thread-safe.
   */
  public List<Answer> answer(int q, List<String> versions, boolean covered) {
    List<QueryVersion> parsed = QueryVersion.parse(String.join(",", versions));
    Map<QueryVersion, IdentificationExperiment.Probe> probes =
        experiment.probes(q, parsed.stream().filter(QueryVersion::onAlignedCrop).toList());
    List<Answer> out = new ArrayList<>();
    for (QueryVersion v : parsed) {
      RgbImage image;
      RgbImage aligned; // the query face's aligned crop, where the occlusion evidence is read
      float[] padding = null; // its alignment padding, as the node knows it for a photo
      IdentificationExperiment.Probe probe;
      boolean largest = true;
      if (v.onAlignedCrop()) {
        image = experiment.changedCrop(q, v, cache.alignedFace(q));
        aligned = image;
        probe = probes.get(v);
      } else {
        IdentificationExperiment.Realigned realigned = experiment.realigned(q);
        image = realigned.photo();
        aligned = realigned.alignedFace();
        padding = realigned.padding();
        probe = realigned.probe();
        largest = realigned.largest();
      }
      if (probe == null) {
        out.add(new Answer(v.key(), image, v.onAlignedCrop(), null, null, null, false));
        continue;
      }
      StageOne.Hits hits = stageOne.top(probe.embedding(), IdentificationExperiment.WINDOW, q);
      Ranking first = new Ranking(hits.items(), hits.scores());
      Ranking apc =
          rerank(
              hits, new EmdScorer(probe.patches(), config.params(IdentificationExperiment.ALPHA)));
      // The options for covered faces, as the rescorer applies them: the query's own occlusion
      // evidence from its aligned crop, alpha from that evidence.
      Ranking coveredRanking = null;
      if (covered) {
        FacePatches evidence =
            probe
                .patches()
                .withOcclusion(
                    CellOcclusion.flatShares(
                        aligned, probe.patches().rows(), probe.patches().cols()),
                    padding);
        EmdParams coveredParams = COVERED.toBuilder().alpha(AutoAlpha.of(evidence)).build();
        coveredRanking = rerank(hits, new EmdScorer(evidence, coveredParams));
      }
      out.add(new Answer(v.key(), image, v.onAlignedCrop(), first, apc, coveredRanking, largest));
    }
    return out;
  }

  /**
   * Stage 1's hits re-ordered by {@code scorer}, best first, as the rescorer hands them to
   * OpenSearch (float scores).
   */
  private Ranking rerank(StageOne.Hits hits, EmdScorer scorer) {
    double[] scores = new double[hits.size()];
    for (int p = 0; p < scores.length; p++) {
      scores[p] = (float) scorer.score(experiment.galleryFace(hits.items()[p])).score();
    }
    int[] order = Reranking.order(hits.size(), IdentificationExperiment.WINDOW, scores);
    int[] items = new int[order.length];
    float[] ordered = new float[order.length];
    for (int i = 0; i < order.length; i++) {
      items[i] = hits.items()[order[i]];
      ordered[i] = (float) scores[order[i]];
    }
    return new Ranking(items, ordered);
  }

  /** The suite's experiment behind these answers (apc on the native grid only). */
  IdentificationExperiment experiment() {
    return experiment;
  }

  /** Writes (or replaces) the generated section {@code id} of a markdown page. */
  public static void writeDocSection(Path page, String id, String body) throws IOException {
    DocSections.write(page, id, body);
  }

  @Override
  public void close() throws IOException {
    try {
      cache.close();
    } finally {
      encoder.close();
    }
  }
}
