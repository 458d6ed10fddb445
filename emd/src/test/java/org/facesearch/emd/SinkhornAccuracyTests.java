package org.facesearch.emd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.facesearch.emd.Reference.Face;
import org.junit.Test;

/**
 * The EMD similarity against independent computations: a plain Sinkhorn run to full convergence,
 * and the exact (unregularised) transport optimum.
 */
public class SinkhornAccuracyTests {
  private static final Weighting[] WEIGHTINGS = {
    Weighting.UNIFORM, Weighting.APC, Weighting.SC, Weighting.CC
  };

  private static EmdParams params(Weighting weighting, double tolerance, int maxIterations) {
    return EmdParams.builder()
        .weighting(weighting)
        .tolerance(tolerance)
        .maxIterations(maxIterations)
        .build();
  }

  /** Small random problems: 2x3 or 3x3 grids, 8 to 64 dims, unrelated or related faces. */
  private static Face[] pair(Random random, int trial) {
    int rows = 2 + (trial % 2);
    int cols = 3;
    int dims = 8 << (trial % 4);
    Face query = Reference.randomFace(random, rows, cols, dims, dims);
    Face candidate =
        trial % 3 == 0
            ? Reference.randomFace(random, rows, cols, dims, dims)
            : Reference.faceAround(
                random, rows, cols, dims, dims, query, null, 0.3 + 0.2 * (trial % 4));
    return new Face[] {query, candidate};
  }

  @Test
  public void convergedRunMatchesIndependentSinkhorn() {
    Random random = new Random(20240611L);
    double worst = 0;
    for (int trial = 0; trial < 48; trial++) {
      Face[] faces = pair(random, trial);
      Face query = faces[0];
      Face candidate = faces[1];
      double[][] sim = Reference.similarity(candidate, query);
      for (Weighting w : WEIGHTINGS) {
        double[][] uv = Reference.weights(w.wireName(), sim, candidate, query);
        // The +1e-7 in the normalisation leaves the two sides with slightly different masses;
        // no plan can match both marginals closer than that difference.
        double floor = Math.abs(sum(uv[0]) - sum(uv[1]));
        double expected =
            Reference.flowSimilarity(Reference.sinkhornPlan(sim, uv[0], uv[1], 0.05, 1e-8), sim);
        EmdParams params = params(w, 1e-6 + floor, EmdParams.MAX_ITERATIONS_LIMIT);
        // Every dot-product kernel, and both the vector and the plain Sinkhorn arithmetic.
        PatchDotProduct dot = PatchDotProduct.values()[trial % PatchDotProduct.values().length];
        for (DenseOps ops : new DenseOps[] {DenseOps.DEFAULT, new ScalarDenseOps()}) {
          EmdResult result =
              new EmdScorer(query.patches, params, dot, ops).score(candidate.patches, 0.0);
          String where =
              "trial "
                  + trial
                  + " weighting "
                  + w
                  + " "
                  + dot
                  + " "
                  + ops.getClass().getSimpleName();
          // Near-permutation plans (related faces) converge slowly; 10000 iterations get every
          // case here to 1e-5, and a marginal error d moves the similarity by at most about
          // 2 * (rows + cols) * d = 4e-4 in the worst case, far less in practice.
          assertTrue(
              where + " far from converged: " + result, result.marginalError() < 1e-5 + floor);
          assertEquals(where, expected, result.emdSimilarity(), 1e-4);
          worst = Math.max(worst, Math.abs(expected - result.emdSimilarity()));
        }
      }
    }
    System.out.println("converged vs reference: worst |diff| = " + worst);
  }

