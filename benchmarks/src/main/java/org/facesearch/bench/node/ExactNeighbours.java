package org.facesearch.bench.node;

import java.util.stream.IntStream;
import org.apache.lucene.util.VectorUtil;

/** The true top k by inner product (= cosine on unit vectors), by brute force over every vector. */
final class ExactNeighbours {
  private ExactNeighbours() {}

  /** For each query, the indices of its {@code k} best vectors, best first. */
  static int[][] topK(float[][] vectors, float[][] queries, int k) {
    int[][] out = new int[queries.length][];
    IntStream.range(0, queries.length)
        .parallel()
        .forEach(q -> out[q] = topK(vectors, queries[q], k));
    return out;
  }

  private static int[] topK(float[][] vectors, float[] query, int k) {
    int[] ids = new int[k];
    float[] scores = new float[k];
    java.util.Arrays.fill(scores, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < vectors.length; i++) {
      float s = VectorUtil.dotProduct(query, vectors[i]);
      if (s > scores[k - 1]) {
        int j = k - 1;
        while (j > 0 && scores[j - 1] < s) {
          scores[j] = scores[j - 1];
          ids[j] = ids[j - 1];
          j--;
        }
        scores[j] = s;
        ids[j] = i;
      }
    }
    return ids;
  }

  /** Mean share of each query's true top k found among its returned ids. */
  static double recall(int[][] truth, int[][] found) {
    double sum = 0;
    for (int q = 0; q < truth.length; q++) {
      int hits = 0;
      for (int t : truth[q]) {
        for (int f : found[q]) {
          if (f == t) {
            hits++;
            break;
          }
        }
      }
      sum += (double) hits / truth[q].length;
    }
    return sum / truth.length;
  }
}
