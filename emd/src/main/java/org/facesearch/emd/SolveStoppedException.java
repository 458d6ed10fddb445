package org.facesearch.emd;

/**
 * A score was not computed because the caller's stop hook asked the solver to stop (a search that
 * timed out or was cancelled). It carries no partial result: a stopped Sinkhorn solve has no plan
 * worth scoring.
 */
public final class SolveStoppedException extends RuntimeException {

  private final int iterations;

  SolveStoppedException(int iterations) {
    super(
        "the EMD solve was stopped by its caller after " + iterations + " Sinkhorn iterations",
        null,
        false,
        false);
    this.iterations = iterations;
  }

  /** Sinkhorn iterations done before the stop. */
  public int iterations() {
    return iterations;
  }
}
