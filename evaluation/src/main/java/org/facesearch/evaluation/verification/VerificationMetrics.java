package org.facesearch.evaluation.verification;

import java.util.Arrays;

/**
 * LFW protocol metrics over pair scores: 10-fold accuracy (threshold chosen on 9 folds, accuracy
 * measured on the 10th), ROC AUC, and TAR at a fixed FAR.
 */
public final class VerificationMetrics {
  private VerificationMetrics() {}

  record Folds(
      double meanAccuracy, double stdAccuracy, double meanThreshold, double[] accuracies) {}

  static Folds tenFold(double[] scores, boolean[] same, int[] fold, int folds) {
    double[] acc = new double[folds];
    double[] thr = new double[folds];
    for (int k = 0; k < folds; k++) {
      double best = bestThreshold(scores, same, fold, k);
      thr[k] = best;
      acc[k] = accuracy(scores, same, fold, k, best, true);
    }
    double mean = Arrays.stream(acc).average().orElse(Double.NaN);
    double var = 0;
    for (double a : acc) {
      var += (a - mean) * (a - mean);
    }
    double std = Math.sqrt(var / (folds - 1));
    return new Folds(mean, std, Arrays.stream(thr).average().orElse(Double.NaN), acc);
  }

  /**
   * The threshold maximising accuracy over every fold except {@code test}: scores &gt; t count as
   * "same".
   */
  private static double bestThreshold(double[] scores, boolean[] same, int[] fold, int test) {
    double[] candidates = scores.clone();
    Arrays.sort(candidates);
    double best = Double.NaN;
    double bestAcc = -1;
    for (int i = 0; i <= candidates.length; i++) {
      // Midpoints between consecutive distinct scores, plus both ends.
      double t;
      if (i == 0) {
        t = candidates[0] - 1e-6;
      } else if (i == candidates.length) {
        t = candidates[i - 1] + 1e-6;
      } else {
        if (candidates[i] == candidates[i - 1]) {
          continue;
        }
        t = (candidates[i - 1] + candidates[i]) / 2;
      }
      double a = accuracy(scores, same, fold, test, t, false);
      if (a > bestAcc) {
        bestAcc = a;
        best = t;
      }
    }
    return best;
  }

  private static double accuracy(
      double[] scores, boolean[] same, int[] fold, int k, double t, boolean inFold) {
    int right = 0;
    int total = 0;
    for (int i = 0; i < scores.length; i++) {
      if ((fold[i] == k) != inFold) {
        continue;
      }
      total++;
      if ((scores[i] > t) == same[i]) {
        right++;
      }
    }
    return (double) right / total;
  }

  /**
   * Area under the ROC curve: the probability a genuine pair outscores an impostor pair (ties count
   * half).
   */
  public static double auc(double[] scores, boolean[] same) {
    long pos = 0;
    long neg = 0;
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(scores[x], scores[y]));
    double rankSum = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1; // average rank of the tie group
      for (int k = i; k <= j; k++) {
        if (same[order[k]]) {
          rankSum += rank;
          pos++;
        } else {
          neg++;
        }
      }
      i = j + 1;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /**
   * TAR at FAR: the threshold is the score that at most {@code far * impostors} impostor pairs
   * exceed; TAR is the fraction of genuine pairs above it. Returns {TAR, threshold, impostors
   * above}.
   */
  public static double[] tarAtFar(double[] scores, boolean[] same, double far) {
    double[] imp =
        java.util.stream.IntStream.range(0, scores.length)
            .filter(i -> !same[i])
            .mapToDouble(i -> scores[i])
            .sorted()
            .toArray();
    int allowed = (int) Math.floor(far * imp.length);
    double threshold =
        imp[
            imp.length
                - 1
                - allowed]; // accept strictly above: exactly `allowed` impostors pass (no ties
    // assumed)
    long genuine = 0;
    long accepted = 0;
    for (int i = 0; i < scores.length; i++) {
      if (same[i]) {
        genuine++;
        if (scores[i] > threshold) {
          accepted++;
        }
      }
    }
    return new double[] {(double) accepted / genuine, threshold, allowed};
  }
}
