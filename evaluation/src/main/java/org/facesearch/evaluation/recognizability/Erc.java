package org.facesearch.evaluation.recognizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.facesearch.evaluation.verification.VerificationMetrics;

/**
 * Error-versus-Reject Curve (docs/algorithms.md section 7): the similarity threshold is fixed once,
 * at the target FMR over all impostor pairs; then for each rejected fraction r the {@code floor(r
 * N)} lowest-quality images (of the N distinct images the pairs use; ties by index) are dropped
 * with every pair that uses one, and the FNMR of the remaining genuine pairs is reported.
 */
final class Erc {
  private Erc() {}

  /**
   * One point of the curve.
   *
   * @param rejected the fraction r of images rejected
   * @param qualityCut the lowest quality among the images kept (images below it were rejected)
   * @param genuineLeft genuine pairs remaining
   * @param impostorLeft impostor pairs remaining
   * @param fnmr false non-matches among the remaining genuine pairs / genuineLeft
   */
  record Point(
      double rejected, double qualityCut, int genuineLeft, int impostorLeft, double fnmr) {}

  /** A whole curve and the threshold it was measured at. */
  record Curve(double threshold, double targetFmr, int impostorsAbove, List<Point> points) {
    /** The point measured at rejected fraction {@code r} (one of the fractions asked for). */
    Point at(double r) {
      for (Point p : points) {
        if (Math.abs(p.rejected() - r) < 1e-9) {
          return p;
        }
      }
      throw new IllegalArgumentException("no point at " + r);
    }
  }

  /**
   * @param a first image of each pair (an index into {@code quality})
   * @param b second image of each pair
   * @param same whether each pair is genuine
   * @param score similarity of each pair (accepted when strictly above the threshold)
   * @param quality per image; every image index must be used by some pair
   */
  static Curve compute(
      int[] a,
      int[] b,
      boolean[] same,
      double[] score,
      double[] quality,
      double targetFmr,
      double[] fractions) {
    double[] tar = VerificationMetrics.tarAtFar(score, same, targetFmr);
    return computeAt(a, b, same, score, quality, tar[1], targetFmr, (int) tar[2], fractions);
  }

  /**
   * As {@link #compute}, with the threshold fixed by the caller (e.g. at the target FMR over a
   * larger impostor set than the pairs themselves).
   */
  static Curve computeAt(
      int[] a,
      int[] b,
      boolean[] same,
      double[] score,
      double[] quality,
      double threshold,
      double targetFmr,
      int impostorsAbove,
      double[] fractions) {
    int n = quality.length;
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(
        order, Comparator.<Integer>comparingDouble(i -> quality[i]).thenComparingInt(i -> i));
    List<Point> points = new ArrayList<>();
    for (double r : fractions) {
      int drop = (int) Math.floor(r * n + 1e-9);
      boolean[] rejected = new boolean[n];
      for (int k = 0; k < drop; k++) {
        rejected[order[k]] = true;
      }
      int genuine = 0;
      int impostor = 0;
      int misses = 0;
      for (int p = 0; p < score.length; p++) {
        if (rejected[a[p]] || rejected[b[p]]) {
          continue;
        }
        if (same[p]) {
          genuine++;
          if (!(score[p] > threshold)) {
            misses++;
          }
        } else {
          impostor++;
        }
      }
      double cut = drop < n ? quality[order[drop]] : Double.NaN;
      points.add(
          new Point(
              r, cut, genuine, impostor, genuine == 0 ? Double.NaN : (double) misses / genuine));
    }
    return new Curve(threshold, targetFmr, impostorsAbove, points);
  }

  /** 0, step, 2 step, ... up to {@code max} inclusive. */
  static double[] fractions(double max, double step) {
    int k = (int) Math.round(max / step);
    double[] out = new double[k + 1];
    for (int i = 0; i <= k; i++) {
      out[i] = i * step;
    }
    return out;
  }

  /** Prints a markdown table of the curve at the given fractions. */
  static void print(String name, Curve c, double[] at) {
    System.out.printf(
        Locale.ROOT,
        "%n%s: similarity threshold %.4f, fixed at FMR %.0e over the impostor pairs (%d impostor pairs above it)%n",
        name,
        c.threshold(),
        c.targetFmr(),
        c.impostorsAbove());
    System.out.println(
        "| rejected | lowest ERS kept | genuine pairs left | impostor pairs left | FNMR |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (double r : at) {
      Point p = c.at(r);
      System.out.printf(
          Locale.ROOT,
          "| %.1f%% | %.3f | %d | %d | %.2f%% |%n",
          100 * r,
          p.qualityCut(),
          p.genuineLeft(),
          p.impostorLeft(),
          100 * p.fnmr());
    }
  }

  /** x (rejected fractions) and y (FNMR) arrays for a chart. */
  static double[][] xy(Curve c) {
    double[] x = c.points().stream().mapToDouble(Point::rejected).toArray();
    double[] y = c.points().stream().mapToDouble(Point::fnmr).toArray();
    return new double[][] {x, y};
  }
}
