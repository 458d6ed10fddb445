package org.facesearch.evaluation.identification;

/** Sums of per-query {@link RankingMetrics.Values}, reported as percentages (means times 100). */
final class MetricTotals {
  private int count;
  private double precisionAt1;
  private double rPrecision;
  private double mapAtR;

  void add(RankingMetrics.Values v) {
    count++;
    precisionAt1 += v.precisionAt1();
    rPrecision += v.rPrecision();
    mapAtR += v.mapAtR();
  }

  int count() {
    return count;
  }

  double precisionAt1() {
    return percent(precisionAt1);
  }

  double rPrecision() {
    return percent(rPrecision);
  }

  double mapAtR() {
    return percent(mapAtR);
  }

  private double percent(double sum) {
    if (count == 0) {
      throw new IllegalStateException("no queries were counted");
    }
    return 100 * sum / count;
  }
}
