package org.facesearch.emd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DenseOps} on the Panama vector API. Only loaded when {@link VectorSupport} found the
 * module. Measured on the 49 x 49 problems of the default model, the plain loops are not vectorised
 * by the JIT (two double arrays may alias, and reductions keep their order), while here a
 * matrix-vector product keeps its output chunks in registers and {@code exp} uses the JIT's vector
 * intrinsic: several times faster per Sinkhorn iteration (see docs/emd.md).
 */
final class PanamaDenseOps extends DenseOps {
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

  /** Floats in the same lane count as {@link #D}, to widen the float similarities. */
  private static final VectorSpecies<Float> F =
      FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(D.vectorBitSize() / 2));

  private static final int L = D.length();

  /**
   * Whether the vector {@code exp} works in this JVM. JDK 25 finds its native vector math routine
   * by a symbol name formatted with the default locale, so under a locale with other digits (fa,
   * ar, ...) the first vector {@code exp} throws {@link InternalError} ("Symbol not found:
   * __jsvml_exp8_ha_z0" with Persian digits) and would kill the search thread. Probed once here;
   * where it fails, {@code exp} runs as {@link Math#exp} lane by lane (same values to the last bit
   * or so, slower), everything else stays vectorised.
   */
  static final boolean VECTOR_EXP = vectorExpWorks();

  private final boolean vectorExp;

  PanamaDenseOps() {
    this(VECTOR_EXP);
  }

  /**
   * With {@code vectorExp} false, {@code exp} runs lane by lane even where the vector one works
   * (tests).
   */
  PanamaDenseOps(boolean vectorExp) {
    this.vectorExp = vectorExp;
  }

  private static boolean vectorExpWorks() {
    try {
      double[] out = new double[L];
      DoubleVector.broadcast(D, -1.0).lanewise(VectorOperators.EXP).intoArray(out, 0);
      return Math.abs(out[0] - Math.exp(-1.0)) < 1e-12;
    } catch (InternalError e) {
      System.getLogger(PanamaDenseOps.class.getName())
          .log(
              System.Logger.Level.WARNING,
              "the JDK's vector exp is not usable here ("
                  + e.getMessage()
                  + "); EMD computes exp lane by lane");
      return false;
    }
  }

  @Override
  void range(float[] values, int n, float[] minMax) {
    // Min and max are exact, so unlike sums their lane order does not matter.
    VectorSpecies<Float> f = FloatVector.SPECIES_PREFERRED;
    int bound = f.loopBound(n);
    float min = values[0];
    float max = values[0];
    if (bound > 0) {
      FloatVector lo = FloatVector.fromArray(f, values, 0);
      FloatVector hi = lo;
      for (int i = f.length(); i < bound; i += f.length()) {
        FloatVector v = FloatVector.fromArray(f, values, i);
        lo = lo.min(v);
        hi = hi.max(v);
      }
      min = lo.reduceLanes(VectorOperators.MIN);
      max = hi.reduceLanes(VectorOperators.MAX);
    }
    for (int i = bound; i < n; i++) {
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
    }
    minMax[0] = min;
    minMax[1] = max;
  }

  @Override
  int padded(int n) {
    return (n + L - 1) / L * L;
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
      for (int m = 0; m < stride; m += L) {
        // Lanes past the row's end load as 0 and are stored as 0: the zero padding.
        VectorMask<Float> valid = F.indexInRange(m, cols);
        DoubleVector x =
            (DoubleVector)
                FloatVector.fromArray(F, sim, in + m, valid)
                    .convertShape(VectorOperators.F2D, D, 0);
        x.intoArray(simOut, out + m);
        if (vectorExp) {
          DoubleVector k = x.sub(shift).mul(invEps).lanewise(VectorOperators.EXP);
          k.blend(0.0, D.indexInRange(m, cols).not()).intoArray(kernel, out + m);
        } else {
          for (int lane = 0; lane < L; lane++) {
            kernel[out + m + lane] =
                m + lane < cols ? Math.exp((simOut[out + m + lane] - shift) * invEps) : 0.0;
          }
        }
      }
    }
  }

  @Override
  void multiply(double[] byColumn, int outStride, double[] x, int xLength, double[] out) {
    int chunk = 0;
    // Four output chunks at a time stay in registers across the whole column sweep.
    for (; chunk + 4 * L <= outStride; chunk += 4 * L) {
      DoubleVector a0 = DoubleVector.zero(D);
      DoubleVector a1 = a0;
      DoubleVector a2 = a0;
      DoubleVector a3 = a0;
      for (int j = 0, base = chunk; j < xLength; j++, base += outStride) {
        DoubleVector xj = DoubleVector.broadcast(D, x[j]);
        a0 = DoubleVector.fromArray(D, byColumn, base).fma(xj, a0);
        a1 = DoubleVector.fromArray(D, byColumn, base + L).fma(xj, a1);
        a2 = DoubleVector.fromArray(D, byColumn, base + 2 * L).fma(xj, a2);
        a3 = DoubleVector.fromArray(D, byColumn, base + 3 * L).fma(xj, a3);
      }
      a0.intoArray(out, chunk);
      a1.intoArray(out, chunk + L);
      a2.intoArray(out, chunk + 2 * L);
      a3.intoArray(out, chunk + 3 * L);
    }
    for (; chunk + 2 * L <= outStride; chunk += 2 * L) {
      DoubleVector a0 = DoubleVector.zero(D);
      DoubleVector a1 = a0;
      for (int j = 0, base = chunk; j < xLength; j++, base += outStride) {
        DoubleVector xj = DoubleVector.broadcast(D, x[j]);
        a0 = DoubleVector.fromArray(D, byColumn, base).fma(xj, a0);
        a1 = DoubleVector.fromArray(D, byColumn, base + L).fma(xj, a1);
      }
      a0.intoArray(out, chunk);
      a1.intoArray(out, chunk + L);
    }
    for (; chunk < outStride; chunk += L) {
      DoubleVector a0 = DoubleVector.zero(D);
      for (int j = 0, base = chunk; j < xLength; j++, base += outStride) {
        a0 = DoubleVector.fromArray(D, byColumn, base).fma(DoubleVector.broadcast(D, x[j]), a0);
      }
      a0.intoArray(out, chunk);
    }
  }

  @Override
  void divide(double[] numerator, double[] denominator, double[] out, int n) {
    for (int i = 0; i < n; i += L) {
      VectorMask<Double> valid = D.indexInRange(i, n);
      DoubleVector.fromArray(D, numerator, i, valid)
          .div(DoubleVector.fromArray(D, denominator, i, valid))
          .intoArray(out, i, valid);
    }
  }

  @Override
  double maxError(double[] a, double[] b, double[] target, int n) {
    DoubleVector max = DoubleVector.zero(D);
    for (int i = 0; i < n; i += L) {
      // Lanes past n load as 0 and contribute |0 * 0 - 0| = 0.
      VectorMask<Double> valid = D.indexInRange(i, n);
      DoubleVector err =
          DoubleVector.fromArray(D, a, i, valid)
              .mul(DoubleVector.fromArray(D, b, i, valid))
              .sub(DoubleVector.fromArray(D, target, i, valid))
              .abs();
      max = max.max(err);
    }
    return max.reduceLanes(VectorOperators.MAX);
  }

  @Override
  double flowSimilarity(
      double[] kernel, double[] sim, int rows, int stride, double[] r, double[] c) {
    DoubleVector total = DoubleVector.zero(D);
    for (int s = 0; s < rows; s++) {
      int base = s * stride;
      DoubleVector rs = DoubleVector.broadcast(D, r[s]);
      for (int m = 0; m < stride; m += L) {
        DoubleVector flow =
            DoubleVector.fromArray(D, kernel, base + m).mul(DoubleVector.fromArray(D, c, m));
        total = flow.mul(DoubleVector.fromArray(D, sim, base + m)).fma(rs, total);
      }
    }
    // Lanes summed in index order, not by reduceLanes(ADD), whose order the JIT may change
    // once it compiles this method (see PanamaBlockedQuery.sum).
    double sum = 0.0;
    for (int i = 0; i < L; i++) {
      sum += total.lane(i);
    }
    return sum;
  }
}
