package org.facesearch.evaluation.recognizability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.facesearch.evaluation.chart.LineChart;
import org.facesearch.image.RgbImage;
import org.facesearch.model.ModelPack;
import org.facesearch.model.PackDescriptor;
import org.facesearch.recognizability.Degradations;
import org.facesearch.recognizability.Recognizability;

/**
 * Evidence that ERS with the pack's shipped UI centroid and threshold helps, measured on the report
 * half of LFW (people of pairs.txt folds 6-10; the centroid and threshold were chosen on folds 1-5
 * by {@link Calibrate}):
 *
 * <ol>
 *   <li>ERS distributions of the clean aligned faces of the pairs and the same faces down-sampled
 *       to 24x24 and 16x16, blurred and half occluded; the AUC of ERS separating clean from each;
 *   <li>the ERC of the clean pairs (FNMR at FMR 1e-3 as the lowest-ERS 0-30% of photos are
 *       rejected);
 *   <li>verification on a mix of clean and degraded photos, deciding every pair against deciding
 *       only pairs whose two faces both have ERS &gt;= the threshold;
 *   <li>identification with templates of people with at least 4 photos, half of each template
 *       degraded: ERS-weighted templates against plain averages.
 * </ol>
 *
 * <pre>evaluation/run evidence [--pack NAME] [--docs docs]</pre>
 */
public final class Evidence {
  private Evidence() {}

  /** Gaussian blur of the "blurred" evidence set, in pixels of the 112x112 crop. */
  static final double BLUR_SIGMA = 3;

