package org.facesearch.align;

/**
 * A similarity transform of the plane (rotation, uniform scale, translation; no shear, no
 * reflection): {@code x' = a x - b y + tx}, {@code y' = b x + a y + ty}, so the scale is {@code
 * sqrt(a^2 + b^2)} and the rotation {@code atan2(b, a)}.
 */
public final class SimilarityTransform {
  private final double a;
  private final double b;
  private final double tx;
  private final double ty;

  /** The transform with the given parameters (see the class comment). */
  public SimilarityTransform(double a, double b, double tx, double ty) {
    this.a = a;
    this.b = b;
    this.tx = tx;
    this.ty = ty;
  }

  /**
   * The least-squares similarity mapping points {@code src} onto {@code dst}: the transform
   * minimising {@code sum |T(src_i) - dst_i|^2}. In centred coordinates the problem is linear in
   * (a, b), which gives the closed form below; restricting the linear part to {@code [[a, -b], [b,
   * a]]} is what rules out reflection and shear.
   *
   * @param src interleaved x, y of n &gt;= 2 points
   * @param dst interleaved x, y of the n target points
   * @throws IllegalArgumentException when the arrays differ in length or all source points coincide
   */
  public static SimilarityTransform estimate(double[] src, double[] dst) {
    if (src.length != dst.length || src.length < 4 || src.length % 2 != 0) {
      throw new IllegalArgumentException(
          "need two equal lists of at least 2 points, got "
              + src.length / 2
              + " and "
              + dst.length / 2);
    }
    int n = src.length / 2;
    double mx = 0, my = 0, mu = 0, mv = 0;
    for (int i = 0; i < n; i++) {
      mx += src[2 * i];
      my += src[2 * i + 1];
      mu += dst[2 * i];
      mv += dst[2 * i + 1];
    }
    mx /= n;
    my /= n;
    mu /= n;
    mv /= n;
    double sxx = 0, num_a = 0, num_b = 0;
    for (int i = 0; i < n; i++) {
      double x = src[2 * i] - mx;
      double y = src[2 * i + 1] - my;
      double u = dst[2 * i] - mu;
      double v = dst[2 * i + 1] - mv;
      sxx += x * x + y * y;
      num_a += x * u + y * v;
      num_b += x * v - y * u;
    }
    if (!(sxx > 1e-12)) {
      throw new IllegalArgumentException("the source points all coincide; no transform fits them");
    }
    double a = num_a / sxx;
    double b = num_b / sxx;
    return new SimilarityTransform(a, b, mu - (a * mx - b * my), mv - (b * mx + a * my));
  }

  /** Maps (x, y); returns {x', y'}. */
  public double[] apply(double x, double y) {
    return new double[] {a * x - b * y + tx, b * x + a * y + ty};
  }

  /** The inverse transform (also a similarity). */
  public SimilarityTransform inverse() {
    double d = a * a + b * b;
    if (!(d > 0)) {
      throw new IllegalStateException("a transform with zero scale has no inverse");
    }
    double ia = a / d;
    double ib = -b / d;
    // x = M^-1 (x' - t): the translation of the inverse is -M^-1 t.
    return new SimilarityTransform(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
  }

  /** Parameter a = scale * cos(rotation). */
  public double a() {
    return a;
  }

  /** Parameter b = scale * sin(rotation). */
  public double b() {
    return b;
  }

  /** Translation along x. */
  public double tx() {
    return tx;
  }

  /** Translation along y. */
  public double ty() {
    return ty;
  }

  /** The uniform scale factor. */
  public double scale() {
    return Math.hypot(a, b);
  }

  /** The rotation angle in radians. */
  public double rotation() {
    return Math.atan2(b, a);
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "SimilarityTransform[scale=%.5f, rotation=%.5f rad, t=(%.3f, %.3f)]",
        scale(),
        rotation(),
        tx,
        ty);
  }
}
