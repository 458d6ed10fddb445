package org.facesearch.emd;

/**
 * The dense vector and matrix steps of a Sinkhorn solve, in two implementations: the Panama vector
 * API ({@link PanamaDenseOps}) and plain loops ({@link ScalarDenseOps}). Matrices are row-major
 * with a padded row stride ({@link #padded(int)}), the padding held at zero, so that the vector
 * implementation never needs a scalar tail inside the iteration.
 */
abstract class DenseOps {
  /** The vector implementation when {@link VectorSupport#ENABLED}, plain loops otherwise. */
  static final DenseOps DEFAULT =
      VectorSupport.ENABLED ? new PanamaDenseOps() : new ScalarDenseOps();

  /**
   * {@code minMax[0] = min(values[0..n))}, {@code minMax[1] = max(values[0..n))}; {@code n >= 1}.
   */
  abstract void range(float[] values, int n, float[] minMax);

  /** {@code n} rounded up to the stride this implementation wants for rows of length {@code n}. */
  abstract int padded(int n);

  /**
   * For {@code s < rows}, {@code m < stride}: {@code simOut[s*stride+m] = sim[s*cols+m]} and {@code
   * kernel[s*stride+m] = exp((sim[s*cols+m] - shift) * invEps)} when {@code m < cols}, both 0 in
   * the padding.
   */
  abstract void exponentiate(
      float[] sim,
      int rows,
      int cols,
      double shift,
      double invEps,
      double[] simOut,
      double[] kernel,
      int stride);

  /**
   * {@code out[i] = sum_{j < xLength} x[j] * byColumn[j * outStride + i]} for every {@code i <
   * outStride}: a matrix (stored column after column, each column padded to {@code outStride})
   * times a vector.
   */
  abstract void multiply(double[] byColumn, int outStride, double[] x, int xLength, double[] out);

  /** {@code out[i] = numerator[i] / denominator[i]} for {@code i < n}. */
  abstract void divide(double[] numerator, double[] denominator, double[] out, int n);

  /** {@code max_i |a[i] * b[i] - target[i]|} over {@code i < n}; NaN if any term is NaN. */
  abstract double maxError(double[] a, double[] b, double[] target, int n);

  /**
   * {@code sum_{s < rows} r[s] * sum_{m < stride} kernel[s*stride+m] * c[m] * sim[s*stride+m]}: the
   * transport plan's flow-weighted similarity. {@code c} must be finite in the padding.
   */
  abstract double flowSimilarity(
      double[] kernel, double[] sim, int rows, int stride, double[] r, double[] c);
}
