package org.facesearch.evaluation.identification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.facesearch.emd.AutoAlpha;
import org.facesearch.emd.EmdParams;
import org.facesearch.emd.EmdScorer;
import org.facesearch.emd.FacePatches;
import org.facesearch.emd.Weighting;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.FaceChoice;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.facesearch.image.ImageDecoder;
import org.facesearch.image.ImageLimits;
import org.facesearch.image.RgbImage;
import org.facesearch.recognizability.CellOcclusion;

/**
 * The stage-2 settings side by side: stage 1, the {@code apc} and {@code uniform} weightings at
 * alpha 0.7 and the options for covered faces ({@code recognizability} weighting, {@code
 * centre_patches}, {@code alpha: auto}) on every query version, for queries of the REPORTING
 * identities only (odd person label; the covered-face constants were chosen on the tuning
 * identities, the even labels). Own photo excluded, gallery all of LFW, k = 100, through the
 * product's {@link EmdScorer}, {@link AutoAlpha} and {@link CellOcclusion}.
 *
 * <p>{@code --split tune} runs the same on the tuning identities instead, to check a change there
 * before the reporting figures are rerun.
 *
 * <pre>
 * evaluation/run stage-two-report [--queries 1000] [--versions a,b] [--split report|tune] [--threads T] [--seed S] [--cache DIR]
 * </pre>
 */
public final class StageTwoReport {
  static final int WINDOW = 100;

  /** One stage-2 setting: parameters, and whether alpha is auto. */
  record Setting(String name, EmdParams params, boolean auto) {}

  private StageTwoReport() {}

