package org.facesearch.evaluation.identification;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.facesearch.emd.EmdResult;
import org.facesearch.emd.EmdScorer;
import org.facesearch.emd.FacePatches;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.FaceChoice;
import org.facesearch.evaluation.Lfw;
import org.facesearch.image.ImageDecoder;
import org.facesearch.image.ImageLimits;
import org.facesearch.image.RgbImage;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;

/**
 * Two-stage face identification on a labelled gallery, through the product's own code: the encoder
 * for every query, exact stage-1 cosine over the whole gallery, and the rescorer's {@link
 * EmdScorer} on the stage-1 top {@value #WINDOW}, with gallery and query patch maps in the stored
 * {@code float16} encoding and converted to {@link FacePatches} exactly as the rescorer converts
 * them.
 *
 * <p>Two protocols per query version:
 *
 * <ul>
 *   <li>own photo excluded (docs/algorithms.md section 7; the main figures): the query's own
 *       gallery image is never ranked (score -infinity), R counts the person's other images;
 *   <li>own photo kept (the published DeepFace-EMD code's protocol for its changed-query sets: it
 *       excludes the query only when query and gallery sets are the same): the unaltered original
 *       of a changed query stays in the gallery and counts as relevant (R + 1). Not computed for
 *       the clean version, whose own image is the query itself.
 * </ul>
 */
final class IdentificationExperiment {
  static final int WINDOW = 100;
  static final double ALPHA = 0.7;

  /** Other alphas reported from the same EMD runs (alpha only mixes two numbers per candidate). */
  static final double[] ALPHA_SWEEP = {0.3, 0.5, 1.0};

  static final String STAGE_ONE = "stage 1";
  static final String CEILING = "ceiling";

  private final Lfw gallery;
  private final GalleryCache cache;
  private final FaceEncoder encoder;
  private final StageOne stageOne;
  private final List<EmdConfig> configs;
  private final List<String> configLabels;
  private final float[] template;
  private final long seed;
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
  private final AtomicReferenceArray<FacePatches> decoded;
  private final int decodedCapacity;
  private final AtomicInteger decodedCount = new AtomicInteger();

  IdentificationExperiment(
      Lfw gallery, GalleryCache cache, FaceEncoder encoder, List<EmdConfig> configs, long seed) {
    if (gallery.size() != cache.size()) {
      throw new IllegalArgumentException(
          "gallery has " + gallery.size() + " images, the cache " + cache.size());
    }
    this.gallery = gallery;
    this.cache = cache;
    this.encoder = encoder;
    this.stageOne = new StageOne(cache);
    this.configs = List.copyOf(configs);
    var feature = encoder.pack().descriptor().feature();
    List<String> labels = new ArrayList<>();
    for (EmdConfig c : configs) {
      labels.add(c.label(feature.gridH(), feature.gridW()));
    }
    this.configLabels = List.copyOf(labels);
    this.template = feature.alignmentTemplate().clone();
    this.seed = seed;
    this.decoded = new AtomicReferenceArray<>(cache.size());
    // Keep decoded gallery faces while they fit in the heap with 1 GiB to spare.
    long perFace =
        4L * feature.gridH() * feature.gridW() * (feature.patchDims() + 16)
            + 4L * (feature.patchDims() + feature.embeddingDims());
    long spare = Runtime.getRuntime().maxMemory() - (1L << 30);
    this.decodedCapacity = (int) Math.max(0, Math.min(cache.size(), spare / perFace));
  }

  /** How many decoded gallery faces this run keeps in memory. */
  int decodedCapacity() {
    return decodedCapacity;
  }

  List<String> configLabels() {
    return configLabels;
  }

  /** The alignment template's five points (pixel centres of the aligned crop). */
  float[] template() {
    return template.clone();
  }

