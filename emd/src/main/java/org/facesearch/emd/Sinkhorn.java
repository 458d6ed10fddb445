package org.facesearch.emd;

import java.util.function.BooleanSupplier;

/**
 * Entropic optimal transport between the candidate's patches (rows) and the query's (columns) by
 * Sinkhorn's matrix scaling (docs/algorithms.md section 3): {@code K = exp(-D/eps)} with ground
 * cost {@code D = 1 - S}; starting from {@code r = 1, c = 1} repeat {@code r = u / (K c)}, {@code c
 * = v / (K^T r)} until the largest marginal error of {@code T = diag(r) K diag(c)} is below the
 * tolerance or the iteration budget is spent.
 *
 * <p>Everything after the float similarity matrix is computed in double: the kernel spans {@code
 * e^-40} to 1 at the default epsilon, the scalings span the inverse range, and marginal errors of
 * 1e-4 must be resolved on sums of 49 terms.
 *
 * <p>Stability: multiplying {@code K} by a constant is absorbed by {@code r}, so the kernel is
 * built as {@code exp((S - max S)/eps)}, whose entries lie in (0, 1]. While {@code (max S - min
 * S)/eps <= }{@link #MAX_KERNEL_EXPONENT} every entry is at least {@code e^-100} and the scalings
 * stay far inside double range; beyond that (epsilon below about 0.02), or if a non-finite value
 * ever appears, the same iteration runs on log-scalings with log-sum-exp, which is exact for any
 * epsilon but costs an {@code exp} per matrix entry per iteration.
 *
 * <p>Holds its buffers between calls (one instance per query, not thread-safe); nothing else
 * carries over, so a candidate's result never depends on what was solved before.
 */
final class Sinkhorn {
  /**
   * Largest {@code (max S - min S) / eps} solved with an explicit kernel; see the class javadoc.
   */
  static final double MAX_KERNEL_EXPONENT = 100.0;

  /**
   * Iterations between two questions to the caller's stop hook: often enough that a stop is seen
   * within microseconds on the kernel path and about half a millisecond in log space (7x7), rarely
   * enough that asking costs nothing measurable.
   */
  static final int STOP_CHECK_INTERVAL = 8;

  /** A stop hook that never stops. */
  static final BooleanSupplier NEVER = () -> false;

  private final DenseOps ops;
  private final float[] minMax = new float[2];

  // Kernel path: rows padded to the vector width, padding held at zero (see DenseOps).
  private double[] simPadded = new double[0]; // rows x colStride
  private double[] kernel = new double[0]; // rows x colStride: K, row-major, for K^T r
  private double[] kernelT = new double[0]; // cols x rowStride: K column-major, for K c
  private double[] r = new double[0];
  private double[] kc = new double[0];
  private double[] c = new double[0];
  private double[] ktr = new double[0];

  private float[] sim;
  private int rows;
  private int cols;
  private int colStride;
  private double sMax;
  private double invEps;
  private boolean logDomain;
  private int iterations;
  private boolean converged;
  private double error;

  Sinkhorn() {
    this(DenseOps.DEFAULT);
  }

  Sinkhorn(DenseOps ops) {
    this.ops = ops;
  }

  /**
   * Solves one transport problem and returns the EMD similarity {@code sum T[s,m] * S[s,m]}.
   *
   * @param sim the similarity matrix, {@code rows x cols} row-major; held until the next call
   * @param u the row (candidate) marginal, non-negative, with positive sum
   * @param v the column (query) marginal, non-negative, with positive sum
   * @param stop asked every {@link #STOP_CHECK_INTERVAL} iterations; when it answers true the solve
   *     ends with {@link SolveStoppedException} and no result
   */
  double solve(
      float[] sim,
      int rows,
      int cols,
      double[] u,
      double[] v,
      double epsilon,
      double tolerance,
      int maxIterations,
      BooleanSupplier stop) {
    this.sim = sim;
    this.rows = rows;
    this.cols = cols;
    this.invEps = 1.0 / epsilon;
    this.colStride = ops.padded(cols);
    int rowStride = ops.padded(rows);
    ensureCapacity(rows, cols, rowStride, colStride);

    ops.range(sim, rows * cols, minMax);
    float min = minMax[0];
    float max = minMax[1];
    sMax = max;

    if ((max - min) * invEps <= MAX_KERNEL_EXPONENT) {
      logDomain = false;
      double emd = solveWithKernel(u, v, tolerance, maxIterations, rowStride, stop);
      if (Double.isFinite(emd) && Double.isFinite(error)) {
        return emd;
      }
    }
    // Either the kernel would underflow or it produced a non-finite value: redo in log space.
    logDomain = true;
    return solveInLogSpace(u, v, tolerance, maxIterations, stop);
  }

