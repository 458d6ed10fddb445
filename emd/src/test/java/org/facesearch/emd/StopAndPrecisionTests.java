package org.facesearch.emd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.facesearch.emd.Reference.Face;
import org.junit.Test;

/**
 * The solver's stop hook, and the precision floor on {@code epsilon * tolerance}: what the floor
 * prevents (plans whose mass is rounding noise), that plans above it are sound, and that every
 * score is in [-1, 1] with its convergence reported as it is.
 */
public class StopAndPrecisionTests {

  /** A 7x7 pair of related faces (the query plus noise), the slow case for Sinkhorn. */
  private static Face[] relatedPair(long seed) {
    Random random = new Random(seed);
    Face query = Reference.randomFace(random, 7, 7, 64, 64);
    Face candidate = Reference.faceAround(random, 7, 7, 64, 64, query, null, 0.3);
    return new Face[] {query, candidate};
  }

  @Test
  public void aStopHookEndsTheSolveWithinOneCheckInterval() {
    Face[] pair = relatedPair(1);
    // Log space (epsilon 0.001), apc weights and a tolerance this pair does not reach within the
    // first hundred iterations (its marginal error is still 0.0025 after 100).
    EmdParams params =
        EmdParams.builder()
            .weighting(Weighting.APC)
            .epsilon(1e-3)
            .tolerance(1e-10)
            .maxIterations(10_000)
            .build();
    for (DenseOps ops : new DenseOps[] {DenseOps.DEFAULT, new ScalarDenseOps()}) {
      for (int answerTrueAt : new int[] {1, 2, 7}) {
        AtomicInteger asked = new AtomicInteger();
        EmdScorer scorer = new EmdScorer(pair[0].patches, params, PatchDotProduct.BLOCKED, ops);
        SolveStoppedException stopped =
            assertThrows(
                SolveStoppedException.class,
                () ->
                    scorer.score(
                        pair[1].patches, 0.0, () -> asked.incrementAndGet() >= answerTrueAt));
        assertEquals(answerTrueAt, asked.get());
        // Asked before iteration 1, 9, 17, ...: the k-th question comes after (k - 1) * 8
        // iterations.
        assertEquals((answerTrueAt - 1) * Sinkhorn.STOP_CHECK_INTERVAL, stopped.iterations());
      }
    }
  }

  @Test
  public void aHookThatNeverStopsChangesNothing() {
    Face[] pair = relatedPair(2);
    for (double eps : new double[] {0.05, 1e-3}) {
      EmdParams params = EmdParams.builder().epsilon(eps).maxIterations(300).build();
      AtomicInteger asked = new AtomicInteger();
      EmdResult plain = new EmdScorer(pair[0].patches, params).score(pair[1].patches);
      EmdResult hooked =
          new EmdScorer(pair[0].patches, params)
              .score(pair[1].patches, () -> asked.incrementAndGet() < 0);
      assertEquals(plain.emdSimilarity(), hooked.emdSimilarity(), 0.0);
      assertEquals(plain.iterations(), hooked.iterations());
      // One question per started block of 8 iterations (a kernel-path solve that fell back to log
      // space is asked again there).
      assertTrue(
          asked.get()
              >= (plain.iterations() + Sinkhorn.STOP_CHECK_INTERVAL - 1)
                  / Sinkhorn.STOP_CHECK_INTERVAL);
    }
  }

