package org.facesearch.emd;

/**
 * Research access to the rescorer's Sinkhorn solver with caller-chosen marginals (benchmarks only:
 * lets a study try patch weightings before they exist in {@link Weighting}). Same package as the
 * solver, which is package-private on purpose. One instance per thread.
 */
public final class ResearchSinkhorn {
  private final Sinkhorn sinkhorn = new Sinkhorn();
  private final EmdParams params = EmdParams.defaults();

  /**
   * The EMD similarity for similarity matrix {@code sim} (rows: candidate cells, columns: query
   * cells) and the two marginals, normalised here as the scorer normalises them (uniform when a
   * side sums to about zero), with the product's default epsilon, tolerance and iteration cap.
   */
  public double emd(float[] sim, int rows, int cols, double[] u, double[] v) {
    double[] uu = u.clone();
    double[] vv = v.clone();
    PatchWeights.normaliseOrUniform(uu, rows);
    PatchWeights.normaliseOrUniform(vv, cols);
    return sinkhorn.solve(sim, rows, cols, uu, vv, params.epsilon(), params.tolerance(), params.maxIterations());
  }
}