  /** Iterations (pairs of r and c updates) the last solve used. */
  int iterations() {
    return iterations;
  }

  /** Whether the last solve reached the tolerance. */
  boolean converged() {
    return converged;
  }

  /** The largest marginal error of the plan the last solve returned. */
  double marginalError() {
    return error;
  }

  /** Whether the last solve ran in log space. */
  boolean usedLogDomain() {
    return logDomain;
  }

  /** Entry {@code T[s,m]} of the last solve's transport plan. */
  double plan(int s, int m) {
    if (logDomain) {
      double lr = r[s];
      double lc = c[m];
      if (lr == Double.NEGATIVE_INFINITY || lc == Double.NEGATIVE_INFINITY) {
        return 0.0;
      }
      return Math.exp(logKernel(s * cols + m) + lr + lc);
    }
    return r[s] * kernel[s * colStride + m] * c[m];
  }

  private double logKernel(int index) {
    return (sim[index] - sMax) * invEps;
  }

  private void ensureCapacity(int rows, int cols, int rowStride, int colStride) {
    int n = Math.max(rows * colStride, cols * rowStride);
    if (kernel.length < n) {
      simPadded = new double[n];
      kernel = new double[n];
      kernelT = new double[n];
    }
    int side = Math.max(rowStride, colStride);
    if (r.length < side) {
      r = new double[side];
      kc = new double[side];
      c = new double[side];
      ktr = new double[side];
    }
  }

  private double solveWithKernel(
      double[] u,
      double[] v,
      double tolerance,
      int maxIterations,
      int rowStride,
      BooleanSupplier stop) {
    final int rows = this.rows;
    final int cols = this.cols;
    final int colStride = this.colStride;
    final double[] kernel = this.kernel;
    final double[] kernelT = this.kernelT;
    final double[] r = this.r;
    final double[] c = this.c;
    final double[] kc = this.kc;
    final double[] ktr = this.ktr;

    // K is computed once per pair, then copied column-major so that both K c and K^T r are
    // sweeps over contiguous columns.
    ops.exponentiate(sim, rows, cols, sMax, invEps, simPadded, kernel, colStride);
    for (int m = 0; m < cols; m++) {
      int base = m * rowStride;
      for (int s = 0; s < rows; s++) {
        kernelT[base + s] = kernel[s * colStride + m];
      }
      for (int s = rows; s < rowStride; s++) {
        kernelT[base + s] = 0.0;
      }
    }

    for (int m = 0; m < colStride; m++) {
      c[m] = m < cols ? 1.0 : 0.0; // zero padding keeps the final flow sum finite
    }
    ops.multiply(kernelT, rowStride, c, cols, kc);

    iterations = 0;
    converged = false;
    error = Double.POSITIVE_INFINITY;
    while (iterations < maxIterations) {
      checkStop(stop);
      iterations++;
      ops.divide(u, kc, r, rows);
      ops.multiply(kernel, colStride, r, rows, ktr);
      ops.divide(v, ktr, c, cols);
      // Zero up to rounding by construction, but measured rather than assumed.
      double colError = ops.maxError(c, ktr, v, cols);
      // K c is both the row-marginal check now and the next r update's denominator.
      ops.multiply(kernelT, rowStride, c, cols, kc);
      double rowError = ops.maxError(r, kc, u, rows);
      error = Math.max(rowError, colError);
      if (!(error < Double.POSITIVE_INFINITY)) {
        return Double.NaN; // NaN or overflow: the caller switches to log space
      }
      if (error < tolerance) {
        converged = true;
        break;
      }
    }
    return ops.flowSimilarity(kernel, simPadded, rows, colStride, r, c);
  }

