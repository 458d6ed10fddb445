package org.facesearch.bench.emd;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import org.facesearch.emd.EmdParams;
import org.facesearch.emd.EmdScorer;
import org.facesearch.emd.FacePatches;
import org.facesearch.emd.Weighting;

/**
 * Stage-2 time per query on a loaded machine: the default settings ({@code apc}, alpha 0.7) and the
 * covered-face settings ({@code recognizability} with the lower three rows covered,
 * {@code centre_patches}, alpha 0.5) timed in alternation, many rounds, so both see the same load;
 * the medians and their ratio are what to read. 100 candidates of 7x7x512 random unit patches
 * (as {@link EmdRescoreBenchmark}, data=random), the scorer built inside the timed part.
 *
 * <pre>benchmarks/run org.facesearch.bench.emd.CoveredTiming [rounds [both|weights|centre]]</pre>
 * ({@code weights}: recognizability without centring; {@code centre}: apc with centring.)
 */
public final class CoveredTiming {
  private CoveredTiming() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    Random random = new Random(42);
    FacePatches query = face(random);
    FacePatches[] gallery = new FacePatches[100];
    for (int i = 0; i < gallery.length; i++) {
      gallery[i] = face(random);
    }
    float[] occlusion = new float[49];
    for (int c = 28; c < 49; c++) {
      occlusion[c] = 1f;
    }
    FacePatches covered = query.withOcclusion(occlusion);
    EmdParams defaults = EmdParams.defaults();
    String variant = args.length > 1 ? args[1] : "both";
    EmdParams coveredParams = EmdParams.builder()
        .weighting(variant.equals("centre") ? Weighting.APC : Weighting.RECOGNIZABILITY)
        .centrePatches(!variant.equals("weights"))
        .alpha(0.5)
        .build();
    long[] a = new long[rounds];
    long[] b = new long[rounds];
    double sink = 0;
    for (int r = -50; r < rounds; r++) { // 50 warm-up rounds
      long t0 = System.nanoTime();
      sink += rescore(query, defaults, gallery);
      long t1 = System.nanoTime();
      sink += rescore(covered, coveredParams, gallery);
      long t2 = System.nanoTime();
      if (r >= 0) {
        a[r] = t1 - t0;
        b[r] = t2 - t1;
      }
    }
    Arrays.sort(a);
    Arrays.sort(b);
    double ma = a[rounds / 2] / 1e6;
    double mb = b[rounds / 2] / 1e6;
    System.out.printf(Locale.ROOT, "median ms per query (100 candidates): apc 0.7 %.2f, covered settings %.2f, ratio %.2f; "
        + "10th percentile %.2f and %.2f (sink %.1f)%n", ma, mb, mb / ma, a[rounds / 10] / 1e6, b[rounds / 10] / 1e6, sink);
  }

  private static double rescore(FacePatches query, EmdParams params, FacePatches[] gallery) {
    EmdScorer scorer = new EmdScorer(query, params);
    double sum = 0;
    for (FacePatches g : gallery) {
      sum += scorer.score(g, 0.5).score();
    }
    return sum;
  }

  private static FacePatches face(Random random) {
    float[][] cells = new float[49][];
    double[] mean = new double[512];
    for (int c = 0; c < 49; c++) {
      double[] x = new double[512];
      for (int d = 0; d < 512; d++) {
        x[d] = random.nextGaussian();
        mean[d] += x[d];
      }
      cells[c] = unit(x);
    }
    double[] e = new double[512];
    for (int d = 0; d < 512; d++) {
      e[d] = random.nextGaussian();
    }
    return FacePatches.of(7, 7, cells, null, unit(mean), unit(e));
  }

  private static float[] unit(double[] x) {
    double n = 0;
    for (double v : x) {
      n += v * v;
    }
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) (x[i] / Math.sqrt(n));
    }
    return f;
  }
}
