package org.facesearch.emd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The similarity matrix as a register-blocked matrix product on the Panama vector API. The query is
 * stored transposed once ({@code [dim][cell]}), so a vector holds one dimension of L consecutive
 * query cells; a block of 4 candidate cells x 3 vectors of query cells keeps 12 accumulators in
 * registers and, per dimension, broadcasts 4 candidate values and loads 3 query vectors for 12
 * multiply-adds. Each lane accumulates one similarity over the dimensions in order, so there is no
 * lane reduction at all: the result does not depend on whether the JIT has compiled the loop yet (a
 * vector {@code reduceLanes(ADD)} may change its order when it does).
 *
 * <p>Measured on the 49 x 49 x 512 matrices of the default model (docs/results/performance.md) this
 * is about 4.5 times faster than one Lucene {@code VectorUtil.dotProduct} per pair, which is bound
 * by loading both vectors for every multiply-add. Query cells past the last whole vector (the 49th
 * of 49 with 16 lanes) and candidate cells past the last block of 4 use {@link #dot}. Only loaded
 * when {@link VectorSupport#ENABLED}.
 */
final class PanamaBlockedQuery extends PreparedQuery {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  // Shuffles exchanging blocks of 8, 4, 2 and 1 lanes (i -> i ^ k), for the fixed-order lane sum.
  private static final VectorShuffle<Float> SWAP8 = swap(8);
  private static final VectorShuffle<Float> SWAP4 = swap(4);
  private static final VectorShuffle<Float> SWAP2 = swap(2);
  private static final VectorShuffle<Float> SWAP1 = swap(1);

  private final float[][] cells;
  private final int count;
  private final int dims;

  /** Query cells covered by whole vectors: {@code (count / L) * L}. */
  private final int full;

  /** {@code transposed[d * full + m] = q_m[d]} for {@code m < full}. */
  private final float[] transposed;

  PanamaBlockedQuery(float[][] cells, int count) {
    this.cells = cells;
    this.count = count;
    this.dims = cells[0].length;
    this.full = count / L * L;
    this.transposed = new float[dims * full];
    for (int m = 0; m < full; m++) {
      float[] q = cells[m];
      for (int d = 0; d < dims; d++) {
        transposed[d * full + m] = q[d];
      }
    }
  }

  /** The JVM's preferred vector size in bits (512 with AVX-512, 256 with AVX2). */
  static int preferredBitSize() {
    return F.vectorBitSize();
  }

  private static VectorShuffle<Float> swap(int k) {
    // Species narrower than 2k lanes never use this shuffle; keep it a valid identity there.
    return VectorShuffle.fromOp(F, i -> 2 * k <= L ? i ^ k : i);
  }

  /**
   * The sum of a vector's lanes in a fixed pairwise order (lane-wise adds and shuffles are exact).
   */
  static float sum(FloatVector v) {
    if (L >= 16) {
      v = v.add(v.rearrange(SWAP8));
    }
    if (L >= 8) {
      v = v.add(v.rearrange(SWAP4));
    }
    if (L >= 4) {
      v = v.add(v.rearrange(SWAP2));
    }
    if (L >= 2) {
      v = v.add(v.rearrange(SWAP1));
    }
    return v.lane(0);
  }

  /** One dot product of equally long vectors, its lane sum in a fixed order (see {@link #sum}). */
  static float dot(float[] a, float[] b) {
    FloatVector acc = FloatVector.zero(F);
    int bound = F.loopBound(a.length);
    int i = 0;
    for (; i < bound; i += L) {
      acc = FloatVector.fromArray(F, a, i).fma(FloatVector.fromArray(F, b, i), acc);
    }
    float s = sum(acc);
    for (; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Override
  int count() {
    return count;
  }

  @Override
  void similarities(float[][] rows, int rowCount, float[] out) {
    int s = 0;
    for (; s + 4 <= rowCount; s += 4) {
      float[] g0 = rows[s];
      float[] g1 = rows[s + 1];
      float[] g2 = rows[s + 2];
      float[] g3 = rows[s + 3];
      int o = s * count;
      int m = 0;
      for (; m + 3 * L <= full; m += 3 * L) {
        block4x3(g0, g1, g2, g3, m, out, o + m);
      }
      if (m + 2 * L <= full) {
        block4x2(g0, g1, g2, g3, m, out, o + m);
        m += 2 * L;
      } else if (m + L <= full) {
        block4x1(g0, g1, g2, g3, m, out, o + m);
        m += L;
      }
      for (; m < count; m++) {
        dots4(cells[m], g0, g1, g2, g3, out, o + m, count);
      }
    }
    for (; s < rowCount; s++) {
      dotsWithQuery(rows[s], out, s * count);
    }
  }

  @Override
  void dotsWithQuery(float[] a, float[] out) {
    dotsWithQuery(a, out, 0);
  }

  private void dotsWithQuery(float[] a, float[] out, int offset) {
    final float[] t = transposed;
    int m = 0;
    // Two query vectors at a time, each summed as even and odd dimensions: four independent
    // accumulator chains instead of one multiply-add latency per dimension.
    for (; m + 2 * L <= full; m += 2 * L) {
      FloatVector e0 = FloatVector.zero(F);
      FloatVector o0 = e0;
      FloatVector e1 = e0;
      FloatVector o1 = e0;
      int d = 0;
      for (int base = m; d + 1 < dims; d += 2, base += 2 * full) {
        FloatVector x = FloatVector.broadcast(F, a[d]);
        e0 = x.fma(FloatVector.fromArray(F, t, base), e0);
        e1 = x.fma(FloatVector.fromArray(F, t, base + L), e1);
        x = FloatVector.broadcast(F, a[d + 1]);
        o0 = x.fma(FloatVector.fromArray(F, t, base + full), o0);
        o1 = x.fma(FloatVector.fromArray(F, t, base + full + L), o1);
      }
      if (d < dims) {
        FloatVector x = FloatVector.broadcast(F, a[d]);
        e0 = x.fma(FloatVector.fromArray(F, t, d * full + m), e0);
        e1 = x.fma(FloatVector.fromArray(F, t, d * full + m + L), e1);
      }
      e0.add(o0).intoArray(out, offset + m);
      e1.add(o1).intoArray(out, offset + m + L);
    }
    for (; m < full; m += L) {
      FloatVector acc = FloatVector.zero(F);
      for (int d = 0, base = m; d < dims; d++, base += full) {
        acc = FloatVector.broadcast(F, a[d]).fma(FloatVector.fromArray(F, t, base), acc);
      }
      acc.intoArray(out, offset + m);
    }
    for (; m < count; m++) {
      out[offset + m] = dot(a, cells[m]);
    }
  }

  /**
   * {@code out[i] = <a, cells[i]>} for {@code i < count}, four cells at a time (four independent
   * accumulators sharing each load of {@code a}).
   */
  static void dots(float[] a, float[][] cells, int count, float[] out) {
    int i = 0;
    for (; i + 4 <= count; i += 4) {
      dots4(a, cells[i], cells[i + 1], cells[i + 2], cells[i + 3], out, i, 1);
    }
    for (; i < count; i++) {
      out[i] = dot(a, cells[i]);
    }
  }

  /**
   * {@code out[o + k * step] = <a, bk>} for k = 0..3, lane sums in the fixed order of {@link #sum}.
   */
  private static void dots4(
      float[] a, float[] b0, float[] b1, float[] b2, float[] b3, float[] out, int o, int step) {
    FloatVector s0 = FloatVector.zero(F);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    int bound = F.loopBound(a.length);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector x = FloatVector.fromArray(F, a, i);
      s0 = x.fma(FloatVector.fromArray(F, b0, i), s0);
      s1 = x.fma(FloatVector.fromArray(F, b1, i), s1);
      s2 = x.fma(FloatVector.fromArray(F, b2, i), s2);
      s3 = x.fma(FloatVector.fromArray(F, b3, i), s3);
    }
    float r0 = sum(s0);
    float r1 = sum(s1);
    float r2 = sum(s2);
    float r3 = sum(s3);
    for (; i < a.length; i++) {
      r0 += a[i] * b0[i];
      r1 += a[i] * b1[i];
      r2 += a[i] * b2[i];
      r3 += a[i] * b3[i];
    }
    out[o] = r0;
    out[o + step] = r1;
    out[o + 2 * step] = r2;
    out[o + 3 * step] = r3;
  }

  private void block4x3(float[] g0, float[] g1, float[] g2, float[] g3, int m, float[] out, int o) {
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a12 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a22 = a00;
    FloatVector a30 = a00;
    FloatVector a31 = a00;
    FloatVector a32 = a00;
    final float[] t = transposed;
    for (int d = 0, base = m; d < dims; d++, base += full) {
      FloatVector y0 = FloatVector.fromArray(F, t, base);
      FloatVector y1 = FloatVector.fromArray(F, t, base + L);
      FloatVector y2 = FloatVector.fromArray(F, t, base + 2 * L);
      FloatVector x = FloatVector.broadcast(F, g0[d]);
      a00 = x.fma(y0, a00);
      a01 = x.fma(y1, a01);
      a02 = x.fma(y2, a02);
      x = FloatVector.broadcast(F, g1[d]);
      a10 = x.fma(y0, a10);
      a11 = x.fma(y1, a11);
      a12 = x.fma(y2, a12);
      x = FloatVector.broadcast(F, g2[d]);
      a20 = x.fma(y0, a20);
      a21 = x.fma(y1, a21);
      a22 = x.fma(y2, a22);
      x = FloatVector.broadcast(F, g3[d]);
      a30 = x.fma(y0, a30);
      a31 = x.fma(y1, a31);
      a32 = x.fma(y2, a32);
    }
    a00.intoArray(out, o);
    a01.intoArray(out, o + L);
    a02.intoArray(out, o + 2 * L);
    o += count;
    a10.intoArray(out, o);
    a11.intoArray(out, o + L);
    a12.intoArray(out, o + 2 * L);
    o += count;
    a20.intoArray(out, o);
    a21.intoArray(out, o + L);
    a22.intoArray(out, o + 2 * L);
    o += count;
    a30.intoArray(out, o);
    a31.intoArray(out, o + L);
    a32.intoArray(out, o + 2 * L);
  }

  private void block4x2(float[] g0, float[] g1, float[] g2, float[] g3, int m, float[] out, int o) {
    FloatVector a00 = FloatVector.zero(F);
    FloatVector a01 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a30 = a00;
    FloatVector a31 = a00;
    final float[] t = transposed;
    for (int d = 0, base = m; d < dims; d++, base += full) {
      FloatVector y0 = FloatVector.fromArray(F, t, base);
      FloatVector y1 = FloatVector.fromArray(F, t, base + L);
      FloatVector x = FloatVector.broadcast(F, g0[d]);
      a00 = x.fma(y0, a00);
      a01 = x.fma(y1, a01);
      x = FloatVector.broadcast(F, g1[d]);
      a10 = x.fma(y0, a10);
      a11 = x.fma(y1, a11);
      x = FloatVector.broadcast(F, g2[d]);
      a20 = x.fma(y0, a20);
      a21 = x.fma(y1, a21);
      x = FloatVector.broadcast(F, g3[d]);
      a30 = x.fma(y0, a30);
      a31 = x.fma(y1, a31);
    }
    a00.intoArray(out, o);
    a01.intoArray(out, o + L);
    o += count;
    a10.intoArray(out, o);
    a11.intoArray(out, o + L);
    o += count;
    a20.intoArray(out, o);
    a21.intoArray(out, o + L);
    o += count;
    a30.intoArray(out, o);
    a31.intoArray(out, o + L);
  }

  private void block4x1(float[] g0, float[] g1, float[] g2, float[] g3, int m, float[] out, int o) {
    FloatVector a0 = FloatVector.zero(F);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    final float[] t = transposed;
    for (int d = 0, base = m; d < dims; d++, base += full) {
      FloatVector y = FloatVector.fromArray(F, t, base);
      a0 = FloatVector.broadcast(F, g0[d]).fma(y, a0);
      a1 = FloatVector.broadcast(F, g1[d]).fma(y, a1);
      a2 = FloatVector.broadcast(F, g2[d]).fma(y, a2);
      a3 = FloatVector.broadcast(F, g3[d]).fma(y, a3);
    }
    a0.intoArray(out, o);
    a1.intoArray(out, o + count);
    a2.intoArray(out, o + 2 * count);
    a3.intoArray(out, o + 3 * count);
  }
}
