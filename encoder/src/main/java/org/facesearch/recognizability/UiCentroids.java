package org.facesearch.recognizability;

import java.util.ArrayList;
import java.util.List;
import org.facesearch.vectors.UnitVectors;

/**
 * The unrecognizable-identity (UI) centroid of a model, computed from embeddings
 * (docs/algorithms.md section 5), the two ways the ERS paper describes:
 *
 * <ul>
 *   <li>{@link #mean direct}: embeddings of heavily degraded real faces, averaged;
 *   <li>{@link #largestCluster clustering}: single-linkage clustering of a mix of clean and
 *       degraded faces cut at Euclidean distance 1.0 between unit embeddings; the largest cluster
 *       is the UI cluster and its mean the centroid.
 * </ul>
 *
 * <p>Every embedding is L2-normalised before use (encoder output already is; the normalisation only
 * matters for embeddings that come from elsewhere). A zero or non-finite embedding is refused.
 */
public final class UiCentroids {

  /**
   * The default clustering cut: Euclidean distance 1.0 between unit embeddings, which is cosine
   * similarity 0.5 ({@code |a - b|^2 = 2 - 2 <a, b>}).
   */
  public static final double DEFAULT_CUT = 1.0;

  /**
   * The largest cluster of a clustering run and its centroid.
   *
   * @param centroid the L2-normalised mean of the cluster's unit embeddings
   * @param members indices (into the input list) of the cluster's embeddings, increasing
   * @param clusters how many clusters the cut produced in all
   * @param runnerUp the size of the second largest cluster (0 when there is one cluster); equal to
   *     {@code members.length} when two clusters tie for largest, in which case the one holding the
   *     lowest input index was taken
   */
  public record LargestCluster(float[] centroid, int[] members, int clusters, int runnerUp) {}

  /**
   * Direct method: {@code normalise(mean of normalise(f_i))}.
   *
   * @throws IllegalArgumentException when there are no embeddings, their dimensions differ, one is
   *     zero or not finite, or they cancel out (their mean is zero)
   */
  public static float[] mean(List<float[]> embeddings) {
    List<float[]> unit = unitCopies(embeddings);
    if (unit.isEmpty()) {
      throw new IllegalArgumentException("a centroid needs at least one embedding");
    }
    return normalisedMean(unit, null);
  }

  /**
   * Clustering method: single-linkage clusters of the unit embeddings cut at Euclidean distance
   * {@code cut} ({@link SingleLinkage}); the largest cluster (on a tie, the one holding the lowest
   * input index) and the normalised mean of its unit embeddings.
   *
   * @throws IllegalArgumentException as {@link #mean}, or for a cut that is negative or not finite
   */
  public static LargestCluster largestCluster(List<float[]> embeddings, double cut) {
    List<float[]> unit = unitCopies(embeddings);
    if (unit.isEmpty()) {
      throw new IllegalArgumentException("a centroid needs at least one embedding");
    }
    int[] labels = SingleLinkage.clusters(unit, cut);
    int count = 0;
    for (int l : labels) {
      count = Math.max(count, l + 1);
    }
    int[] sizes = new int[count];
    for (int l : labels) {
      sizes[l]++;
    }
    int best =
        0; // labels are numbered by lowest member, so the first maximum holds the lowest index
    for (int l = 1; l < count; l++) {
      if (sizes[l] > sizes[best]) {
        best = l;
      }
    }
    int runnerUp = 0;
    for (int l = 0; l < count; l++) {
      if (l != best) {
        runnerUp = Math.max(runnerUp, sizes[l]);
      }
    }
    int[] members = new int[sizes[best]];
    for (int i = 0, m = 0; i < labels.length; i++) {
      if (labels[i] == best) {
        members[m++] = i;
      }
    }
    return new LargestCluster(normalisedMean(unit, members), members, count, runnerUp);
  }

  /**
   * Cosine distance {@code 1 - <a, b> / (|a| |b|)} between two centroids (or any two vectors).
   * Accumulated in double: two centroids of one model are typically within 1e-5 of each other,
   * where the rounding of a float cosine over 512 dims (about 1e-6) would be most of the answer.
   */
  public static double cosineDistance(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " dims");
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    if (!(na > 0) || !(nb > 0)) {
      throw new IllegalArgumentException("the cosine distance of a zero vector is undefined");
    }
    return 1 - dot / Math.sqrt(na * nb);
  }

  private static List<float[]> unitCopies(List<float[]> embeddings) {
    List<float[]> out = new ArrayList<>(embeddings.size());
    int dims = embeddings.isEmpty() ? 0 : embeddings.get(0).length;
    for (int i = 0; i < embeddings.size(); i++) {
      float[] f = embeddings.get(i);
      if (f.length != dims) {
        throw new IllegalArgumentException(
            "embedding " + i + " has " + f.length + " dims but embedding 0 has " + dims);
      }
      float[] u = UnitVectors.unitCopy(f);
      if (u == null) {
        throw new IllegalArgumentException("embedding " + i + " is zero or not finite");
      }
      out.add(u);
    }
    return out;
  }

  /** normalise(sum of unit[i]) over {@code members} (all when null). */
  private static float[] normalisedMean(List<float[]> unit, int[] members) {
    int dims = unit.get(0).length;
    double[] sum = new double[dims];
    int n = members == null ? unit.size() : members.length;
    for (int k = 0; k < n; k++) {
      float[] u = unit.get(members == null ? k : members[k]);
      for (int d = 0; d < dims; d++) {
        sum[d] += u[d];
      }
    }
    if (!(UnitVectors.length(sum) > 1e-9 * n)) {
      throw new IllegalArgumentException(
          "the embeddings cancel out: their mean is zero, so it has no direction");
    }
    return UnitVectors.unit(sum);
  }

  private UiCentroids() {}
}
