package org.facesearch.emd;

/**
 * {@link DenseOps} in plain Java, for JVMs without the vector API (and as the tests' second path).
 */
final class ScalarDenseOps extends DenseOps {
  @Override
  void range(float[] values, int n, float[] minMax) {
    float min = values[0];
    float max = values[0];
    for (int i = 1; i < n; i++) {
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
    }
    minMax[0] = min;
    minMax[1] = max;
  }

  @Override
  int padded(int n) {
    return n;
  }

  @Override
  void exponentiate(
      float[] sim,
      int rows,
      int cols,
      double shift,
      double invEps,
      double[] simOut,
      double[] kernel,
      int stride) {
    for (int s = 0; s < rows; s++) {
      int in = s * cols;
      int out = s * stride;
      for (int m = 0; m < cols; m++) {
        double x = sim[in + m];
        simOut[out + m] = x;
        kernel[out + m] = Math.exp((x - shift) * invEps);
      }
      for (int m = cols; m < stride; m++) {
        simOut[out + m] = 0.0;
        kernel[out + m] = 0.0;
      }
    }
  }

  @Override
  void multiply(double[] byColumn, int outStride, double[] x, int xLength, double[] out) {
    for (int i = 0; i < outStride; i++) {
      out[i] = 0.0;
    }
    for (int j = 0, base = 0; j < xLength; j++, base += outStride) {
      double xj = x[j];
      for (int i = 0; i < outStride; i++) {
        out[i] += byColumn[base + i] * xj;
      }
    }
  }

  @Override
  void divide(double[] numerator, double[] denominator, double[] out, int n) {
    for (int i = 0; i < n; i++) {
      out[i] = numerator[i] / denominator[i];
    }
  }

  @Override
  double maxError(double[] a, double[] b, double[] target, int n) {
    double max = 0.0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, Math.abs(a[i] * b[i] - target[i]));
    }
    return max;
  }

  @Override
  double flowSimilarity(
      double[] kernel, double[] sim, int rows, int stride, double[] r, double[] c) {
    double total = 0.0;
    for (int s = 0; s < rows; s++) {
      int base = s * stride;
      double row = 0.0;
      for (int m = 0; m < stride; m++) {
        row += kernel[base + m] * c[m] * sim[base + m];
      }
      total += r[s] * row;
    }
    return total;
  }
}
