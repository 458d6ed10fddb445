package org.facesearch.emd;

/**
 * How much mass each patch carries into the transport problem (docs/algorithms.md section 3). Every
 * weight vector is divided by (its sum + 1e-7) afterwards; a side whose weights sum to
 * (numerically) zero falls back to {@link #UNIFORM} and the result says so.
 *
 * <p>Notation: {@code g_s} are the candidate's patches, {@code q_m} the query's, {@code u} the
 * candidate-side weights and {@code v} the query-side weights.
 */
public enum Weighting {
  /**
   * Attention via the other face's centre: {@code u_s = max(0, <centre_q, g_s>)}, {@code v_m =
   * max(0, <centre_g, q_m>)}.
   */
  APC("apc"),
  /** Every patch the same: {@code u_s = 1/M}, {@code v_m = 1/N}. */
  UNIFORM("uniform"),
  /** Summed ground cost: {@code u_s = sum_m (1 - S[s,m])}, {@code v_m = sum_s (1 - S[s,m])}. */
  SC("sc"),
  /**
   * As {@link #APC} with the embeddings in place of the centres (needs embedding dims == patch
   * dims).
   */
  CC("cc"),
  /**
   * Identity evidence from occlusion (docs/rescorer.md): {@code u_s = v_s = 1} when the query's
   * cell {@code s} is not occluded ({@link AutoAlpha#OCCLUDED_CELL}), else 0, on both sides at the
   * same grid position (aligned faces), so covered parts are compared with nothing. Without
   * occlusion evidence on the query every cell counts (uniform).
   */
  RECOGNIZABILITY("recognizability");

  private final String wireName;

  Weighting(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The name used in requests and explanations ({@code apc}, {@code uniform}, {@code sc}, {@code
   * cc}, {@code recognizability}); the rescorer parses requests by it.
   */
  public String wireName() {
    return wireName;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