  /**
   * The same iteration with {@code r} and {@code c} holding log-scalings: {@code log r_s = log u_s
   * - LSE_m(logK[s,m] + log c_m)} and symmetrically for {@code c}. Patches with zero weight get
   * log-scaling -infinity (no mass) and are skipped, which also keeps -inf - -inf out.
   */
  private double solveInLogSpace(
      double[] u, double[] v, double tolerance, int maxIterations, BooleanSupplier stop) {
    final int rows = this.rows;
    final int cols = this.cols;
    final double[] logR = this.r;
    final double[] logC = this.c;
    final double[] rowLse = this.kc; // LSE_m(logK[s,m] + log c_m), reused as in the kernel path
    final double[] colLse = this.ktr;

    for (int m = 0; m < cols; m++) {
      logC[m] = 0.0;
    }
    rowLogSumExp(logC, rowLse);

    iterations = 0;
    converged = false;
    error = Double.POSITIVE_INFINITY;
    while (iterations < maxIterations) {
      checkStop(stop);
      iterations++;
      for (int s = 0; s < rows; s++) {
        logR[s] = u[s] > 0.0 ? Math.log(u[s]) - rowLse[s] : Double.NEGATIVE_INFINITY;
      }
      columnLogSumExp(logR, colLse);
      double colError = 0.0;
      for (int m = 0; m < cols; m++) {
        if (v[m] > 0.0) {
          logC[m] = Math.log(v[m]) - colLse[m];
          colError = Math.max(colError, Math.abs(Math.exp(logC[m] + colLse[m]) - v[m]));
        } else {
          logC[m] = Double.NEGATIVE_INFINITY;
        }
      }
      rowLogSumExp(logC, rowLse);
      double rowError = 0.0;
      for (int s = 0; s < rows; s++) {
        double mass = logR[s] == Double.NEGATIVE_INFINITY ? 0.0 : Math.exp(logR[s] + rowLse[s]);
        rowError = Math.max(rowError, Math.abs(mass - u[s]));
      }
      error = Math.max(rowError, colError);
      if (error < tolerance) {
        converged = true;
        break;
      }
    }

    double emd = 0.0;
    for (int s = 0; s < rows; s++) {
      for (int m = 0; m < cols; m++) {
        double t = plan(s, m);
        emd += t * sim[s * cols + m];
      }
    }
    return emd;
  }

  /**
   * Asks {@code stop} before every {@link #STOP_CHECK_INTERVAL}-th iteration (the first included).
   */
  private void checkStop(BooleanSupplier stop) {
    if (iterations % STOP_CHECK_INTERVAL == 0 && stop.getAsBoolean()) {
      throw new SolveStoppedException(iterations);
    }
  }

  /** {@code out[s] = LSE_m(logK[s,m] + logC[m])} over the columns with finite log-scaling. */
  private void rowLogSumExp(double[] logC, double[] out) {
    for (int s = 0; s < rows; s++) {
      int base = s * cols;
      double max = Double.NEGATIVE_INFINITY;
      for (int m = 0; m < cols; m++) {
        if (logC[m] != Double.NEGATIVE_INFINITY) {
          max = Math.max(max, logKernel(base + m) + logC[m]);
        }
      }
      double sum = 0.0;
      for (int m = 0; m < cols; m++) {
        if (logC[m] != Double.NEGATIVE_INFINITY) {
          sum += Math.exp(logKernel(base + m) + logC[m] - max);
        }
      }
      out[s] = max + Math.log(sum);
    }
  }

  /** {@code out[m] = LSE_s(logK[s,m] + logR[s])} over the rows with finite log-scaling. */
  private void columnLogSumExp(double[] logR, double[] out) {
    for (int m = 0; m < cols; m++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int s = 0; s < rows; s++) {
        if (logR[s] != Double.NEGATIVE_INFINITY) {
          max = Math.max(max, logKernel(s * cols + m) + logR[s]);
        }
      }
      double sum = 0.0;
      for (int s = 0; s < rows; s++) {
        if (logR[s] != Double.NEGATIVE_INFINITY) {
          sum += Math.exp(logKernel(s * cols + m) + logR[s] - max);
        }
      }
      out[m] = max + Math.log(sum);
    }
  }
}
