package org.facesearch.evaluation.verification;

import java.util.Arrays;

/**
 * Cosine thresholds at false-match rates, from the scores of impostor pairs (two faces of different
 * people) and genuine pairs (two faces of one person). A pair matches when its cosine is at least
 * the threshold.
 */
final class FmrThresholds {
  private FmrThresholds() {}

  /**
   * The false-match rates a pack is calibrated at: 1, 2 and 5 in each decade from 1e-2 down to
   * 1e-6.
   */
  static final double[] TARGETS = {
    1e-2, 5e-3, 2e-3, 1e-3, 5e-4, 2e-4, 1e-4, 5e-5, 2e-5, 1e-5, 5e-6, 2e-6, 1e-6
  };

  /**
   * Thresholds are stored with this many decimals, rounded up (so the calibration's own FMR never
   * exceeds the target).
   */
  static final int DECIMALS = 4;

  /**
   * The threshold at which at most {@code fmr * n} of the {@code n} impostor scores match: halfway
   * between the last impostor score allowed to match and the first that must not, rounded up to
   * {@link #DECIMALS}; NaN when fewer than one false match is allowed ({@code fmr * n < 1}: the
   * pairs cannot measure that rate).
   *
   * @param sortedImpostors impostor cosines, ascending
   */
  static double threshold(float[] sortedImpostors, double fmr) {
    int n = sortedImpostors.length;
    long allowed = (long) Math.floor(fmr * n);
    if (allowed < 1 || allowed >= n) {
      return Double.NaN;
    }
    double lastIn = sortedImpostors[n - (int) allowed]; // the allowed-th highest
    double firstOut = sortedImpostors[n - (int) allowed - 1]; // the next one down
    double scale = Math.pow(10, DECIMALS);
    return Math.ceil((lastIn + firstOut) / 2 * scale) / scale;
  }

  /** How many of the ascending {@code sorted} scores are at least {@code threshold}. */
  static long atLeast(float[] sorted, double threshold) {
    // The first index whose value is >= threshold, by binary search over the ascending array.
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] >= threshold) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return sorted.length - lo;
  }

  /** The share of the ascending {@code sorted} scores at least {@code threshold}. */
  static double rateAtLeast(float[] sorted, double threshold) {
    return (double) atLeast(sorted, threshold) / sorted.length;
  }

  /** The share of the ascending {@code sorted} scores below {@code threshold}. */
  static double rateBelow(float[] sorted, double threshold) {
    return 1 - rateAtLeast(sorted, threshold);
  }

  /** A sorted copy. */
  static float[] sorted(float[] scores) {
    float[] out = scores.clone();
    Arrays.sort(out);
    return out;
  }
}
