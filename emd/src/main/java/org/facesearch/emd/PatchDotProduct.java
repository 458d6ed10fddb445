package org.facesearch.emd;

import org.apache.lucene.util.VectorUtil;

/**
 * How the patch similarity matrix is computed: the hot path, 49 x 49 dot products of 512 floats per
 * candidate for the default model (1.2 million multiply-adds). docs/results/performance.md has the
 * measured cost of each.
 */
public enum PatchDotProduct {
  /**
   * The default: a register-blocked matrix product on the Panama vector API against the query
   * stored transposed (see {@link PanamaBlockedQuery}); no lane reductions, so results do not
   * change as the JIT warms up. Falls back to {@link #VECTOR_UTIL} when the JVM lacks {@code
   * jdk.incubator.vector} (OpenSearch adds it).
   */
  BLOCKED {
    @Override
    float dot(float[] a, float[] b) {
      checkLengths(a, b);
      return VectorSupport.ENABLED ? PanamaBlockedQuery.dot(a, b) : VectorUtil.dotProduct(a, b);
    }

    @Override
    void dots(float[] a, float[][] cells, int count, float[] out) {
      if (VectorSupport.ENABLED) {
        PanamaBlockedQuery.dots(a, cells, count, out);
      } else {
        VECTOR_UTIL.dots(a, cells, count, out);
      }
    }

    @Override
    PreparedQuery prepare(float[][] cells, int count) {
      return VectorSupport.ENABLED
          ? new PanamaBlockedQuery(cells, count)
          : VECTOR_UTIL.prepare(cells, count);
    }
  },

  /**
   * One Lucene {@link VectorUtil#dotProduct} per pair: SIMD through the Panama vector API when the
   * JVM has it, but one pair at a time, which is bound by loading both vectors for every
   * multiply-add.
   */
  VECTOR_UTIL {
    @Override
    float dot(float[] a, float[] b) {
      return VectorUtil.dotProduct(a, b);
    }
  },

  /**
   * A plain sequential loop. It exists to measure what SIMD buys; the JIT cannot vectorise it
   * because Java fixes the order of floating-point additions.
   */
  SCALAR {
    @Override
    float dot(float[] a, float[] b) {
      checkLengths(a, b);
      float sum = 0f;
      for (int i = 0; i < a.length; i++) {
        sum += a[i] * b[i];
      }
      return sum;
    }
  };

  private static void checkLengths(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vector dimensions differ: " + a.length + " != " + b.length);
    }
  }

  /** Dot product of two equally long vectors. */
  abstract float dot(float[] a, float[] b);

  /** {@code out[i] = <a, cells[i]>} for {@code i < count}. */
  void dots(float[] a, float[][] cells, int count, float[] out) {
    for (int i = 0; i < count; i++) {
      out[i] = dot(a, cells[i]);
    }
  }

  /** The query's cells prepared for this kernel; done once per query. */
  PreparedQuery prepare(float[][] cells, int count) {
    return new PairwiseQuery(this, cells, count);
  }
}
