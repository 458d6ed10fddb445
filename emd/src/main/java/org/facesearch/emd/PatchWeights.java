package org.facesearch.emd;

/**
 * The marginals of the transport problem: one weight per patch on each side (docs/algorithms.md
 * section 3), normalised to sum to (almost) one.
 */
final class PatchWeights {
  /** Added to the sum before dividing, as the specification (and the published code) does. */
  static final double SUM_OFFSET = 1e-7;

  /**
   * Raw sums below this count as zero and fall back to uniform. The specification says "sums to 0";
   * in practice the weights come from float dot products whose rounding is about 1e-6 each, so a
   * sum of a few of those is noise, and with the 1e-7 offset a side whose sum is below 1e-3 would
   * carry less than 1 - 1e-4 of the mass, which Sinkhorn could never balance to the default
   * tolerance against the other side.
   */
  static final double MIN_SUM = 1e-3;

  private PatchWeights() {}

  /**
   * {@code out[i] = max(0, dots[i])} for {@code i < count}: the APC and CC weights from the dot
   * products of the other face's centre (or embedding) with this side's cells.
   */
  static void correlations(float[] dots, int count, double[] out) {
    for (int i = 0; i < count; i++) {
      // max(0, x) also maps a (never expected) NaN to 0 rather than propagating it.
      float d = dots[i];
      out[i] = d > 0f ? d : 0.0;
    }
  }

  /**
   * The SC weights from the similarity matrix {@code sim} ({@code rows x cols}): {@code u_s = sum_m
   * (1 - S[s,m])}, {@code v_m = sum_s (1 - S[s,m])}, clamped at 0 because float rounding can push a
   * unit-vector similarity a hair above 1.
   */
  static void summedCost(float[] sim, int rows, int cols, double[] u, double[] v) {
    for (int m = 0; m < cols; m++) {
      v[m] = 0.0;
    }
    for (int s = 0, o = 0; s < rows; s++) {
      double rowSum = 0.0;
      for (int m = 0; m < cols; m++, o++) {
        double d = 1.0 - sim[o];
        rowSum += d;
        v[m] += d;
      }
      u[s] = Math.max(0.0, rowSum);
    }
    for (int m = 0; m < cols; m++) {
      v[m] = Math.max(0.0, v[m]);
    }
  }

  /**
   * {@code w[i] = 1} where {@code face}'s cell {@code i} is not occluded ({@link
   * AutoAlpha#OCCLUDED_CELL}), else 0.
   */
  static void visible(FacePatches face, double[] w) {
    for (int i = 0; i < face.cellCount(); i++) {
      w[i] = AutoAlpha.occluded(face, i) ? 0.0 : 1.0;
    }
  }

  /**
   * Fills {@code w[0..count)} with the normalised uniform weights {@code (1/count) / (1 + 1e-7)}.
   */
  static void uniform(double[] w, int count) {
    double each = (1.0 / count) / (1.0 + SUM_OFFSET);
    for (int i = 0; i < count; i++) {
      w[i] = each;
    }
  }

  /**
   * Divides {@code w[0..count)} by (its sum + 1e-7). When the sum is (numerically) zero, see {@link
   * #MIN_SUM}, fills uniform weights instead.
   *
   * @return {@code true} when it fell back to uniform
   */
  static boolean normaliseOrUniform(double[] w, int count) {
    double sum = 0.0;
    for (int i = 0; i < count; i++) {
      sum += w[i];
    }
    // Negated so that a NaN sum falls back too.
    if (!(sum >= MIN_SUM)) {
      uniform(w, count);
      return true;
    }
    double scale = 1.0 / (sum + SUM_OFFSET);
    for (int i = 0; i < count; i++) {
      w[i] *= scale;
    }
    return false;
  }
}