  /**
   * Runs every query in every version on {@code threads} worker threads; results do not depend on
   * the thread count.
   */
  IdentificationResults run(
      List<Integer> queries, List<QueryVersion> versions, int threads, PrintStream log) {
    IdentificationResults results = new IdentificationResults(versions, configLabels, ALPHA_SWEEP);
    List<Integer> usable = new ArrayList<>();
    for (int q : queries) {
      if (cache.hasFace(q)) {
        usable.add(q);
      } else {
        results.skipQueryWithoutFace(gallery.name(q));
      }
    }
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      int chunk = 64;
      for (int from = 0; from < usable.size(); from += chunk) {
        List<Future<Map<QueryVersion, QueryOutcome>>> pending = new ArrayList<>();
        for (int q : usable.subList(from, Math.min(usable.size(), from + chunk))) {
          pending.add(pool.submit(() -> evaluateQuery(q, versions)));
        }
        for (Future<Map<QueryVersion, QueryOutcome>> f : pending) {
          BenchThreads.await(f).forEach(results::add);
        }
        int done = Math.min(usable.size(), from + chunk);
        if ((from / chunk) % 4 == 0 || done == usable.size()) {
          log.printf(
              Locale.ROOT,
              "  %d / %d queries, %.0f s%n",
              done,
              usable.size(),
              (System.nanoTime() - start) / 1e9);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    results.finish((System.nanoTime() - start) / 1e9);
    return results;
  }

  /**
   * A query as stage 1 and stage 2 see it; null fields never occur (no face is {@code null}
   * instead).
   */
  record Probe(float[] embedding, FacePatches patches) {}

  /** Every version of one query. */
  Map<QueryVersion, QueryOutcome> evaluateQuery(int q, List<QueryVersion> versions) {
    Map<QueryVersion, Probe> probes = probes(q, versions);
    Map<QueryVersion, QueryOutcome> out = new LinkedHashMap<>();
    for (QueryVersion v : versions) {
      out.put(v, evaluate(q, v, probes.get(v)));
    }
    return out;
  }

  /**
   * Query {@code q} in each version as stage 1 and 2 see it (null: no face found); the changed
   * aligned crops are embedded together in one batch.
   */
  Map<QueryVersion, Probe> probes(int q, List<QueryVersion> versions) {
    Map<QueryVersion, Probe> probes = new LinkedHashMap<>();
    RgbImage aligned = cache.alignedFace(q);
    List<RgbImage> changed = new ArrayList<>();
    List<QueryVersion> changedVersions = new ArrayList<>();
    for (QueryVersion v : versions) {
      if (v == QueryVersion.CLEAN) {
        probes.put(v, probe(cache.patchMap(q), cache.embedding(q)));
      } else if (v.onAlignedCrop()) {
        changed.add(changedCrop(q, v, aligned));
        changedVersions.add(v);
      } else {
        probes.put(v, realignedCrop(q));
      }
    }
    if (!changed.isEmpty()) {
      List<EncodedFace> faces = encoder.embedAligned(changed);
      for (int i = 0; i < faces.size(); i++) {
        probes.put(changedVersions.get(i), probe(faces.get(i)));
      }
    }
    return probes;
  }

  /** The seeded change {@code v} of query {@code q}'s aligned crop {@code aligned}. */
  RgbImage changedCrop(int q, QueryVersion v, RgbImage aligned) {
    return v.apply(aligned, template, v.random(seed, q));
  }

  /**
   * The photo of query {@code q} cropped to 70% at a seeded position and resized back, with where
   * the photo's centre landed.
   */
  record CroppedPhoto(RgbImage image, double centreX, double centreY) {}

  CroppedPhoto croppedPhoto(int q) {
    RgbImage photo;
    try {
      photo = decoder.decode(Files.readAllBytes(gallery.path(q)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + gallery.path(q), e);
    }
    Random random = QueryVersion.CROP_REALIGNED.random(seed, q);
    Degradations.CropBox box =
        Degradations.CropBox.random(
            photo.width(), photo.height(), QueryVersion.CROP_FRACTION, random);
    double[] centre = box.map(photo.width() / 2.0, photo.height() / 2.0);
    return new CroppedPhoto(box.apply(photo), centre[0], centre[1]);
  }

  /**
   * The photo cropped to 70% at a seeded position, resized back, through the whole pipeline; null
   * when no face is found.
   */
  private Probe realignedCrop(int q) {
    return realigned(q).probe();
  }

  /**
   * A re-aligned crop: the cropped photo, its probe (null: no face found) and whether its face is
   * also the largest one found (the one a {@code face} query keeps).
   */
  /**
   * The cropped photo, the chosen face's probe, aligned crop and per-cell alignment padding (null
   * when no face), and whether it is the photo's largest face.
   */
  record Realigned(
      RgbImage photo, Probe probe, RgbImage alignedFace, float[] padding, boolean largest) {}

  Realigned realigned(int q) {
    CroppedPhoto cropped = croppedPhoto(q);
    List<EncodedFace> faces = encoder.encode(cropped.image(), EncodeMode.DETECT, Integer.MAX_VALUE);
    // The labelled person is at the photo's centre: pick the face nearest where that centre landed.
    EncodedFace face = FaceChoice.nearest(faces, cropped.centreX(), cropped.centreY());
    if (face == null) {
      return new Realigned(cropped.image(), null, null, null, false);
    }
    boolean largest = faces.stream().allMatch(f -> f.boxArea() <= face.boxArea());
    return new Realigned(
        cropped.image(), probe(face), face.alignedFace(), face.paddingShares(), largest);
  }

  /**
   * A freshly encoded face as the query handover carries it: the patch map in the stored float16
   * encoding.
   */
  static Probe probe(EncodedFace face) {
    return probe(
        PatchEncoding.decode(GalleryCache.PATCH_ENCODING.encode(face.patchMap())),
        face.embedding());
  }

  /**
   * As the rescorer's {@code Faces.patches}: the decoded map, its recomputed centre and the unit
   * embedding.
   */
  static Probe probe(PatchMap map, float[] unitEmbedding) {
    return new Probe(unitEmbedding, facePatches(map, unitEmbedding));
  }

  static FacePatches facePatches(PatchMap map, float[] unitEmbedding) {
    return FacePatches.fromCellMajor(
        map.rows(), map.cols(), map.dims(), map.cells(), map.norms(), map.centre(), unitEmbedding);
  }

  /** One query version under both protocols. */
  QueryOutcome evaluate(int q, QueryVersion version, Probe probe) {
    int label = gallery.label(q);
    int r = gallery.imagesOf(label) - 1; // the person's other images
    boolean ownKept = version != QueryVersion.CLEAN;
    int depth = Math.max(WINDOW, r + 1);
    if (probe == null) {
      return QueryOutcome.noFace(methodNames(), ownKept);
    }
    // One search with nothing excluded (except a clean query's own, identical image) serves both
    // protocols.
    StageOne.Hits hits = stageOne.top(probe.embedding(), depth + 1, ownKept ? -1 : q);
    int n = hits.size();
    int[] excluded = positions(hits, q, depth, true);
    int[] kept = ownKept ? positions(hits, q, depth, false) : null;

    // Stage 2 on every candidate in either window (at most WINDOW + 1 distinct ones).
    boolean[] inWindow = new boolean[n];
    for (int i = 0; i < Math.min(WINDOW, excluded.length); i++) {
      inWindow[excluded[i]] = true;
    }
    if (kept != null) {
      for (int i = 0; i < Math.min(WINDOW, kept.length); i++) {
        inWindow[kept[i]] = true;
      }
    }
    FacePatches[] candidates = new FacePatches[n];
    int scored = 0;
    for (int p = 0; p < n; p++) {
      if (inWindow[p]) {
        candidates[p] = galleryFace(hits.items()[p]);
        scored++;
      }
    }
    EmdResult[][] emd = new EmdResult[configs.size()][n];
    int[] iterations = new int[configs.size()];
    int[] converged = new int[configs.size()];
    int[] fellBack = new int[configs.size()];
    for (int c = 0; c < configs.size(); c++) {
      EmdScorer scorer = new EmdScorer(probe.patches(), configs.get(c).params(ALPHA));
      for (int p = 0; p < n; p++) {
        if (candidates[p] != null) {
          emd[c][p] = scorer.score(candidates[p]);
        }
      }
      for (int p = 0; p < n; p++) {
        EmdResult e = emd[c][p];
        if (e != null) {
          iterations[c] += e.iterations();
          converged[c] += e.converged() ? 1 : 0;
          fellBack[c] += e.queryWeightsFellBack() || e.candidateWeightsFellBack() ? 1 : 0;
        }
      }
    }
    boolean[] relevant = new boolean[n];
    for (int p = 0; p < n; p++) {
      relevant[p] = gallery.label(hits.items()[p]) == label;
    }
    Map<String, RankingMetrics.Values> ex = metrics(excluded, relevant, emd, r);
    Map<String, RankingMetrics.Values> ke =
        kept == null ? null : metrics(kept, relevant, emd, r + 1);
    return new QueryOutcome(false, ex, ke, scored, iterations, converged, fellBack);
  }

  /**
   * Gallery item {@code g} as the rescorer reads it: its stored float16 patch map decoded and
   * converted by {@link #facePatches}. Decoded faces are kept (about 100 KB each for 7x7x512) up to
   * {@link #decodedCapacity}, since the same gallery faces return in many top-100 lists.
   */
  FacePatches galleryFace(int g) {
    FacePatches face = decoded.get(g);
    if (face != null) {
      return face;
    }
    face = facePatches(cache.patchMap(g), cache.embedding(g));
    if (decodedCount.get() < decodedCapacity && decoded.compareAndSet(g, null, face)) {
      decodedCount.incrementAndGet();
    }
    return face;
  }

  /**
   * Positions (into {@code hits}) of one protocol's stage-1 list: the first {@code depth}, with or
   * without the query's own image.
   */
  private static int[] positions(StageOne.Hits hits, int q, int depth, boolean excludeOwn) {
    int[] out = new int[Math.min(depth, hits.size())];
    int k = 0;
    for (int p = 0; p < hits.size() && k < out.length; p++) {
      if (excludeOwn && hits.items()[p] == q) {
        continue;
      }
      out[k++] = p;
    }
    return k == out.length ? out : java.util.Arrays.copyOf(out, k);
  }

  private Map<String, RankingMetrics.Values> metrics(
      int[] list, boolean[] relevantByPosition, EmdResult[][] emd, int r) {
    boolean[] rel = new boolean[list.length];
    for (int i = 0; i < list.length; i++) {
      rel[i] = relevantByPosition[list[i]];
    }
    Map<String, RankingMetrics.Values> out = new LinkedHashMap<>();
    out.put(STAGE_ONE, RankingMetrics.of(rel, r));
    out.put(CEILING, RankingMetrics.of(Reranking.permute(rel, Reranking.ceiling(rel, WINDOW)), r));
    int w = Math.min(WINDOW, list.length);
    for (int c = 0; c < configs.size(); c++) {
      for (double alpha : alphas()) {
        double[] scores = new double[w];
        for (int i = 0; i < w; i++) {
          // The rescorer hands OpenSearch a float score.
          scores[i] = (float) emd[c][list[i]].score(alpha);
        }
        out.put(
            methodName(c, alpha),
            RankingMetrics.of(
                Reranking.permute(rel, Reranking.order(rel.length, WINDOW, scores)), r));
      }
    }
    return out;
  }

  private static double[] alphas() {
    double[] a = new double[ALPHA_SWEEP.length + 1];
    a[0] = ALPHA;
    System.arraycopy(ALPHA_SWEEP, 0, a, 1, ALPHA_SWEEP.length);
    return a;
  }

  /** {@code apc 7x7} at the default alpha, {@code apc 7x7 alpha=0.5} otherwise. */
  String methodName(int config, double alpha) {
    return alpha == ALPHA ? configLabels.get(config) : configLabels.get(config) + " alpha=" + alpha;
  }

  private List<String> methodNames() {
    List<String> names = new ArrayList<>(List.of(STAGE_ONE, CEILING));
    for (int c = 0; c < configs.size(); c++) {
      for (double alpha : alphas()) {
        names.add(methodName(c, alpha));
      }
    }
    return names;
  }
}
