package org.facesearch.evaluation.recognizability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceEncoder;
import org.facesearch.evaluation.Args;
import org.facesearch.evaluation.Inputs;
import org.facesearch.evaluation.Lfw;
import org.facesearch.evaluation.chart.LineChart;
import org.facesearch.evaluation.verification.VerificationMetrics;
import org.facesearch.model.ModelPack;
import org.facesearch.recognizability.Degradations;
import org.facesearch.recognizability.UiCentroids;

/**
 * Calibrates recognizability for a model pack on the calibration half of LFW (people of pairs.txt
 * folds 1-5, see {@link LfwFaces}); nothing here looks at folds 6-10.
 *
 * <ol>
 *   <li>The UI centroid both ways: direct (every face degraded by {@link Degradations#heavy},
 *       embedded, averaged) and clustering (the clean faces plus one {@link Degradations#random}
 *       copy of each, single linkage cut at 1.0, largest cluster); a third, direct with one extreme
 *       degradation per face ({@link Degradations#heavyOne}), only to show how much the direct
 *       centroid depends on its recipe. Their cosine distances.
 *   <li>The shipped centroid: the one of direct and clustering whose ERS separates clean from 16x16
 *       faces better (ROC AUC) on this half.
 *   <li>The ERC on the clean calibration pairs with that centroid (quality = ERS, FNMR at FMR 1e-3,
 *       threshold fixed over the 1500 impostor pairs; also over every cross-identity pair of the
 *       same photos, for a less noisy threshold), and the ERS threshold by the rule in {@link
 *       #chooseThreshold}.
 *   <li>With {@code --write-pack FILE}: writes both, with their provenance, into the descriptor's
 *       {@code recognizability} section. Writes the ERC chart into {@code DOCS/images/}.
 * </ol>
 *
 * <pre>evaluation/run calibrate --write-pack encoder/src/main/model-packs/default/pack.json</pre>
 *
 * <p>{@code --pack NAME} calibrates another pack under the same model root ({@code
 * EVAL_JAVA_OPTS=-Dface.model.dir=DIR} to change the root); {@code --docs DIR} says where the chart
 * goes ({@code DIR/images/recognizability-erc-calibration.png}, default {@code docs}).
 */
public final class Calibrate {
  private Calibrate() {}

  static final long SEED_DIRECT = 1;
  static final long SEED_CLUSTER_MIX = 2;
  static final long SEED_DIRECT_ONE = 4;

  /**
   * The threshold rule looks at the first 10% of the curve: a default gate should not refuse more
   * than one clean photo in ten.
   */
  static final double RULE_MAX_REJECT = 0.10;

