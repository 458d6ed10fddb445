package org.facesearch.bench.node;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of latencies given in nanoseconds, reported in milliseconds (or of any
 * values given as doubles, taken as they are).
 */
final class Percentiles {
  private final double[] sortedMs;

  Percentiles(long[] nanos) {
    sortedMs = new double[nanos.length];
    for (int i = 0; i < nanos.length; i++) {
      sortedMs[i] = nanos[i] / 1e6;
    }
    Arrays.sort(sortedMs);
  }

  Percentiles(double[] millis) {
    sortedMs = millis.clone();
    Arrays.sort(sortedMs);
  }

  /** The smallest value with at least {@code p} percent of the values at or below it. */
  double ms(double p) {
    if (sortedMs.length == 0) {
      throw new IllegalStateException("no samples");
    }
    int rank = (int) Math.ceil(p / 100.0 * sortedMs.length);
    return sortedMs[Math.max(0, Math.min(sortedMs.length - 1, rank - 1))];
  }

  /**
   * The middle value, or the mean of the two middle values when the count is even (not a nearest
   * rank).
   */
  double median() {
    int n = sortedMs.length;
    if (n == 0) {
      throw new IllegalStateException("no samples");
    }
    return n % 2 == 1 ? sortedMs[n / 2] : (sortedMs[n / 2 - 1] + sortedMs[n / 2]) / 2;
  }

  double mean() {
    double s = 0;
    for (double v : sortedMs) {
      s += v;
    }
    return s / sortedMs.length;
  }

  int count() {
    return sortedMs.length;
  }
}
