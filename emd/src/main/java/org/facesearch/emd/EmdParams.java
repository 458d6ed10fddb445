package org.facesearch.emd;

import java.util.Locale;

/**
 * The validated parameters of one EMD re-ranking (the {@code face_emd} rescorer's options).
 *
 * <p>Every check throws {@link IllegalArgumentException} with a message that names the option as
 * the request spells it, so an adapter can return it as a 400 unchanged. The static {@code check*}
 * methods let a request parser fail on the first bad value before building the whole object.
 *
 * @param weighting how patches are weighted (default {@link Weighting#APC})
 * @param grid which grid is scored (default {@link Grid#NATIVE})
 * @param alpha weight of the EMD term in the final score, in [0, 1] (default 0.7)
 * @param epsilon entropic regularisation of Sinkhorn, &gt; 0 (default 0.05)
 * @param tolerance Sinkhorn stops once the largest marginal error is below this, &gt; 0 (default
 *     1e-4)
 * @param maxIterations Sinkhorn stops after this many (r, c) updates, in [1, 10000] (default 100)
 * @param flows how many of the largest flows each result carries, &gt;= 0 (default 0)
 * @param centrePatches whether each face's cells are centred on their own mean before the
 *     similarity matrix is computed ({@link PatchCentring}; default false)
 */
