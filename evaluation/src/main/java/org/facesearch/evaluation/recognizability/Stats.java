package org.facesearch.evaluation.recognizability;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.facesearch.evaluation.verification.VerificationMetrics;
import org.facesearch.recognizability.ErsSummary;
import org.facesearch.recognizability.Recognizability;

/** Summaries used by the recognizability evaluation. */
final class Stats {
  private Stats() {}

  /**
   * Mean and the 5th, 50th and 95th percentiles (linear interpolation between order statistics).
   */
  record Summary(int n, double mean, double p5, double p50, double p95) {
    String row(String name) {
      return String.format(
          Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f |", name, n, mean, p5, p50, p95);
    }
  }

  static final String SUMMARY_HEADER =
      "| faces | n | mean | 5th pct | median | 95th pct |\n| --- | --- | --- | --- | --- | --- |";

  static Summary summary(double[] values) {
    ErsSummary s = ErsSummary.of(values);
    return new Summary(s.n(), s.mean(), s.p5(), s.p50(), s.p95());
  }

  /** The p-quantile of sorted values, interpolating linearly between order statistics. */
  static double percentile(double[] sorted, double p) {
    return ErsSummary.percentile(sorted, p);
  }

  /** ERS of each embedding against the centroid. */
  static double[] ers(float[] centroid, List<float[]> embeddings) {
    double[] out = new double[embeddings.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Recognizability.ers(centroid, embeddings.get(i));
    }
    return out;
  }

  /**
   * Probability that a value from {@code high} exceeds one from {@code low} (ties half): the ROC
   * AUC of separating them.
   */
  static double auc(double[] high, double[] low) {
    double[] scores = new double[high.length + low.length];
    boolean[] positive = new boolean[scores.length];
    for (int i = 0; i < high.length; i++) {
      scores[i] = high[i];
      positive[i] = true;
    }
    System.arraycopy(low, 0, scores, high.length, low.length);
    return VerificationMetrics.auc(scores, positive);
  }

  /** Fraction of values strictly below t. */
  static double below(double[] values, double t) {
    return Arrays.stream(values).filter(v -> v < t).count() / (double) values.length;
  }
}
