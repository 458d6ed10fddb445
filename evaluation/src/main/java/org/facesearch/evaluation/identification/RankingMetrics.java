package org.facesearch.evaluation.identification;

/**
 * Identification metrics of one ranked gallery list (docs/algorithms.md section 7). A ranking is
 * given as the relevance of its first positions, best first ({@code relevant[i]}: the item at rank
 * {@code i + 1} has the query's label); positions past the end of the array count as not relevant.
 * {@code r} is the number of gallery items with the query's label (the query itself excluded when
 * it is in the gallery), and must be at least 1.
 *
 * <ul>
 *   <li>P@1: 1 if the first item is relevant, else 0;
 *   <li>R-Precision: relevant items among the first R, divided by R;
 *   <li>MAP@R: (1/R) * sum over ranks i = 1..R of rel_i * precision@i, where precision@i is the
 *       fraction of relevant items among the first i.
 * </ul>
 */
final class RankingMetrics {
  private RankingMetrics() {}

  /** One query's three values, each in [0, 1]. */
  record Values(double precisionAt1, double rPrecision, double mapAtR) {
    static final Values MISS = new Values(0, 0, 0);
  }

  static Values of(boolean[] relevant, int r) {
    return new Values(precisionAt1(relevant), rPrecision(relevant, r), mapAtR(relevant, r));
  }

  static double precisionAt1(boolean[] relevant) {
    return relevant.length > 0 && relevant[0] ? 1 : 0;
  }

  static double rPrecision(boolean[] relevant, int r) {
    checkR(r);
    int hits = 0;
    for (int i = 0; i < Math.min(r, relevant.length); i++) {
      if (relevant[i]) {
        hits++;
      }
    }
    return (double) hits / r;
  }

  static double mapAtR(boolean[] relevant, int r) {
    checkR(r);
    int hits = 0;
    double sum = 0;
    for (int i = 0; i < Math.min(r, relevant.length); i++) {
      if (relevant[i]) {
        hits++;
        sum += (double) hits / (i + 1);
      }
    }
    return sum / r;
  }

  private static void checkR(int r) {
    if (r < 1) {
      throw new IllegalArgumentException("R (relevant gallery items) must be at least 1, got " + r);
    }
  }
}
