package org.facesearch.recognizability;

import java.util.List;

/**
 * Single-linkage agglomerative clustering cut at a distance (docs/algorithms.md section 5, the
 * clustering way to find the unrecognizable-identity cluster).
 *
 * <p>Cutting the single-linkage dendrogram at height {@code cut} gives the connected components of
 * the graph that links every two points at Euclidean distance {@code <= cut}: two points share a
 * cluster exactly when a chain of points joins them with every step at most {@code cut} long. (The
 * same flat clusters as SciPy's {@code fcluster(linkage(X, "single"), cut, "distance")}.) The
 * components are found by a breadth-first search that compares each point only with points not yet
 * assigned, so no distance matrix is kept: memory is linear, time is at most {@code n^2 / 2}
 * distances of {@code d} dimensions.
 */
public final class SingleLinkage {

  /**
   * Cluster labels of {@code points}: {@code labels[i]} in {@code 0..k-1}, numbered in the order of
   * each cluster's lowest point index (point 0 is always in cluster 0).
   *
   * @param points vectors of one dimension, finite
   * @param cut the largest distance that links two points, finite and {@code >= 0}
   * @throws IllegalArgumentException when the dimensions differ, a value is not finite or the cut
   *     is negative or not finite
   */
  public static int[] clusters(List<float[]> points, double cut) {
    if (!(cut >= 0) || Double.isInfinite(cut)) {
      throw new IllegalArgumentException("the cut must be a finite distance >= 0, got " + cut);
    }
    int n = points.size();
    int dims = n == 0 ? 0 : points.get(0).length;
    for (int i = 0; i < n; i++) {
      float[] p = points.get(i);
      if (p.length != dims) {
        throw new IllegalArgumentException(
            "point " + i + " has " + p.length + " dims but point 0 has " + dims);
      }
      for (float v : p) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException(
              "point " + i + " has a value that is not finite: " + v);
        }
      }
    }
    double limit = cut * cut;
    int[] labels = new int[n];
    // Points not yet assigned, kept in increasing index order in unassigned[0..remaining).
    int[] unassigned = new int[n];
    for (int i = 0; i < n; i++) {
      unassigned[i] = i;
    }
    int remaining = n;
    int[] queue = new int[n];
    int label = 0;
    while (remaining > 0) {
      // Start a new cluster at the lowest unassigned point.
      int seed = unassigned[0];
      remaining = removeAt(unassigned, remaining, 0);
      labels[seed] = label;
      int head = 0;
      int tail = 0;
      queue[tail++] = seed;
      while (head < tail && remaining > 0) {
        float[] p = points.get(queue[head++]);
        int kept = 0;
        for (int k = 0; k < remaining; k++) {
          int j = unassigned[k];
          if (withinSquared(p, points.get(j), limit)) {
            labels[j] = label;
            queue[tail++] = j;
          } else {
            unassigned[kept++] = j; // compacts in place, order preserved
          }
        }
        remaining = kept;
      }
      label++;
    }
    return labels;
  }

  private static int removeAt(int[] a, int size, int index) {
    System.arraycopy(a, index + 1, a, index, size - index - 1);
    return size - 1;
  }

  /**
   * Whether the squared Euclidean distance is {@code <= limit}: sums of squared differences in
   * double (four interleaved partial sums), stopping early once the running total (which never
   * decreases) exceeds the limit.
   */
  static boolean withinSquared(float[] a, float[] b, double limit) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int n = a.length;
    int i = 0;
    while (i < n) {
      int end = Math.min(n, i + 64);
      for (; i + 3 < end; i += 4) {
        double d0 = (double) a[i] - b[i];
        double d1 = (double) a[i + 1] - b[i + 1];
        double d2 = (double) a[i + 2] - b[i + 2];
        double d3 = (double) a[i + 3] - b[i + 3];
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
      }
      for (; i < end; i++) {
        double d = (double) a[i] - b[i];
        s0 += d * d;
      }
      if ((s0 + s1) + (s2 + s3) > limit) {
        return false;
      }
    }
    return true;
  }

  private SingleLinkage() {}
}