  /**
   * ... and takes the first reject fraction that achieves this share of the FNMR reduction
   * available there.
   */
  static final double RULE_GAIN_SHARE = 0.5;

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv, Set.of("write-pack", "docs", "pack"));
    String write = args.stringOrNull("write-pack");
    Path writePack = write == null ? null : Path.of(write);
    Path docs = args.path("docs", "docs");
    ModelPack pack = Inputs.pack(args.string("pack", "default"));
    String command = ("evaluation/run calibrate " + args.line()).strip();
    String date = Inputs.today();
    Lfw lfw = Lfw.open();
    Lfw.Pairs pairs = lfw.pairs();
    int people = LfwFaces.people(pairs, true).size();
    List<Path> images = lfw.imagesOf(LfwFaces.people(pairs, true));
    int threads = Inputs.cores();
    System.out.printf(
        Locale.ROOT,
        "calibration half: people of pairs.txt folds 1-%d: %d people, %d photos%n",
        LfwFaces.CALIBRATION_FOLDS,
        people,
        images.size());
    try (FaceEncoder encoder =
        FaceEncoder.open(pack, EncoderOptions.defaults().withThreads(threads))) {
      Map<Path, LfwFaces.Face> encoded = LfwFaces.encode(encoder, images);
      List<LfwFaces.Face> faces = new ArrayList<>(encoded.values());
      List<float[]> clean = faces.stream().map(LfwFaces.Face::embedding).toList();

      // 1. Direct.
      long t0 = System.nanoTime();
      List<float[]> heavy =
          LfwFaces.embed(
              encoder,
              faces.size(),
              i -> Degradations.heavy(faces.get(i).aligned(), LfwFaces.random(SEED_DIRECT, i)),
              threads);
      float[] direct = UiCentroids.mean(heavy);
      System.out.printf(
          Locale.ROOT,
          "%ndirect: %d faces, each degraded by all six (Degradations.heavy, seed %d), embedded, averaged (%.0f s)%n",
          heavy.size(),
          SEED_DIRECT,
          (System.nanoTime() - t0) / 1e9);
      System.out.println(Stats.SUMMARY_HEADER.replace("| faces |", "| cosine |"));
      System.out.println(
          Stats.summary(pairwise(heavy, clean)).row("degraded face to its own clean face"));
      System.out.println(
          Stats.summary(cosines(heavy, direct)).row("degraded face to the direct centroid"));
      System.out.println(
          Stats.summary(cosines(clean, direct)).row("clean face to the direct centroid"));

      // 1b. Direct, one extreme degradation per face (sensitivity only).
      List<float[]> one =
          LfwFaces.embed(
              encoder,
              faces.size(),
              i ->
                  DegradationRecipes.heavyOne(
                      faces.get(i).aligned(), LfwFaces.random(SEED_DIRECT_ONE, i)),
              threads);
      float[] directOne = UiCentroids.mean(one);
      System.out.printf(
          Locale.ROOT,
          "direct variant, one extreme degradation per face (DegradationRecipes.heavyOne, seed %d): cosine to own clean face "
              + "mean %.3f%n",
          SEED_DIRECT_ONE,
          Stats.summary(pairwise(one, clean)).mean());

      // 1c. Clustering.
      DegradationRecipes.Kind[] kinds = new DegradationRecipes.Kind[faces.size()];
      double[] severity = new double[faces.size()];
      List<float[]> degraded =
          LfwFaces.embed(
              encoder,
              faces.size(),
              i -> {
                DegradationRecipes.Degraded d =
                    DegradationRecipes.random(
                        faces.get(i).aligned(), LfwFaces.random(SEED_CLUSTER_MIX, i));
                kinds[i] = d.kind();
                severity[i] = d.severity();
                return d.image();
              },
              threads);
      List<float[]> mix = new ArrayList<>(clean);
      mix.addAll(degraded);
      t0 = System.nanoTime();
      UiCentroids.LargestCluster cluster = UiCentroids.largestCluster(mix, UiCentroids.DEFAULT_CUT);
      float[] clustered = cluster.centroid();
      System.out.printf(
          Locale.ROOT,
          "%nclustering: %d clean + %d degraded (DegradationRecipes.random, seed %d), single linkage cut at %.1f (%.1f s): %d clusters, largest %d, "
              + "runner-up %d%n",
          clean.size(),
          degraded.size(),
          SEED_CLUSTER_MIX,
          UiCentroids.DEFAULT_CUT,
          (System.nanoTime() - t0) / 1e9,
          cluster.clusters(),
          cluster.members().length,
          cluster.runnerUp());
      int cleanIn = describeCluster(cluster, clean.size(), kinds, severity);

      System.out.printf(
          Locale.ROOT,
          "%ncosine distance direct - clustering: %.4f%n",
          UiCentroids.cosineDistance(direct, clustered));
      System.out.printf(
          Locale.ROOT,
          "cosine distance direct (one extreme degradation) - clustering: %.4f%n",
          UiCentroids.cosineDistance(directOne, clustered));
      System.out.printf(
          Locale.ROOT,
          "cosine distance direct - direct (one extreme degradation): %.4f%n",
          UiCentroids.cosineDistance(direct, directOne));

      // 2. Choose by ERS AUC clean vs 16x16 on this half.
      List<float[]> small =
          LfwFaces.embed(
              encoder, faces.size(), i -> Degradations.downUp(faces.get(i).aligned(), 16), threads);
      System.out.println("\nERS on the calibration faces with each centroid:");
      System.out.println(Stats.SUMMARY_HEADER.replace("| faces |", "| centroid, faces |"));
      double aucDirect = Double.NaN;
      double aucCluster = Double.NaN;
      for (var c :
          List.of(
              Map.entry("direct", direct),
              Map.entry("clustering", clustered),
              Map.entry("direct, one extreme", directOne))) {
        double[] ec = Stats.ers(c.getValue(), clean);
        double[] es = Stats.ers(c.getValue(), small);
        System.out.println(Stats.summary(ec).row(c.getKey() + ", clean"));
        System.out.println(Stats.summary(es).row(c.getKey() + ", 16x16"));
        double auc = Stats.auc(ec, es);
        System.out.printf(
            Locale.ROOT, "| %s: AUC clean vs 16x16 %.4f | | | | | |%n", c.getKey(), auc);
        if (c.getKey().equals("direct")) {
          aucDirect = auc;
        } else if (c.getKey().equals("clustering")) {
          aucCluster = auc;
        }
      }
      boolean useCluster = aucCluster > aucDirect;
      float[] chosen = useCluster ? clustered : direct;
      System.out.printf(
          Locale.ROOT,
          "shipped centroid: %s (AUC clean vs 16x16 on the calibration half %.4f against %.4f)%n",
          useCluster ? "clustering" : "direct",
          Math.max(aucCluster, aucDirect),
          Math.min(aucCluster, aucDirect));

      // 3. ERC on the clean calibration pairs.
      PairSet set = PairSet.of(LfwFaces.pairs(pairs, true), encoded);
      List<float[]> pairEmb = set.images().stream().map(p -> encoded.get(p).embedding()).toList();
      double[] quality = Stats.ers(chosen, pairEmb);
      double[] scores = set.scores(pairEmb);
      double[] fr = Erc.fractions(0.30, 0.005);
      Erc.Curve erc = Erc.compute(set.a(), set.b(), set.same(), scores, quality, 1e-3, fr);
      double[] wide = crossIdentityThreshold(set, pairEmb, 1e-3);
      Erc.Curve ercWide =
          Erc.computeAt(
              set.a(), set.b(), set.same(), scores, quality, wide[0], 1e-3, (int) wide[2], fr);
      System.out.printf(
          Locale.ROOT,
          "%ncalibration pairs (folds 1-%d): %d pairs over %d photos; %d cross-identity pairs of those photos%n",
          LfwFaces.CALIBRATION_FOLDS,
          set.size(),
          set.images().size(),
          (long) wide[1]);
      double[] table = {
        0, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.10, 0.15, 0.20, 0.25, 0.30
      };
      Erc.print(
          "ERC, clean calibration pairs, threshold over the pairs' 1500 impostors", erc, table);
      Erc.print(
          "ERC, clean calibration pairs, threshold over every cross-identity pair", ercWide, table);

      Choice choice = chooseThreshold(erc);
      Choice wideChoice = chooseThreshold(ercWide);
      double[] cleanErs = Stats.ers(chosen, clean);
      double[] smallErs = Stats.ers(chosen, small);
      System.out.printf(
          Locale.ROOT,
          "%nthreshold rule: the smallest reject fraction whose FNMR has fallen by %.0f%% of the way from FNMR(0) to "
              + "the lowest FNMR over 0-%.0f%% rejection%n  pairs' impostors: FNMR(0) %.2f%%, lowest %.2f%%, level %.2f%%, reached at r = %.1f%% "
              + "(FNMR %.2f%%), lowest ERS kept %.4f -> gamma %.2f%n"
              + "  cross-identity impostors (check): FNMR(0) %.2f%%, lowest %.2f%%, level %.2f%%, r = %.1f%%, lowest ERS kept %.4f -> gamma %.2f%n",
          100 * RULE_GAIN_SHARE,
          100 * RULE_MAX_REJECT,
          100 * erc.at(0).fnmr(),
          100 * choice.best(),
          100 * choice.level(),
          100 * choice.point().rejected(),
          100 * choice.point().fnmr(),
          choice.point().qualityCut(),
          choice.gamma(),
          100 * ercWide.at(0).fnmr(),
          100 * wideChoice.best(),
          100 * wideChoice.level(),
          100 * wideChoice.point().rejected(),
          wideChoice.point().qualityCut(),
          wideChoice.gamma());
      System.out.printf(
          Locale.ROOT,
          "  at gamma %.2f: %.2f%% of clean calibration faces and %.2f%% of their 16x16 copies fall below it%n",
          choice.gamma(),
          100 * Stats.below(cleanErs, choice.gamma()),
          100 * Stats.below(smallErs, choice.gamma()));

      double[][] xy = Erc.xy(erc);
      double[][] xyWide = Erc.xy(ercWide);
      Path chart = docs.resolve("images").resolve("recognizability-erc-calibration.png");
      new LineChart(
              "ERC, LFW folds 1-5 (calibration half), quality = ERS",
              "images rejected (lowest ERS first)",
              "FNMR at FMR 1e-3")
          .series(
              String.format(
                  Locale.ROOT, "threshold over the 1500 impostor pairs (%.3f)", erc.threshold()),
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
              choice.point().rejected(), String.format(Locale.ROOT, "gamma = %.2f", choice.gamma()))
          .percent(true, true)
          .yRange(0, Math.max(max(xy[1]), max(xyWide[1])) * 1.1)
          .write(chart);
      System.out.println("wrote " + chart);

      if (writePack != null) {
        String centroidSource =
            String.format(
                Locale.ROOT,
                "%s method, made %s from LFW (../shared/data/lfw): the %d photos of the %d people of pairs.txt folds 1-%d, aligned by the "
                    + "%s pack. %s Cosine distance between the direct and the clustering centroid: %.4f. AUC of ERS, clean vs 16x16 "
                    + "faces of the same half: clustering %.4f, direct %.4f; the better one is shipped. Regenerate: %s",
                useCluster ? "Clustering" : "Direct",
                date,
                faces.size(),
                people,
                LfwFaces.CALIBRATION_FOLDS,
                pack.name(),
                useCluster
                    ? String.format(
                        Locale.ROOT,
                        "Single-linkage clustering (Euclidean distance on unit embeddings, cut at %.1f) of %d embeddings: "
                            + "the %d clean faces and one copy of each degraded by one random degradation (DegradationRecipes.random, seed %d); the "
                            + "largest of %d clusters has %d faces (%d clean, %d degraded; runner-up %d) and this is their normalised mean.",
                        UiCentroids.DEFAULT_CUT,
                        mix.size(),
                        clean.size(),
                        SEED_CLUSTER_MIX,
                        cluster.clusters(),
                        cluster.members().length,
                        cleanIn,
                        cluster.members().length - cleanIn,
                        cluster.runnerUp())
                    : String.format(
                        Locale.ROOT,
                        "Normalised mean of %d embeddings of the faces, each degraded by rotation, affine warp, "
                            + "occlusion, down-sampling, Gaussian and motion blur (Degradations.heavy, seed %d).",
                        heavy.size(),
                        SEED_DIRECT),
                UiCentroids.cosineDistance(direct, clustered),
                aucCluster,
                aucDirect,
                command);
        String thresholdSource =
            String.format(
                Locale.ROOT,
                "Made %s from the error-versus-reject curve of the LFW pairs.txt folds 1-%d (%d genuine, %d impostor pairs, %d photos): quality "
                    + "= ERS with this centroid, FNMR at FMR 1e-3 with the similarity threshold (%.4f) fixed over all impostor pairs. Rule: "
                    + "the smallest rejected fraction whose FNMR has fallen %.0f%% of the way from no rejection to the lowest FNMR over 0-%.0f%% "
                    + "rejection (%.2f%%): %.1f%% rejected, FNMR %.2f%% (%.2f%% with none rejected), lowest ERS kept %.4f, rounded down to 2 "
                    + "decimals. At this "
                    + "threshold %.1f%% of the clean and %.1f%% of the 16x16 calibration faces are below it. Evidence on folds 6-10: "
                    + "docs/recognizability.md. Regenerate: %s",
                date,
                LfwFaces.CALIBRATION_FOLDS,
                erc.at(0).genuineLeft(),
                erc.at(0).impostorLeft(),
                set.images().size(),
                erc.threshold(),
                100 * RULE_GAIN_SHARE,
                100 * RULE_MAX_REJECT,
                100 * choice.best(),
                100 * choice.point().rejected(),
                100 * choice.point().fnmr(),
                100 * erc.at(0).fnmr(),
                choice.point().qualityCut(),
                100 * Stats.below(cleanErs, choice.gamma()),
                100 * Stats.below(smallErs, choice.gamma()),
                command);
        PackWriter.write(writePack, chosen, centroidSource, choice.gamma(), thresholdSource);
        System.out.println("wrote the recognizability section of " + writePack);
      }
    }
  }

  /** The rule's outcome: the lowest FNMR over the first stretch, the point chosen, and gamma. */
  record Choice(double best, double level, Erc.Point point, double gamma) {}

  /**
   * The ERS threshold from an ERC: let {@code best} be the lowest FNMR over reject fractions {@code
   * r <= RULE_MAX_REJECT}; take the smallest r whose FNMR has fallen by at least {@code
   * RULE_GAIN_SHARE} of {@code FNMR(0) - best}; gamma is the lowest ERS kept there, rounded down to
   * 2 decimals (so it rejects no more than r). The early part of an ERC is where rejection pays
   * most per photo refused; past the half-way point each further point of FNMR costs several times
   * more refused photos.
   */
  static Choice chooseThreshold(Erc.Curve c) {
    double best = Double.POSITIVE_INFINITY;
    for (Erc.Point p : c.points()) {
      if (p.rejected() <= RULE_MAX_REJECT + 1e-9) {
        best = Math.min(best, p.fnmr());
      }
    }
    double level = c.at(0).fnmr() - RULE_GAIN_SHARE * (c.at(0).fnmr() - best);
    for (Erc.Point p : c.points()) {
      if (p.rejected() <= RULE_MAX_REJECT + 1e-9 && p.fnmr() <= level + 1e-12) {
        double gamma = p.rejected() == 0 ? 0 : Math.floor(p.qualityCut() * 100) / 100;
        return new Choice(best, level, p, gamma);
      }
    }
    throw new IllegalStateException("no ERC point within the first " + RULE_MAX_REJECT);
  }

  /**
   * {threshold, impostor pairs, impostors above}: the FMR threshold over every cross-identity pair
   * of the set's photos.
   */
  static double[] crossIdentityThreshold(PairSet set, List<float[]> emb, double fmr) {
    int n = set.images().size();
    String[] person = set.images().stream().map(Lfw::person).toArray(String[]::new);
    long count = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (!person[i].equals(person[j])) {
          count++;
        }
      }
    }
    double[] scores = new double[Math.toIntExact(count)];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (!person[i].equals(person[j])) {
          scores[k++] = VectorUtil.dotProduct(emb.get(i), emb.get(j));
        }
      }
    }
    double[] tar = VerificationMetrics.tarAtFar(scores, new boolean[scores.length], fmr);
    return new double[] {tar[1], count, tar[2]};
  }

  private static int describeCluster(
      UiCentroids.LargestCluster cluster,
      int cleanCount,
      DegradationRecipes.Kind[] kinds,
      double[] severity) {
    int cleanIn = 0;
    Map<DegradationRecipes.Kind, int[]> byKind = new EnumMap<>(DegradationRecipes.Kind.class);
    Map<DegradationRecipes.Kind, double[]> sev = new EnumMap<>(DegradationRecipes.Kind.class);
    for (DegradationRecipes.Kind k : DegradationRecipes.Kind.values()) {
      byKind.put(k, new int[2]);
      sev.put(k, new double[2]);
    }
    for (int i = 0; i < kinds.length; i++) {
      byKind.get(kinds[i])[1]++;
    }
    boolean[] in = new boolean[cleanCount + kinds.length];
    for (int m : cluster.members()) {
      in[m] = true;
      if (m < cleanCount) {
        cleanIn++;
      } else {
        byKind.get(kinds[m - cleanCount])[0]++;
      }
    }
    for (int i = 0; i < kinds.length; i++) {
      sev.get(kinds[i])[in[cleanCount + i] ? 0 : 1] += severity[i];
    }
    System.out.printf(
        Locale.ROOT,
        "  largest cluster: %d of %d clean faces, %d of %d degraded%n",
        cleanIn,
        cleanCount,
        cluster.members().length - cleanIn,
        kinds.length);
    System.out.println("  | degradation | in the cluster | mean severity in | mean severity out |");
    System.out.println("  | --- | --- | --- | --- |");
    for (DegradationRecipes.Kind k : DegradationRecipes.Kind.values()) {
      int inK = byKind.get(k)[0];
      int all = byKind.get(k)[1];
      System.out.printf(
          Locale.ROOT,
          "  | %s | %d / %d | %.2f | %.2f |%n",
          k,
          inK,
          all,
          sev.get(k)[0] / inK,
          sev.get(k)[1] / (all - inK));
    }
    return cleanIn;
  }

  private static double[] cosines(List<float[]> embeddings, float[] centroid) {
    double[] out = new double[embeddings.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = VectorUtil.dotProduct(embeddings.get(i), centroid);
    }
    return out;
  }

  private static double[] pairwise(List<float[]> a, List<float[]> b) {
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = VectorUtil.dotProduct(a.get(i), b.get(i));
    }
    return out;
  }

  private static double max(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