  @Test
  public void parametersBelowThePrecisionFloorAreRefusedNamingEpsilon() {
    double floorAtDefaultTolerance =
        EmdParams.MIN_EPSILON_TIMES_TOLERANCE / EmdParams.DEFAULT_TOLERANCE;
    assertEquals(24 * Math.pow(2, -52) / 1e-4, floorAtDefaultTolerance, 1e-25);
    EmdParams.builder().epsilon(floorAtDefaultTolerance * 1.0000001).build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> EmdParams.builder().epsilon(1e-30).build());
    assertTrue(
        e.getMessage(),
        e.getMessage().startsWith("[epsilon] [1.0E-30] is too small for [tolerance] [1.0E-4]"));
    assertTrue(e.getMessage(), e.getMessage().contains("epsilon >= 5.3e-11"));
    // The probe that once ran for minutes: tolerance 1e-300 needs an epsilon no double holds.
    assertThrows(
        IllegalArgumentException.class,
        () -> EmdParams.builder().epsilon(1e-3).tolerance(1e-300).build());
  }

  /**
   * The largest error of the last solve's plan against the marginals, recomputed from its entries.
   */
  private static double recomputedMarginalError(Sinkhorn sinkhorn, int n, double[] u, double[] v) {
    double error = 0;
    for (int s = 0; s < n; s++) {
      double row = 0;
      double col = 0;
      for (int m = 0; m < n; m++) {
        row += sinkhorn.plan(s, m);
        col += sinkhorn.plan(m, s);
      }
      error = Math.max(error, Math.max(Math.abs(row - u[s]), Math.abs(col - v[s])));
    }
    return error;
  }

  @Test
  public void theFloorSeparatesATrueAccountOfThePlanFromRoundingNoise() {
    Face[] pair = relatedPair(3);
    int n = 49;
    double[][] simD = Reference.similarity(pair[1], pair[0]);
    float[] sim = new float[n * n];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < n; s++) {
      for (int m = 0; m < n; m++) {
        sim[s * n + m] = (float) simD[s][m];
        min = Math.min(min, sim[s * n + m]);
        max = Math.max(max, sim[s * n + m]);
      }
    }
    double[][] uv = Reference.weights("apc", simD, pair[1], pair[0]);
    double[] u = uv[0];
    double[] v = uv[1];
    double tolerance = 1e-4;
    Sinkhorn sinkhorn = new Sinkhorn();

    // From the kernel path down to twice the floor (log space): the marginal error the solver
    // reports is the error of the plan it returns, recomputed entry by entry, and the EMD is a mean
    // of the similarities.
    for (double eps :
        new double[] {0.05, 1e-3, 1e-6, 2 * EmdParams.MIN_EPSILON_TIMES_TOLERANCE / tolerance}) {
      double emd = sinkhorn.solve(sim, n, n, u, v, eps, tolerance, 200, Sinkhorn.NEVER);
      double recomputed = recomputedMarginalError(sinkhorn, n, u, v);
      assertEquals("eps " + eps, recomputed, sinkhorn.marginalError(), tolerance / 2);
      assertTrue("eps " + eps + ": " + emd, emd >= min - tolerance && emd <= max + tolerance);
    }

    // Far below the floor (the value of a probe that returned scores of 15 to 22 with "marginal
    // error 0.98"), what the solver reports about its own plan is rounding noise: the reported
    // error
    // and the plan's real one disagree by far more than the tolerance. The floor refuses this.
    sinkhorn.solve(sim, n, n, u, v, 1e-30, tolerance, 200, Sinkhorn.NEVER);
    double recomputed = recomputedMarginalError(sinkhorn, n, u, v);
    assertTrue(
        "reported " + sinkhorn.marginalError() + ", recomputed " + recomputed,
        Math.abs(recomputed - sinkhorn.marginalError()) > 100 * tolerance);
  }

  @Test
  public void everyScoreIsInRangeAndItsConvergenceIsReportedAsItIs() {
    Random random = new Random(4);
    double floor = EmdParams.MIN_EPSILON_TIMES_TOLERANCE / EmdParams.DEFAULT_TOLERANCE;
    int notConverged = 0;
    int converged = 0;
    for (int trial = 0; trial < 12; trial++) {
      Face query = Reference.randomFace(random, 7, 7, 32, 32);
      Face candidate =
          trial % 2 == 0
              ? query
              : Reference.faceAround(random, 7, 7, 32, 32, query, null, 0.2 + 0.1 * (trial % 5));
      for (double eps : new double[] {2 * floor, 1e-6, 1e-3, 0.05, 10}) {
        for (int iterations : new int[] {1, 100}) {
          for (Weighting w : new Weighting[] {Weighting.APC, Weighting.UNIFORM}) {
            EmdParams params =
                EmdParams.builder().weighting(w).epsilon(eps).maxIterations(iterations).build();
            EmdResult r = new EmdScorer(query.patches, params).score(candidate.patches);
            String what =
                "trial " + trial + " eps " + eps + " iterations " + iterations + " " + w + ": " + r;
            assertTrue(what, r.emdSimilarity() >= -1 && r.emdSimilarity() <= 1);
            assertTrue(what, r.score() >= -1 - 1e-6 && r.score() <= 1 + 1e-6);
            assertEquals(what, r.marginalError() < EmdParams.DEFAULT_TOLERANCE, r.converged());
            if (r.converged()) {
              converged++;
            } else {
              notConverged++;
            }
          }
        }
      }
    }
    // Both outcomes occur, so the check above saw each.
    assertTrue(converged > 0);
    assertTrue(notConverged > 0);
    assertFalse(converged == 0 && notConverged == 0);
  }
}
