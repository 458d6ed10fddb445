package org.facesearch.evaluation.identification;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Re-ordering the top of a stage-1 list, as the {@code face_emd} rescorer does: the first {@code
 * window} positions are sorted by a new score (best first; equal scores keep their stage-1 order),
 * everything below the window keeps its stage-1 order.
 */
final class Reranking {
  private Reranking() {}

  /**
   * The new order as positions of the stage-1 list.
   *
   * @param n length of the stage-1 list
   * @param window how many leading positions are re-scored ({@code min(window, n)})
   * @param scores new scores of the first {@code min(window, n)} positions
   */
  static int[] order(int n, int window, double[] scores) {
    int w = Math.min(window, n);
    if (scores.length < w) {
      throw new IllegalArgumentException("need " + w + " window scores, got " + scores.length);
    }
    Integer[] top = new Integer[w];
    for (int i = 0; i < w; i++) {
      top[i] = i;
    }
    // Stable sort: ties keep stage-1 order.
    Arrays.sort(top, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    int[] out = new int[n];
    for (int i = 0; i < w; i++) {
      out[i] = top[i];
    }
    for (int i = w; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  /**
   * The best re-ranking of the window possible: its relevant items first, each group in stage-1
   * order.
   */
  static int[] ceiling(boolean[] relevant, int window) {
    double[] scores = new double[Math.min(window, relevant.length)];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = relevant[i] ? 1 : 0;
    }
    return order(relevant.length, window, scores);
  }

  /** {@code relevant} permuted by {@code order}. */
  static boolean[] permute(boolean[] relevant, int[] order) {
    boolean[] out = new boolean[order.length];
    for (int i = 0; i < order.length; i++) {
      out[i] = relevant[order[i]];
    }
    return out;
  }
}
