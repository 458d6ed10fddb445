package org.facesearch.emd;

import java.util.Arrays;

/**
 * Adaptive average pooling of a patch map, as deep-learning frameworks define it: output bin {@code
 * i} of {@code out} covers input indices {@code floor(i*in/out)} to {@code ceil((i+1)*in/out)}
 * (exclusive), so neighbouring bins overlap when {@code out} does not divide {@code in} (7 to 4:
 * [0,2), [1,4), [3,6), [5,7)).
 */
final class AdaptivePooling {
  private AdaptivePooling() {}

  /** First input index of bin {@code i}: floor(i*in/out). */
  static int binStart(int i, int in, int out) {
    return (i * in) / out;
  }

  /** One past the last input index of bin {@code i}: ceil((i+1)*in/out). */
  static int binEnd(int i, int in, int out) {
    return ((i + 1) * in + out - 1) / out;
  }

  /**
   * Pools {@code src}'s raw vectors (unit cell times raw norm) into {@code out} (row-major, {@code
   * outRows * outCols} arrays of {@code src.dims()}), L2-normalising each bin, and writes each
   * bin's mean raw vector norm to {@code norms}.
   */
  static void pool(FacePatches src, int outRows, int outCols, float[][] out, float[] norms) {
    int dims = src.dims();
    // Accumulate in double: a bin may sum many cells, and this is off the hot path for 7x7 maps.
    double[] acc = new double[dims];
    for (int br = 0; br < outRows; br++) {
      int r0 = binStart(br, src.rows(), outRows);
      int r1 = binEnd(br, src.rows(), outRows);
      for (int bc = 0; bc < outCols; bc++) {
        int c0 = binStart(bc, src.cols(), outCols);
        int c1 = binEnd(bc, src.cols(), outCols);
        Arrays.fill(acc, 0.0);
        for (int r = r0; r < r1; r++) {
          for (int c = c0; c < c1; c++) {
            int cell = r * src.cols() + c;
            float[] v = src.cell(cell);
            double w = src.rawNorm(cell);
            for (int d = 0; d < dims; d++) {
              acc[d] += w * v[d];
            }
          }
        }
        double sq = 0;
        for (int d = 0; d < dims; d++) {
          sq += acc[d] * acc[d];
        }
        double norm = Math.sqrt(sq);
        int bin = br * outCols + bc;
        float[] dest = out[bin];
        // The mean's direction is the sum's; only the reported raw norm needs the cell count.
        norms[bin] = (float) (norm / ((r1 - r0) * (c1 - c0)));
        if (norm > 0) {
          for (int d = 0; d < dims; d++) {
            dest[d] = (float) (acc[d] / norm);
          }
        } else {
          Arrays.fill(dest, 0f);
        }
      }
    }
  }

  /** The mean of {@code values} (one per input cell, row-major) over each output bin. */
  static float[] mean(float[] values, int rows, int cols, int outRows, int outCols) {
    float[] out = new float[outRows * outCols];
    for (int br = 0; br < outRows; br++) {
      int r0 = binStart(br, rows, outRows);
      int r1 = binEnd(br, rows, outRows);
      for (int bc = 0; bc < outCols; bc++) {
        int c0 = binStart(bc, cols, outCols);
        int c1 = binEnd(bc, cols, outCols);
        double sum = 0;
        for (int r = r0; r < r1; r++) {
          for (int c = c0; c < c1; c++) {
            sum += values[r * cols + c];
          }
        }
        out[br * outCols + bc] = (float) (sum / ((r1 - r0) * (c1 - c0)));
      }
    }
    return out;
  }
}