public record EmdParams(
    Weighting weighting,
    Grid grid,
    double alpha,
    double epsilon,
    double tolerance,
    int maxIterations,
    int flows,
    boolean centrePatches) {

  public static final Weighting DEFAULT_WEIGHTING = Weighting.APC;
  public static final Grid DEFAULT_GRID = Grid.NATIVE;

  /** The paper's choice for out-of-distribution queries (masks, sunglasses, crops, profiles). */
  public static final double DEFAULT_ALPHA = 0.7;

  public static final double DEFAULT_EPSILON = 0.05;
  public static final double DEFAULT_TOLERANCE = 1e-4;
  public static final int DEFAULT_MAX_ITERATIONS = 100;
  public static final int DEFAULT_FLOWS = 0;
  public static final boolean DEFAULT_CENTRE_PATCHES = false;

  /**
   * Upper bound on {@code max_iterations}: one iteration over 100 candidates of 7x7 costs tens of
   * microseconds, so this caps a single request at seconds of CPU instead of letting it run away.
   */
  public static final int MAX_ITERATIONS_LIMIT = 10_000;

  /**
   * The smallest {@code epsilon * tolerance} at which double precision can resolve a transport plan
   * to the tolerance: {@code 24 * 2^-52}, about 5.3e-15 (so epsilon at least 5.3e-11 at the default
   * tolerance 1e-4). Below {@code (max S - min S) / epsilon = 100} Sinkhorn runs in log space
   * (docs/emd.md), where each plan entry is {@code exp(x)} with {@code x = (S - max S)/eps + log r
   * + log c}. With cosines in [-1, 1] the cost range is at most R = 2, the first term is at most
   * R/eps in size and the two log-scalings at most 2R/eps each, so the three summands reach 5R/eps;
   * each carries a rounding error of up to one unit in the last place of its size (2^-52 relative)
   * and the two additions one more each, about 12R/eps * 2^-53 = 12 * 2^-52 / eps in all. That
   * absolute error in {@code x} is the relative error of every plan entry, and so of the marginals
   * whose error the tolerance bounds: the solver can tell an error below the tolerance only while
   * it is at most half the tolerance, i.e. {@code eps * tolerance >= 24 * 2^-52}. Below that the
   * marginals it reports, and the EMD, are rounding noise (at epsilon 1e-30 plans with a mass of 20
   * instead of 1, scores of 15 to 22).
   */
  public static final double MIN_EPSILON_TIMES_TOLERANCE = 24 * Math.ulp(1.0);

  private static final EmdParams DEFAULTS =
      new EmdParams(
          DEFAULT_WEIGHTING,
          DEFAULT_GRID,
          DEFAULT_ALPHA,
          DEFAULT_EPSILON,
          DEFAULT_TOLERANCE,
          DEFAULT_MAX_ITERATIONS,
          DEFAULT_FLOWS,
          DEFAULT_CENTRE_PATCHES);

  /** Validates every field (see the class javadoc for the accepted ranges). */
  public EmdParams {
    if (weighting == null) {
      throw new IllegalArgumentException("[weighting] must not be null");
    }
    if (grid == null) {
      throw new IllegalArgumentException("[grid] must not be null");
    }
    checkAlpha(alpha);
    checkEpsilon(epsilon);
    checkTolerance(tolerance);
    checkMaxIterations(maxIterations);
    checkFlows(flows);
    checkPrecision(epsilon, tolerance);
  }

  /**
   * The specification's defaults: apc, native grid, alpha 0.7, epsilon 0.05, tolerance 1e-4, 100
   * iterations, no flows, no centring.
   */
  public static EmdParams defaults() {
    return DEFAULTS;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    return new Builder()
        .weighting(weighting)
        .grid(grid)
        .alpha(alpha)
        .epsilon(epsilon)
        .tolerance(tolerance)
        .maxIterations(maxIterations)
        .flows(flows)
        .centrePatches(centrePatches);
  }

  /**
   * @return {@code alpha} when it is in [0, 1]
   */
  public static double checkAlpha(double alpha) {
    // Written as a negated range test so NaN fails too.
    if (!(alpha >= 0.0 && alpha <= 1.0)) {
      throw new IllegalArgumentException("[alpha] must be in [0, 1] but was [" + alpha + "]");
    }
    return alpha;
  }

  /**
   * @return {@code epsilon} when it is a finite number &gt; 0
   */
  public static double checkEpsilon(double epsilon) {
    if (!(epsilon > 0.0 && epsilon < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "[epsilon] must be a finite number > 0 but was [" + epsilon + "]");
    }
    return epsilon;
  }

  /**
   * @return {@code tolerance} when it is a finite number &gt; 0
   */
  public static double checkTolerance(double tolerance) {
    if (!(tolerance > 0.0 && tolerance < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "[tolerance] must be a finite number > 0 but was [" + tolerance + "]");
    }
    return tolerance;
  }

  /**
   * Checks that double precision resolves the plan at this epsilon to this tolerance ({@link
   * #MIN_EPSILON_TIMES_TOLERANCE}); both must already be finite and positive.
   */
  public static void checkPrecision(double epsilon, double tolerance) {
    if (epsilon * tolerance < MIN_EPSILON_TIMES_TOLERANCE) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "[epsilon] [%s] is too small for [tolerance] [%s]: double precision resolves the transport plan to the tolerance only for "
                  + "epsilon >= %.2g (epsilon * tolerance >= 24 * 2^-52, see docs/emd.md); raise epsilon or tolerance",
              epsilon,
              tolerance,
              MIN_EPSILON_TIMES_TOLERANCE / tolerance));
    }
  }

  /**
   * @return {@code maxIterations} when it is in [1, {@link #MAX_ITERATIONS_LIMIT}]
   */
  public static int checkMaxIterations(int maxIterations) {
    if (maxIterations <= 0 || maxIterations > MAX_ITERATIONS_LIMIT) {
      throw new IllegalArgumentException(
          "[max_iterations] must be in [1, "
              + MAX_ITERATIONS_LIMIT
              + "] but was ["
              + maxIterations
              + "]");
    }
    return maxIterations;
  }

  /**
   * @return {@code flows} when it is &gt;= 0
   */
  public static int checkFlows(int flows) {
    if (flows < 0) {
      throw new IllegalArgumentException("[flows] must be >= 0 but was [" + flows + "]");
    }
    return flows;
  }

  /** Mutable companion of {@link EmdParams}; {@link #build()} validates. */
  public static final class Builder {
    private Weighting weighting = DEFAULT_WEIGHTING;
    private Grid grid = DEFAULT_GRID;
    private double alpha = DEFAULT_ALPHA;
    private double epsilon = DEFAULT_EPSILON;
    private double tolerance = DEFAULT_TOLERANCE;
    private int maxIterations = DEFAULT_MAX_ITERATIONS;
    private int flows = DEFAULT_FLOWS;
    private boolean centrePatches = DEFAULT_CENTRE_PATCHES;

    private Builder() {}

    public Builder centrePatches(boolean centrePatches) {
      this.centrePatches = centrePatches;
      return this;
    }

    public Builder weighting(Weighting weighting) {
      this.weighting = weighting;
      return this;
    }

    public Builder grid(Grid grid) {
      this.grid = grid;
      return this;
    }

    public Builder alpha(double alpha) {
      this.alpha = alpha;
      return this;
    }

    public Builder epsilon(double epsilon) {
      this.epsilon = epsilon;
      return this;
    }

    public Builder tolerance(double tolerance) {
      this.tolerance = tolerance;
      return this;
    }

    public Builder maxIterations(int maxIterations) {
      this.maxIterations = maxIterations;
      return this;
    }

    public Builder flows(int flows) {
      this.flows = flows;
      return this;
    }

    /**
     * @throws IllegalArgumentException for the first value out of range
     */
    public EmdParams build() {
      return new EmdParams(
          weighting, grid, alpha, epsilon, tolerance, maxIterations, flows, centrePatches);
    }
  }
}
