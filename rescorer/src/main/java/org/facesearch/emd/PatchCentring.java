package org.facesearch.emd;

import java.util.Arrays;

/**
 * {@code centre_patches}: each face's unit cells minus their own mean, renormalised, before the
 * similarity matrix is computed: {@code c_k = (x_k - m) / |x_k - m|} with {@code m = (1/N) sum_k x_k}
 * (a cell equal to the mean becomes the zero vector). On the default model every cell of every face
 * shares a large common component (two unrelated faces' patches have cosines around 0.8), so the
 * plain patch cosines say more about "a face is here" than about whose; removing the face's own
 * mean leaves how its parts differ from each other. Needs nothing but the face itself, so a
 * candidate still scores the same alone or among others.
 */
final class PatchCentring {
  private PatchCentring() {}

  /** Writes the centred cells of {@code cells[0..count)} into {@code out[0..count)} (arrays of the same length). */
  static void centre(float[][] cells, int count, float[][] out) {
    int dims = cells[0].length;
    double[] mean = new double[dims];
    for (int k = 0; k < count; k++) {
      float[] c = cells[k];
      for (int d = 0; d < dims; d++) {
        mean[d] += c[d];
      }
    }
    for (int d = 0; d < dims; d++) {
      mean[d] /= count;
    }
    for (int k = 0; k < count; k++) {
      float[] c = cells[k];
      float[] o = out[k];
      double sq = 0;
      for (int d = 0; d < dims; d++) {
        double x = c[d] - mean[d];
        o[d] = (float) x;
        sq += x * x;
      }
      if (sq > 0) {
        float inv = (float) (1 / Math.sqrt(sq));
        for (int d = 0; d < dims; d++) {
          o[d] *= inv;
        }
      } else {
        Arrays.fill(o, 0f);
      }
    }
  }

  /** The centred cells of {@code cells[0..count)} in new arrays. */
  static float[][] centred(float[][] cells, int count) {
    float[][] out = new float[count][cells[0].length];
    centre(cells, count, out);
    return out;
  }
}
