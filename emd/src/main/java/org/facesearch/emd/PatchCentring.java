package org.facesearch.emd;

import java.util.Arrays;
import org.apache.lucene.util.VectorUtil;

/**
 * {@code centre_patches}: each face's unit cells minus their own mean, renormalised, before the
 * similarity matrix is computed: {@code c_k = (x_k - m) / |x_k - m|} with {@code m = (1/N) sum_k
 * x_k} (a cell equal to the mean becomes the zero vector). On the default model every cell of every
 * face shares a large common component (two unrelated faces' patches have cosines around 0.8), so
 * the plain patch cosines say more about "a face is here" than about whose; removing the face's own
 * mean leaves how its parts differ from each other. Needs nothing but the face itself, so a
 * candidate still scores the same alone or among others.
 */
final class PatchCentring {
  private PatchCentring() {}

  /**
   * Writes the centred cells of {@code cells[0..count)} into {@code out[0..count)} (arrays of the
   * same length). Float loops of one array operation each, which the JIT vectorises: this runs once
   * per candidate, and a double-precision version cost as much as the similarity matrix.
   */
  static void centre(float[][] cells, int count, float[][] out) {
    int dims = cells[0].length;
    float[] mean = new float[dims];
    for (int k = 0; k < count; k++) {
      float[] c = cells[k];
      for (int d = 0; d < dims; d++) {
        mean[d] += c[d];
      }
    }
    float inv = 1f / count;
    for (int d = 0; d < dims; d++) {
      mean[d] *= inv;
    }
    for (int k = 0; k < count; k++) {
      float[] c = cells[k];
      float[] o = out[k];
      for (int d = 0; d < dims; d++) {
        o[d] = c[d] - mean[d];
      }
      float sq = VectorUtil.dotProduct(o, o);
      if (sq > 0f) {
        float scale = (float) (1 / Math.sqrt(sq));
        for (int d = 0; d < dims; d++) {
          o[d] *= scale;
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
