package org.facesearch.emd;

import java.util.List;

/**
 * The outcome of scoring one candidate against the query: the EMD similarity, the final score
 * {@code alpha * emd + (1 - alpha) * cosine}, how Sinkhorn ended, which weighting each side really
 * used, and the largest flows (the explanation).
 */
public final class EmdResult {
  private final double emdSimilarity;
  private final double cosine;
  private final double alpha;
  private final int iterations;
  private final boolean converged;
  private final double marginalError;
  private final Weighting requestedWeighting;
  private final boolean queryFellBack;
  private final boolean candidateFellBack;
  private final List<Flow> flows;

  EmdResult(
      double emdSimilarity,
      double cosine,
      double alpha,
      int iterations,
      boolean converged,
      double marginalError,
      Weighting requestedWeighting,
      boolean queryFellBack,
      boolean candidateFellBack,
      List<Flow> flows) {
    this.emdSimilarity = emdSimilarity;
    this.cosine = cosine;
    this.alpha = alpha;
    this.iterations = iterations;
    this.converged = converged;
    this.marginalError = marginalError;
    this.requestedWeighting = requestedWeighting;
    this.queryFellBack = queryFellBack;
    this.candidateFellBack = candidateFellBack;
    this.flows = flows;
  }

  /**
   * {@code alpha * emd + (1 - alpha) * cosine}: the re-ranked score of docs/algorithms.md section
   * 3.
   */
  public static double combine(double alpha, double emdSimilarity, double cosine) {
    return alpha * emdSimilarity + (1.0 - alpha) * cosine;
  }

  /**
   * {@code sum T[s,m] * S[s,m]}: the flow-weighted mean patch cosine, in [-1, 1] (1 minus the EMD
   * distance).
   */
  public double emdSimilarity() {
    return emdSimilarity;
  }

  /** The stage-1 cosine this result was combined with. */
  public double cosine() {
    return cosine;
  }

  /** The alpha this result was combined with. */
  public double alpha() {
    return alpha;
  }

  /** The final score, {@code alpha * emdSimilarity() + (1 - alpha) * cosine()}. */
  public double score() {
    return combine(alpha, emdSimilarity, cosine);
  }

  /** The final score for another alpha (same EMD and cosine). */
  public double score(double alpha) {
    return combine(EmdParams.checkAlpha(alpha), emdSimilarity, cosine);
  }

  /** Sinkhorn iterations (pairs of r and c updates) used. */
  public int iterations() {
    return iterations;
  }

  /** Whether the largest marginal error fell below the tolerance within the iteration budget. */
  public boolean converged() {
    return converged;
  }

  /** The largest marginal error of the returned transport plan. */
  public double marginalError() {
    return marginalError;
  }

  /** The weighting that was asked for. */
  public Weighting requestedWeighting() {
    return requestedWeighting;
  }

  /** The weighting the query side's marginal really used (uniform after a fallback). */
  public Weighting queryWeighting() {
    return queryFellBack ? Weighting.UNIFORM : requestedWeighting;
  }

  /** The weighting the candidate side's marginal really used (uniform after a fallback). */
  public Weighting candidateWeighting() {
    return candidateFellBack ? Weighting.UNIFORM : requestedWeighting;
  }

  /** Whether the query side's weights summed to (numerically) zero and were replaced by uniform. */
  public boolean queryWeightsFellBack() {
    return queryFellBack;
  }

  /**
   * Whether the candidate side's weights summed to (numerically) zero and were replaced by uniform.
   */
  public boolean candidateWeightsFellBack() {
    return candidateFellBack;
  }

  /**
   * The largest flows, by mass descending; as many as {@link EmdParams#flows()} asked for (or all).
   */
  public List<Flow> flows() {
    return flows;
  }

  /**
   * A one-line account of the weighting for explanations, e.g. {@code "apc"} or {@code "apc (query
   * side fell back to uniform: weights summed to 0 or nearly)"}.
   */
  public String describeWeighting() {
    if (!queryFellBack && !candidateFellBack) {
      return requestedWeighting.wireName();
    }
    String sides =
        queryFellBack && candidateFellBack
            ? "both sides"
            : queryFellBack ? "query side" : "candidate side";
    return requestedWeighting.wireName()
        + " ("
        + sides
        + " fell back to uniform: weights summed to 0 or nearly)";
  }

  @Override
  public String toString() {
    return "EmdResult[score="
        + score()
        + ", emd="
        + emdSimilarity
        + ", cosine="
        + cosine
        + ", alpha="
        + alpha
        + ", iterations="
        + iterations
        + (converged ? ", converged" : ", not converged")
        + ", marginalError="
        + marginalError
        + ", weighting="
        + describeWeighting()
        + ", flows="
        + flows
        + "]";
  }
}