  static List<Setting> settings() {
    EmdParams apc = EmdParams.defaults();
    EmdParams rec = EmdParams.builder().weighting(Weighting.RECOGNIZABILITY).build();
    List<Setting> out = new ArrayList<>();
    out.add(new Setting("apc, alpha 0.7 (old default)", apc, false));
    out.add(
        new Setting(
            "uniform, alpha 0.7", EmdParams.builder().weighting(Weighting.UNIFORM).build(), false));
    out.add(new Setting("recognizability, alpha 0.7", rec, false));
    out.add(new Setting("apc, auto", apc, true));
    out.add(new Setting("recognizability, auto", rec, true));
    out.add(new Setting("apc, centred, auto", apc.toBuilder().centrePatches(true).build(), true));
    out.add(
        new Setting(
            "recognizability, centred, auto", rec.toBuilder().centrePatches(true).build(), true));
    out.add(
        new Setting(
            "recognizability, centred, alpha 0.3",
            rec.toBuilder().centrePatches(true).alpha(0.3).build(),
            false));
    out.add(
        new Setting(
            "uniform, centred, auto",
            EmdParams.builder().weighting(Weighting.UNIFORM).centrePatches(true).build(),
            true));
    return out;
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("queries", "threads", "versions", "split", "seed", "cache"));
    int queries = args.positive("queries", 1000);
    int threads = args.positive("threads", Inputs.cores());
    long seed = args.longValue("seed", IdentificationBenchmark.DEFAULT_SEED);
    List<QueryVersion> versions =
        QueryVersion.parse(args.string("versions", QueryVersion.allKeys()));
    String split = args.string("split", "report");
    int parity =
        switch (split) {
          case "report" -> 1;
          case "tune" -> 0;
          default ->
              throw new IllegalArgumentException(
                  "option [--split] is report or tune, got [" + split + "]");
        };
    Lfw gallery = Lfw.open();
    List<Setting> settings = settings();
    try (FaceEncoder encoder =
            FaceEncoder.open(Inputs.defaultPack(), EncoderOptions.defaults().withThreads(threads));
        GalleryCache cache =
            GalleryCache.openOrBuild(
                gallery,
                encoder,
                args.path("cache", IdentificationBenchmark.DEFAULT_CACHE),
                threads,
                System.out)) {
      Sample sample = sample(gallery, cache, parity, seed, queries);
      List<Integer> chosen = sample.queries();
      System.out.printf(
          Locale.ROOT,
          "%s split (%s labels): %d queries of %d; %s%n",
          parity == 1 ? "reporting" : "tuning",
          parity == 1 ? "odd" : "even",
          chosen.size(),
          sample.poolSize(),
          new java.util.Date());
      var feature = encoder.pack().descriptor().feature();
      float[] template = feature.alignmentTemplate().clone();
      StageOne stageOne = new StageOne(cache);
      ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
      // [version][setting + 2][metric]: sums of P@1, R-Precision, MAP@R; index 0 stage 1, 1
      // ceiling.
      double[][][] sums = new double[versions.size()][settings.size() + 2][3];
      double[][] alphaSums = new double[versions.size()][2];
      int[] counts = new int[versions.size()];
      int[] noFace = new int[versions.size()];
      long start = System.nanoTime();
      ExecutorService exec = Executors.newFixedThreadPool(threads);
      try {
        List<Future<double[][][]>> pending = new ArrayList<>();
        for (int q : chosen) {
          List<QueryVersion> vs = versions;
          pending.add(
              exec.submit(() ->
                  evaluate(
                      q, vs, settings, gallery, cache, encoder, stageOne, decoder, template,
                      seed)));
        }
        int done = 0;
        for (Future<double[][][]> f : pending) {
          double[][][] r = BenchThreads.await(f);
          for (int v = 0; v < versions.size(); v++) {
            if (r[v] == null) {
              noFace[v]++;
              counts[v]++;
              continue;
            }
            counts[v]++;
            for (int s = 0; s < settings.size() + 2; s++) {
              for (int m = 0; m < 3; m++) {
                sums[v][s][m] += r[v][s][m];
              }
            }
            alphaSums[v][0] += r[v][settings.size() + 2][0];
            alphaSums[v][1] += r[v][settings.size() + 2][1];
          }
          if (++done % 100 == 0) {
            System.out.printf(
                Locale.ROOT,
                "  %d / %d queries, %.0f s%n",
                done,
                chosen.size(),
                (System.nanoTime() - start) / 1e9);
          }
        }
      } finally {
        exec.shutdownNow();
      }
      System.out.printf(
          Locale.ROOT, "%.0f s for the queries%n%n", (System.nanoTime() - start) / 1e9);
      for (int m = 0; m < 3; m++) {
        String metric = m == 0 ? "P@1" : m == 1 ? "R-Precision" : "MAP@R";
        StringBuilder b = new StringBuilder("| " + metric + " (%) | stage 1");
        for (Setting s : settings) {
          b.append(" | ").append(s.name());
        }
        b.append(" | ceiling | mean auto alpha |\n| ---");
        b.append(" | ---".repeat(settings.size() + 3)).append(" |\n");
        for (int v = 0; v < versions.size(); v++) {
          b.append("| ").append(versions.get(v).label());
          b.append(String.format(Locale.ROOT, " | %.1f", 100 * sums[v][0][m] / counts[v]));
          for (int s = 0; s < settings.size(); s++) {
            double val = 100 * sums[v][s + 2][m] / counts[v];
            double delta = val - 100 * sums[v][0][m] / counts[v];
            b.append(String.format(Locale.ROOT, " | %.1f (%+.1f)", val, delta));
          }
          b.append(
              String.format(
                  Locale.ROOT,
                  " | %.1f | %.2f |%n",
                  100 * sums[v][1][m] / counts[v],
                  alphaSums[v][0] / (counts[v] - noFace[v])));
        }
        System.out.println(b);
      }
      for (int v = 0; v < versions.size(); v++) {
        if (noFace[v] > 0) {
          System.out.printf(
              Locale.ROOT,
              "%s: %d queries without a face (misses)%n",
              versions.get(v).label(),
              noFace[v]);
        }
      }
    }
  }

  /**
   * Per version: [stage 1, ceiling, settings...][P@1, R-Prec, MAP@R], then the two auto alphas;
   * null: no face.
   */
  static double[][][] evaluate(
      int q,
      List<QueryVersion> versions,
      List<Setting> settings,
      Lfw gallery,
      GalleryCache cache,
      FaceEncoder encoder,
      StageOne stageOne,
      ImageDecoder decoder,
      float[] template,
      long seed) {
    double[][][] out = new double[versions.size()][][];
    for (int vi = 0; vi < versions.size(); vi++) {
      QueryVersion v = versions.get(vi);
      EncodedFace face;
      RgbImage image;
      if (v.onAlignedCrop()) {
        image =
            v == QueryVersion.CLEAN
                ? cache.alignedFace(q)
                : v.apply(cache.alignedFace(q), template, v.random(seed, q));
        face = encoder.embedAligned(List.of(image)).get(0);
      } else {
        RgbImage photo;
        try {
          photo = decoder.decode(Files.readAllBytes(gallery.path(q)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        Degradations.CropBox box =
            Degradations.CropBox.random(
                photo.width(), photo.height(), QueryVersion.CROP_FRACTION, v.random(seed, q));
        List<EncodedFace> faces =
            encoder.encode(box.apply(photo), EncodeMode.DETECT, Integer.MAX_VALUE);
        double[] centre = box.map(photo.width() / 2.0, photo.height() / 2.0);
        face = FaceChoice.nearest(faces, centre[0], centre[1]);
        if (face == null) {
          continue;
        }
        image = face.alignedFace();
      }
      IdentificationExperiment.Probe probe = IdentificationExperiment.probe(face);
      // A photo's face knows its alignment padding (as the node does); a changed aligned crop does
      // not.
      FacePatches query =
          probe
              .patches()
              .withOcclusion(
                  CellOcclusion.flatShares(image, probe.patches().rows(), probe.patches().cols()),
                  v.onAlignedCrop() ? null : face.paddingShares());
      double autoAlpha = AutoAlpha.of(query);
      StageOne.Hits hits = stageOne.top(probe.embedding(), WINDOW + 1, -1);
      int[] cand = new int[Math.min(WINDOW, hits.size() - 1)];
      int k = 0;
      for (int p = 0; p < hits.size() && k < cand.length; p++) {
        if (hits.items()[p] != q) {
          cand[k++] = hits.items()[p];
        }
      }
      int label = gallery.label(q);
      int r = gallery.imagesOf(label) - 1;
      boolean[] rel = new boolean[cand.length];
      FacePatches[] g = new FacePatches[cand.length];
      for (int j = 0; j < cand.length; j++) {
        rel[j] = gallery.label(cand[j]) == label;
        g[j] =
            IdentificationExperiment.facePatches(cache.patchMap(cand[j]), cache.embedding(cand[j]));
      }
      double[][] res = new double[settings.size() + 3][];
      res[0] = values(RankingMetrics.of(rel, r));
      res[1] = values(RankingMetrics.of(Reranking.permute(rel, Reranking.ceiling(rel, WINDOW)), r));
      for (int s = 0; s < settings.size(); s++) {
        Setting setting = settings.get(s);
        EmdParams params =
            setting.auto()
                ? setting.params().toBuilder().alpha(autoAlpha).build()
                : setting.params();
        EmdScorer scorer = new EmdScorer(query, params);
        double[] scores = new double[cand.length];
        for (int j = 0; j < cand.length; j++) {
          scores[j] = (float) scorer.score(g[j]).score();
        }
        res[s + 2] =
            values(
                RankingMetrics.of(
                    Reranking.permute(rel, Reranking.order(rel.length, WINDOW, scores)), r));
      }
      res[settings.size() + 2] = new double[] {autoAlpha, autoAlpha};
      out[vi] = res;
    }
    return out;
  }

  /** The sampled queries, in gallery order, and how many the split held. */
  record Sample(List<Integer> queries, int poolSize) {}

  /**
   * Up to {@code n} queries of the identities whose label has {@code parity} (1: reporting, 0:
   * tuning) and a face in their own gallery image, shuffled with {@code seed}, in gallery order.
   */
  static Sample sample(Lfw gallery, GalleryCache cache, int parity, long seed, int n) {
    List<Integer> pool = new ArrayList<>();
    for (int q : gallery.queries()) {
      if (gallery.label(q) % 2 == parity && cache.hasFace(q)) {
        pool.add(q);
      }
    }
    Collections.shuffle(pool, new Random(seed));
    List<Integer> chosen = new ArrayList<>(pool.subList(0, Math.min(n, pool.size())));
    Collections.sort(chosen);
    return new Sample(chosen, pool.size());
  }

  private static double[] values(RankingMetrics.Values v) {
    return new double[] {v.precisionAt1(), v.rPrecision(), v.mapAtR()};
  }
}
