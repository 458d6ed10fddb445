package org.facesearch.vectors;

import org.apache.lucene.util.VectorUtil;

/**
 * Vectors scaled to unit length, the form every embedding, patch cell and centroid takes (cosine is
 * then a dot product). Lengths of float vectors come from Lucene's {@link VectorUtil#dotProduct}
 * (SIMD, float accumulation: a face vector's length to about 1e-7). Two computations accumulate in
 * double instead, each for the reason given on its method.
 */
public final class UnitVectors {

  private UnitVectors() {}

  /** The Euclidean length of {@code v}, from Lucene's dot product. */
  public static float length(float[] v) {
    return (float) Math.sqrt(VectorUtil.dotProduct(v, v));
  }

  /**
   * Scales {@code v} in place to unit length and returns its length before; a zero or non-finite
   * length leaves {@code v} as it was. For vectors a model computed, whose scale is bounded.
   */
  public static float normalise(float[] v) {
    float length = length(v);
    if (length > 0 && length < Float.POSITIVE_INFINITY) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= length;
      }
    }
    return length;
  }

  /**
   * A unit-length copy of a vector someone gave (an embedding in a document or a query), or null
   * when it is zero or not finite. Accumulates in double: a given vector may have any scale, and
   * the float squares of {@link VectorUtil} overflow above about 1.8e19 and vanish below about
   * 1e-19.
   */
  public static float[] unitCopy(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (!(sum > 0) || sum == Double.POSITIVE_INFINITY) {
      return null;
    }
    double length = Math.sqrt(sum);
    float[] unit = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      unit[i] = (float) (v[i] / length);
    }
    return unit;
  }

  /** The Euclidean length of a sum kept in double (see {@link #unit(double[])}). */
  public static double length(double[] sum) {
    double s = 0;
    for (double x : sum) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  /**
   * The unit vector along {@code sum}, or null when the sum is zero. For sums of many vectors (a
   * template of several faces, a centroid of thousands, the centre of a patch map), which are kept
   * in double so that adding the thousandth vector is as exact as adding the first.
   */
  public static float[] unit(double[] sum) {
    double length = length(sum);
    if (!(length > 0) || length == Double.POSITIVE_INFINITY) {
      return null;
    }
    float[] unit = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      unit[i] = (float) (sum[i] / length);
    }
    return unit;
  }
}