  @Test
  public void defaultParametersStayCloseToConvergedSinkhorn() {
    Random random = new Random(77L);
    double worstConverged = 0;
    double worstStopped = 0;
    int stopped = 0;
    int total = 0;
    for (int trial = 0; trial < 48; trial++) {
      Face[] faces = pair(random, trial);
      Face query = faces[0];
      Face candidate = faces[1];
      double[][] sim = Reference.similarity(candidate, query);
      for (Weighting w : WEIGHTINGS) {
        EmdResult result =
            new EmdScorer(
                    query.patches,
                    params(w, EmdParams.DEFAULT_TOLERANCE, EmdParams.DEFAULT_MAX_ITERATIONS))
                .score(candidate.patches, 0.0);
        double[][] uv = Reference.weights(w.wireName(), sim, candidate, query);
        double expected =
            Reference.flowSimilarity(Reference.sinkhornPlan(sim, uv[0], uv[1], 0.05, 1e-8), sim);
        double diff = Math.abs(expected - result.emdSimilarity());
        String where = "trial " + trial + " " + w + ": " + result;
        total++;
        assertTrue(
            where,
            result.iterations() >= 1 && result.iterations() <= EmdParams.DEFAULT_MAX_ITERATIONS);
        assertEquals(
            where,
            result.iterations() < EmdParams.DEFAULT_MAX_ITERATIONS || result.converged(),
            result.converged());
        if (result.converged()) {
          // A plan whose marginals are off by at most 1e-4 per patch moves at most
          // (rows + cols) * 1e-4 of mass, each unit changing the similarity by at most 2.
          assertTrue(where, result.marginalError() < EmdParams.DEFAULT_TOLERANCE);
          assertTrue(where + " diff " + diff, diff <= 2e-3);
          worstConverged = Math.max(worstConverged, diff);
        } else {
          // Stopped by the 100-iteration budget (near-permutation plans converge slowly). What
          // this seeded data shows, recorded in docs/results/stage-two.md: within 0.015 of the
          // converged value.
          assertTrue(where + " diff " + diff, diff <= 0.02);
          worstStopped = Math.max(worstStopped, diff);
          stopped++;
        }
      }
    }
    System.out.println(
        "default parameters vs converged reference: converged "
            + (total - stopped)
            + "/"
            + total
            + " worst |diff| "
            + worstConverged
            + "; stopped at 100 iterations "
            + stopped
            + " worst |diff| "
            + worstStopped);
  }

  private static double sum(double[] w) {
    double s = 0;
    for (double x : w) {
      s += x;
    }
    return s;
  }

  private static double entropy(double[] w) {
    double total = sum(w);
    double h = 0;
    for (double x : w) {
      if (x > 0) {
        h -= (x / total) * Math.log(x / total);
      }
    }
    return h;
  }

  @Test
  public void closeToExactTransport() {
    Random random = new Random(5L);
    double worstGap = 0;
    double worstRelatedGap = 0;
    double worstBrute = 0;
    for (int trial = 0; trial < 40; trial++) {
      Face[] faces = pair(random, trial);
      Face query = faces[0];
      Face candidate = faces[1];
      double[][] sim = Reference.similarity(candidate, query);
      for (Weighting w : WEIGHTINGS) {
        EmdResult result =
            new EmdScorer(query.patches, params(w, 1e-6, EmdParams.MAX_ITERATIONS_LIMIT))
                .score(candidate.patches, 0.0);
        double[][] uv = Reference.weights(w.wireName(), sim, candidate, query);
        double exact = Reference.flowSimilarity(Reference.exactPlan(sim, uv[0], uv[1]), sim);
        if (w == Weighting.UNIFORM) {
          // Cross-check the flow solver: uniform marginals on N x N, optimum is a permutation.
          double brute = Reference.bestPermutationSimilarity(sim) / (1 + 1e-7);
          assertEquals("trial " + trial, brute, exact, 1e-9);
          worstBrute = Math.max(worstBrute, Math.abs(brute - exact));
        }
        double gap = exact - result.emdSimilarity();
        String where =
            "trial " + trial + " " + w + " exact " + exact + " entropic " + result.emdSimilarity();
        // The entropic plan can only cost more than the optimum (up to the marginal tolerance),
        // and by at most eps * min(H(u), H(v)): the plan entropy lies between the larger marginal
        // entropy and the sum of both, and the entropic objective is minimal at its own plan.
        assertTrue(where, gap >= -1e-4);
        assertTrue(where, gap <= 0.05 * Math.min(entropy(uv[0]), entropy(uv[1])) + 1e-4);
        if (trial % 3 != 0) {
          // Related faces (a candidate near the query, as for a true match): the specification's
          // "at most about 0.015" holds with room; unrelated random faces reach about 0.035.
          assertTrue(where, gap <= 0.02);
        }
        worstGap = Math.max(worstGap, Math.abs(gap));
        if (trial % 3 != 0) {
          worstRelatedGap = Math.max(worstRelatedGap, Math.abs(gap));
        }
      }
    }
    System.out.println(
        "exact vs entropic: worst gap "
            + worstGap
            + ", related faces "
            + worstRelatedGap
            + "; flow solver vs brute force "
            + worstBrute);
  }
}
