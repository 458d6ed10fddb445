package org.facesearch.emd;

/**
 * The query's patches in whatever form a {@link PatchDotProduct} kernel wants them, built once per
 * query and used for every candidate.
 */
abstract class PreparedQuery {
  /** Number of query patches (columns of the similarity matrix). */
  abstract int count();

  /**
   * {@code out[s * count() + m] = <rows[s], q_m>} for {@code s < rowCount}, {@code m < count()}.
   */
  abstract void similarities(float[][] rows, int rowCount, float[] out);

  /** {@code out[m] = <a, q_m>} for {@code m < count()}. */
  abstract void dotsWithQuery(float[] a, float[] out);
}