  static final long SEED_PAIR_MIX = 5;
  static final long SEED_TEMPLATE_SPLIT = 6;
  static final long SEED_TEMPLATE_DEGRADE = 7;

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("docs", "pack"));
    Path docs = args.path("docs", "docs");
    ModelPack pack = Inputs.pack(args.string("pack", "default"));
    PackDescriptor.Recognizability calibration = pack.descriptor().recognizability();
    if (calibration == null
        || calibration.uiCentroid() == null
        || calibration.ersThreshold() == null) {
      throw new IllegalStateException(
          "pack " + pack + " ships no UI centroid and ERS threshold: run Calibrate first");
    }
    float[] ui = calibration.uiCentroid();
    float gamma = calibration.ersThreshold().floatValue();
    System.out.printf(Locale.ROOT, "pack %s: shipped ERS threshold %.2f%n", pack, gamma);

    Lfw lfw = Lfw.open();
    Lfw.Pairs pairs = lfw.pairs();
    List<Path> images = lfw.imagesOf(LfwFaces.people(pairs, false));
    int threads = Inputs.cores();
    System.out.printf(
        Locale.ROOT,
        "report half: people of pairs.txt folds %d-10: %d people, %d photos%n",
        LfwFaces.CALIBRATION_FOLDS + 1,
        LfwFaces.people(pairs, false).size(),
        images.size());
    try (FaceEncoder encoder =
        FaceEncoder.open(pack, EncoderOptions.defaults().withThreads(threads))) {
      Map<Path, LfwFaces.Face> encoded = LfwFaces.encode(encoder, images);
      List<LfwFaces.Face> faces = new ArrayList<>(encoded.values());
      PairSet set = PairSet.of(LfwFaces.pairs(pairs, false), encoded);
      distributions(
          encoder, set.images().stream().map(encoded::get).toList(), ui, gamma, threads, docs);
      erc(set, encoded, ui, gamma, docs);
      gate(encoder, set, encoded, ui, gamma, threads);
      templates(encoder, faces, ui, gamma, threads);
    }
  }

  // 1. ERS distributions.
  private static void distributions(
      FaceEncoder encoder,
      List<LfwFaces.Face> faces,
      float[] ui,
      float gamma,
      int threads,
      Path docs)
      throws Exception {
    Map<String, UnaryOperator<RgbImage>> sets = new LinkedHashMap<>();
    sets.put("clean", f -> f);
    sets.put("24x24", f -> Degradations.downUp(f, 24));
    sets.put("16x16", f -> Degradations.downUp(f, 16));
    sets.put(
        String.format(Locale.ROOT, "blurred (sigma %.0f px)", BLUR_SIGMA),
        f -> Degradations.gaussianBlur(f, BLUR_SIGMA));
    sets.put("lower half occluded", f -> DegradationRecipes.halfOccluded(f, false));
    sets.put("upper half occluded", f -> DegradationRecipes.halfOccluded(f, true));
    Map<String, double[]> ers = new LinkedHashMap<>();
    for (var e : sets.entrySet()) {
      List<float[]> emb =
          LfwFaces.embed(
              encoder, faces.size(), i -> e.getValue().apply(faces.get(i).aligned()), threads);
      ers.put(e.getKey(), Stats.ers(ui, emb));
    }
    double[] clean = ers.get("clean");
    System.out.printf(
        Locale.ROOT,
        "%n## ERS distributions, the %d aligned faces of the report half's pairs%n",
        faces.size());
    System.out.println(
        "| faces | n | mean | 5th pct | median | 95th pct | below the threshold | AUC clean vs these |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (var e : ers.entrySet()) {
      Stats.Summary s = Stats.summary(e.getValue());
      String auc =
          e.getKey().equals("clean")
              ? ""
              : String.format(Locale.ROOT, "%.4f", Stats.auc(clean, e.getValue()));
      System.out.printf(
          Locale.ROOT,
          "%s %.1f%% | %s |%n",
          s.row(e.getKey()),
          100 * Stats.below(e.getValue(), gamma),
          auc);
    }
    System.out.printf(
        Locale.ROOT,
        "AUC of ERS separating clean from 16x16: %.4f (target >= 0.95)%n",
        Stats.auc(clean, ers.get("16x16")));

    int bins = 50;
    LineChart chart =
        new LineChart(
            "ERS of LFW faces (folds 6-10), shipped centroid",
            "ERS",
            "share of faces per 0.02 bin");
    for (var e : ers.entrySet()) {
      double[] x = new double[bins];
      double[] y = new double[bins];
      for (int b = 0; b < bins; b++) {
        x[b] = (b + 0.5) / bins;
      }
      for (double v : e.getValue()) {
        y[Math.min(bins - 1, (int) (v * bins))] += 1.0 / e.getValue().length;
      }
      chart.series(e.getKey(), x, y);
    }
    Path png = docs.resolve("images").resolve("recognizability-ers.png");
    chart
        .marker(gamma, String.format(Locale.ROOT, "threshold %.2f", gamma))
        .xRange(0, 1)
        .percent(false, true)
        .legendLeft()
        .write(png);
    System.out.println("wrote " + png);
  }

  // 2. ERC on the clean report pairs.
  private static void erc(
      PairSet set, Map<Path, LfwFaces.Face> encoded, float[] ui, float gamma, Path docs)
      throws Exception {
    List<float[]> emb = set.images().stream().map(p -> encoded.get(p).embedding()).toList();
    double[] quality = Stats.ers(ui, emb);
    double[] scores = set.scores(emb);
    double[] fr = Erc.fractions(0.30, 0.01);
    Erc.Curve erc = Erc.compute(set.a(), set.b(), set.same(), scores, quality, 1e-3, fr);
    double[] wide = Calibrate.crossIdentityThreshold(set, emb, 1e-3);
    Erc.Curve ercWide =
        Erc.computeAt(
            set.a(), set.b(), set.same(), scores, quality, wide[0], 1e-3, (int) wide[2], fr);
    System.out.printf(
        Locale.ROOT,
        "%n## ERC, clean report pairs (folds %d-10): %d pairs over %d photos%n",
        LfwFaces.CALIBRATION_FOLDS + 1,
        set.size(),
        set.images().size());
    double[] table = {0, 0.01, 0.02, 0.03, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30};
    Erc.print("threshold over the pairs' impostors", erc, table);
    Erc.print(
        String.format(
            Locale.ROOT,
            "threshold over all %d cross-identity pairs of the same photos",
            (long) wide[1]),
        ercWide,
        table);
    int kept = 0;
    for (double q : quality) {
      if (q >= gamma) {
        kept++;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "at the shipped threshold %.2f: %d of %d photos (%.1f%%) fall below it%n",
        gamma,
        quality.length - kept,
        quality.length,
        100.0 * (quality.length - kept) / quality.length);
    double[][] xy = Erc.xy(erc);
    double[][] xyWide = Erc.xy(ercWide);
    Path png = docs.resolve("images").resolve("recognizability-erc.png");
    new LineChart(
            "ERC, LFW folds 6-10 (report half), quality = ERS",
            "images rejected (lowest ERS first)",
            "FNMR at FMR 1e-3")
        .series(
            String.format(
                Locale.ROOT,
                "threshold over the pairs' %d impostors (%.3f)",
                erc.at(0).impostorLeft(),
                erc.threshold()),
            xy[0],
            xy[1])
        .dashedSeries(
            String.format(
                Locale.ROOT,
                "threshold over all %.1fM cross-identity pairs (%.3f)",
                wide[1] / 1e6,
                ercWide.threshold()),
            xyWide[0],
            xyWide[1])
        .marker(
            (double) (quality.length - kept) / quality.length,
            String.format(Locale.ROOT, "shipped threshold %.2f", gamma))
        .percent(true, true)
        .yRange(0, Math.max(max(xy[1]), max(xyWide[1])) * 1.1)
        .write(png);
    System.out.println("wrote " + png);
  }

  // 3. The verification gate on a mix of clean and degraded photos.
  private static void gate(
      FaceEncoder encoder,
      PairSet set,
      Map<Path, LfwFaces.Face> encoded,
      float[] ui,
      float gamma,
      int threads) {
    int n = set.images().size();
    List<float[]> cleanEmb = set.images().stream().map(p -> encoded.get(p).embedding()).toList();
    boolean[] degraded = new boolean[n];
    List<float[]> emb =
        LfwFaces.embed(
            encoder,
            n,
            i -> {
              Random r = LfwFaces.random(SEED_PAIR_MIX, i);
              RgbImage face = encoded.get(set.images().get(i)).aligned();
              if (r.nextBoolean()) {
                return face;
              }
              degraded[i] = true;
              return DegradationRecipes.random(face, r).image();
            },
            threads);
    double[] ers = Stats.ers(ui, emb);
    int nDegraded = 0;
    for (boolean d : degraded) {
      nDegraded += d ? 1 : 0;
    }
    // Similarity thresholds a product would set on clean photos: FMR 1e-3 and 1e-2 over every
    // cross-identity pair of the clean report photos (not tuned for the gate).
    double t3 = Calibrate.crossIdentityThreshold(set, cleanEmb, 1e-3)[0];
    double t2 = Calibrate.crossIdentityThreshold(set, cleanEmb, 1e-2)[0];
    System.out.printf(
        Locale.ROOT,
        "%n## Verification on mixed pairs (folds %d-10): each photo degraded with probability 1/2 "
            + "(DegradationRecipes.random, seed %d): %d of %d photos degraded%n",
        LfwFaces.CALIBRATION_FOLDS + 1,
        SEED_PAIR_MIX,
        nDegraded,
        n);
    System.out.printf(
        Locale.ROOT,
        "similarity thresholds set on the clean photos: %.4f (FMR 1e-3) and %.4f (FMR 1e-2) over their cross-identity "
            + "pairs; gate: both faces ERS >= %.2f%n",
        t3,
        t2,
        gamma);

    Pairs protocol = Pairs.of(set.a(), set.b(), set.same(), emb);
    int total = n * (n - 1) / 2;
    int[] ia = new int[total];
    int[] ib = new int[total];
    boolean[] same = new boolean[total];
    String[] person = set.images().stream().map(Lfw::person).toArray(String[]::new);
    for (int i = 0, k = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++, k++) {
        ia[k] = i;
        ib[k] = j;
        same[k] = person[i].equals(person[j]);
      }
    }
    Pairs all = Pairs.of(ia, ib, same, emb);
    List<String> kinds = List.of("clean-clean", "clean-degraded", "degraded-degraded");
    for (double t : new double[] {t3, t2}) {
      System.out.printf(Locale.ROOT, "%nsimilarity threshold %.4f%n", t);
      System.out.println(
          "| pairs | decision | false-match rate (decided impostors) | false non-match rate (decided genuine) | undecided pairs |");
      System.out.println("| --- | --- | --- | --- | --- |");
      for (var group :
          List.of(Map.entry("pairs.txt", protocol), Map.entry("all pairs of the photos", all))) {
        Pairs g = group.getValue();
        for (String kind : List.of("all", "clean-clean", "clean-degraded", "degraded-degraded")) {
          for (boolean gated : new boolean[] {false, true}) {
            long[] c =
                new long
                    [6]; // impostors decided, false matches, genuine decided, misses, undecided,
            // total
            for (int p = 0; p < g.score().length; p++) {
              int x = g.a()[p];
              int y = g.b()[p];
              int k = (degraded[x] ? 1 : 0) + (degraded[y] ? 1 : 0);
              if (!kind.equals("all") && !kind.equals(kinds.get(k))) {
                continue;
              }
              c[5]++;
              if (gated && (ers[x] < gamma || ers[y] < gamma)) {
                c[4]++;
                continue;
              }
              boolean accept = g.score()[p] > t;
              if (g.same()[p]) {
                c[2]++;
                c[3] += accept ? 0 : 1;
              } else {
                c[0]++;
                c[1] += accept ? 1 : 0;
              }
            }
            System.out.printf(
                Locale.ROOT,
                "| %s, %s | %s | %s (%d / %d) | %s (%d / %d) | %.1f%% (%d / %d) |%n",
                group.getKey(),
                kind,
                gated
                    ? "decide if both ERS >= " + String.format(Locale.ROOT, "%.2f", gamma)
                    : "decide every pair",
                rate(c[1], c[0]),
                c[1],
                c[0],
                rate(c[3], c[2]),
                c[3],
                c[2],
                100.0 * c[4] / c[5],
                c[4],
                c[5]);
          }
        }
      }
    }
  }

  /** Pairs as image indices with their similarity, computed once. */
  private record Pairs(int[] a, int[] b, boolean[] same, float[] score) {
    static Pairs of(int[] a, int[] b, boolean[] same, List<float[]> emb) {
      float[] score = new float[a.length];
      for (int p = 0; p < a.length; p++) {
        score[p] = VectorUtil.dotProduct(emb.get(a[p]), emb.get(b[p]));
      }
      return new Pairs(a, b, same, score);
    }
  }

  private static String rate(long num, long den) {
    if (den == 0) {
      return "n/a";
    }
    double r = (double) num / den;
    return r != 0 && r < 1e-3
        ? String.format(Locale.ROOT, "%.2e", r)
        : String.format(Locale.ROOT, "%.2f%%", 100 * r);
  }

  // 4. Templates.
  private static void templates(
      FaceEncoder encoder, List<LfwFaces.Face> faces, float[] ui, float gamma, int threads) {
    Map<String, List<LfwFaces.Face>> byPerson = new LinkedHashMap<>();
    for (LfwFaces.Face f : faces) {
      byPerson.computeIfAbsent(f.person(), k -> new ArrayList<>()).add(f);
    }
    List<String> people =
        byPerson.entrySet().stream()
            .filter(e -> e.getValue().size() >= 4)
            .map(Map.Entry::getKey)
            .toList();
    // Each person: shuffled photos, a probe template of the first m and a gallery template of the
    // next m (m = 4 with >= 8 photos, else 2); the first m/2 of each template are degraded.
    List<LfwFaces.Face> used = new ArrayList<>();
    List<int[]> templates = new ArrayList<>(); // per person: start index in `used`, m
    for (int p = 0; p < people.size(); p++) {
      List<LfwFaces.Face> photos = new ArrayList<>(byPerson.get(people.get(p)));
      Collections.shuffle(photos, LfwFaces.random(SEED_TEMPLATE_SPLIT, p));
      int m = photos.size() >= 8 ? 4 : 2;
      templates.add(new int[] {used.size(), m});
      used.addAll(photos.subList(0, 2 * m));
    }
    System.out.printf(
        Locale.ROOT,
        "%n## Templates: %d people of the report half with >= 4 photos; a probe and a gallery template each "
            + "(4 photos each for the %d people with >= 8 photos, else 2), half of each template's photos degraded; P@1 of each probe "
            + "template against the %d gallery templates%n",
        people.size(),
        templates.stream().filter(t -> t[1] == 4).count(),
        people.size());
    Map<String, UnaryOperator<RgbImage>> conditions = new LinkedHashMap<>();
    conditions.put("no photo degraded (reference)", null);
    conditions.put("degraded = random degradation", null);
    conditions.put("degraded = 16x16", f -> Degradations.downUp(f, 16));
    conditions.put("degraded = heavy (UI-like)", null);
    System.out.println(
        "| condition | plain average | ERS-weighted, gate "
            + String.format(Locale.ROOT, "%.2f", gamma)
            + " (product) | ERS-weighted, no gate | clean photos only (oracle) | unrecognizable templates (ERS-weighted) |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    for (var c : conditions.entrySet()) {
      boolean[] isDegraded = new boolean[used.size()];
      for (int[] t : templates) {
        for (int half = 0; half < 2; half++) {
          for (int k = 0; k < t[1] / 2; k++) {
            isDegraded[t[0] + half * t[1] + k] = !c.getKey().startsWith("no photo");
          }
        }
      }
      String name = c.getKey();
      List<float[]> emb =
          LfwFaces.embed(
              encoder,
              used.size(),
              i -> {
                RgbImage f = used.get(i).aligned();
                if (!isDegraded[i]) {
                  return f;
                }
                if (name.contains("random")) {
                  return DegradationRecipes.random(f, LfwFaces.random(SEED_TEMPLATE_DEGRADE, i))
                      .image();
                }
                if (name.contains("heavy")) {
                  return Degradations.heavy(f, LfwFaces.random(SEED_TEMPLATE_DEGRADE, i));
                }
                return c.getValue().apply(f);
              },
              threads);
      double[] ers = Stats.ers(ui, emb);
      String[] results = new String[4];
      int unrecognizable = 0;
      for (int method = 0; method < 4; method++) {
        List<float[]> probes = new ArrayList<>();
        List<float[]> gallery = new ArrayList<>();
        for (int[] t : templates) {
          probes.add(template(emb, ers, isDegraded, t[0], t[1], method, gamma));
          gallery.add(template(emb, ers, isDegraded, t[0] + t[1], t[1], method, gamma));
        }
        if (method == 1) {
          unrecognizable =
              (int)
                  (probes.stream().filter(x -> x == null).count()
                      + gallery.stream().filter(x -> x == null).count());
        }
        int right = 0;
        for (int q = 0; q < probes.size(); q++) {
          if (probes.get(q) == null) {
            continue; // an unrecognizable probe answers nothing: a miss
          }
          int best = -1;
          double bestScore = Double.NEGATIVE_INFINITY;
          for (int g = 0; g < gallery.size(); g++) {
            if (gallery.get(g) == null) {
              continue;
            }
            double s = VectorUtil.dotProduct(probes.get(q), gallery.get(g));
            if (s > bestScore) {
              bestScore = s;
              best = g;
            }
          }
          right += best == q ? 1 : 0;
        }
        results[method] =
            String.format(
                Locale.ROOT,
                "%.2f%% (%d / %d)",
                100.0 * right / probes.size(),
                right,
                probes.size());
      }
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s | %d of %d |%n",
          c.getKey(),
          results[0],
          results[1],
          results[2],
          results[3],
          unrecognizable,
          2 * templates.size());
    }
  }

  /**
   * Method 0 plain average, 1 ERS-weighted with the gate, 2 ERS-weighted without a gate, 3 clean
   * photos only. Null: unrecognizable.
   */
  private static float[] template(
      List<float[]> emb,
      double[] ers,
      boolean[] degraded,
      int from,
      int m,
      int method,
      float gamma) {
    List<float[]> f = new ArrayList<>();
    List<Float> w = new ArrayList<>();
    for (int i = from; i < from + m; i++) {
      if (method == 3 && degraded[i]) {
        continue;
      }
      f.add(emb.get(i));
      w.add(method == 0 || method == 3 ? 1f : (float) ers[i]);
    }
    return Recognizability.template(f, w, method == 1 ? gamma : 0f);
  }

  private static double max(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
