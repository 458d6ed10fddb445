package org.facesearch.recognizability;

import java.util.Arrays;

/**
 * How a set of values (ERS scores, mostly) is spread: count, mean and the 5th, 50th and 95th
 * percentiles, interpolating linearly between order statistics.
 */
public record ErsSummary(int n, double mean, double p5, double p50, double p95) {

  /**
   * The summary of {@code values}.
   *
   * @throws IllegalArgumentException when there are no values
   */
  public static ErsSummary of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("a summary needs at least one value");
    }
    double[] v = values.clone();
    Arrays.sort(v);
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    return new ErsSummary(
        v.length, sum / v.length, percentile(v, 0.05), percentile(v, 0.5), percentile(v, 0.95));
  }

  /** The p-quantile of sorted values, interpolating linearly between order statistics. */
  public static double percentile(double[] sorted, double p) {
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
