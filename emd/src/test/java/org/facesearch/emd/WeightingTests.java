package org.facesearch.emd;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/**
 * Each weighting on a case small enough to work out by hand: two query patches q0 = (1, 0), q1 =
 * (0, 1) and two candidate patches g0 = (0.6, 0.8), g1 = (0.8, -0.6), so S = [[0.6, 0.8], [0.8,
 * -0.6]] (rows candidate, columns query).
 */
public class WeightingTests {
  private static final double OFFSET = 1e-7;

  private static FacePatches query() {
    return FacePatches.of(
        1, 2, new float[][] {{1f, 0f}, {0f, 1f}}, null, new float[] {1f, 0f}, new float[] {0f, 1f});
  }

  private static FacePatches candidate() {
    return FacePatches.of(
        1,
        2,
        new float[][] {{0.6f, 0.8f}, {0.8f, -0.6f}},
        null,
        new float[] {0.6f, 0.8f},
        new float[] {1f, 0f});
  }

  /** Tight tolerance so the hand-derived values of the converged plan apply. */
  private static EmdScorer scorer(Weighting w) {
    return new EmdScorer(
        query(), EmdParams.builder().weighting(w).tolerance(1e-12).maxIterations(1000).build());
  }

  @Test
  public void apc() {
    EmdScorer scorer = scorer(Weighting.APC);
    EmdResult result = scorer.score(candidate(), 0.0);
    // u_s = max(0, <centre_q, g_s>) = (0.6, 0.8); v_m = max(0, <centre_g, q_m>) = (0.6, 0.8).
    double[] expected = {0.6 / (1.4 + OFFSET), 0.8 / (1.4 + OFFSET)};
    assertArrayEquals(expected, scorer.lastCandidateWeights(), 1e-7);
    assertArrayEquals(expected, scorer.lastQueryWeights(), 1e-7);
    // Equal marginals (3/7, 4/7) on both sides: the off-diagonal pairs (S = 0.8) carry 3/7 each,
    // g1 -> q1 (S = -0.6) the remaining 1/7, g0 -> q0 an amount of order e^-32.
    // EMD = 2 * 3/7 * 0.8 - 1/7 * 0.6 = 0.6, times the mass 1.4 / (1.4 + 1e-7).
    assertEquals(0.6, result.emdSimilarity(), 1e-6);
    assertFalse(result.queryWeightsFellBack() || result.candidateWeightsFellBack());
    assertEquals("apc", result.describeWeighting());
  }

  @Test
  public void uniform() {
    double h = 0.5 / (1 + OFFSET);
    for (double eps : new double[] {0.5, 0.2}) {
      EmdScorer scorer =
          new EmdScorer(
              query(),
              EmdParams.builder()
                  .weighting(Weighting.UNIFORM)
                  .epsilon(eps)
                  .tolerance(1e-12)
                  .maxIterations(10000)
                  .build());
      EmdResult result = scorer.score(candidate(), 0.0);
      assertArrayEquals(new double[] {h, h}, scorer.lastCandidateWeights(), 1e-12);
      assertArrayEquals(new double[] {h, h}, scorer.lastQueryWeights(), 1e-12);
      // With both marginals (h, h) the plan is [[a, h - a], [h - a, a]], and for an entropic plan
      // the cross ratio T00 T11 / (T01 T10) equals exp((S00 + S11 - S01 - S10) / eps) =
      // exp(-1.6 / eps), so a / (h - a) = exp(-0.8 / eps) and
      // EMD = a * (0.6 - 0.6) + (h - a) * 1.6 = 1.6 h / (1 + exp(-0.8 / eps)).
      // (Smaller eps makes this plan nearly a permutation, which Sinkhorn approaches only
      // slowly; the convergence tests cover that regime.)
      assertTrue(result.toString(), result.converged());
      // 1e-7: the inputs are floats (0.6f, 0.8f are not exact).
      assertEquals(
          "eps " + eps, 1.6 * h / (1 + Math.exp(-0.8 / eps)), result.emdSimilarity(), 1e-7);
    }
  }

  @Test
  public void sc() {
    EmdScorer scorer = scorer(Weighting.SC);
    EmdResult result = scorer.score(candidate(), 0.0);
    // u_0 = (1 - 0.6) + (1 - 0.8) = 0.6, u_1 = (1 - 0.8) + (1 + 0.6) = 1.8, and v the same.
    double[] expected = {0.6 / (2.4 + OFFSET), 1.8 / (2.4 + OFFSET)};
    assertArrayEquals(expected, scorer.lastCandidateWeights(), 1e-7);
    assertArrayEquals(expected, scorer.lastQueryWeights(), 1e-7);
    // Marginals (1/4, 3/4): 1/4 on each off-diagonal pair, 1/2 on g1 -> q1.
    // EMD = 2 * 0.25 * 0.8 + 0.5 * (-0.6) = 0.1.
    assertEquals(0.1, result.emdSimilarity(), 1e-6);
  }

  @Test
  public void cc() {
    EmdScorer scorer = scorer(Weighting.CC);
    EmdResult result = scorer.score(candidate(), 0.0);
    // u_s = max(0, <e_q, g_s>) = (0.8, 0); v_m = max(0, <e_g, q_m>) = (1, 0).
    assertArrayEquals(
        new double[] {0.8 / (0.8 + OFFSET), 0.0}, scorer.lastCandidateWeights(), 1e-7);
    assertArrayEquals(new double[] {1.0 / (1.0 + OFFSET), 0.0}, scorer.lastQueryWeights(), 1e-7);
    // All mass on g0 -> q0.
    assertEquals(0.6, result.emdSimilarity(), 1e-6);
  }

  @Test
  public void zeroSumFallsBackToUniformOnBothSides() {
    // Centres orthogonal to every patch: every APC correlation is 0.
    FacePatches q =
        FacePatches.of(
            1, 2, new float[][] {{1f, 0f, 0f}, {0f, 1f, 0f}}, null, new float[] {0f, 0f, 1f}, null);
    FacePatches g =
        FacePatches.of(
            1,
            2,
            new float[][] {{0.6f, 0.8f, 0f}, {0.8f, -0.6f, 0f}},
            null,
            new float[] {0f, 0f, -1f},
            null);
    EmdScorer apc = new EmdScorer(q, EmdParams.builder().weighting(Weighting.APC).build());
    EmdResult fellBack = apc.score(g, 0.0);
    assertTrue(fellBack.queryWeightsFellBack());
    assertTrue(fellBack.candidateWeightsFellBack());
    assertEquals(Weighting.UNIFORM, fellBack.queryWeighting());
    assertEquals(Weighting.UNIFORM, fellBack.candidateWeighting());
    assertEquals(Weighting.APC, fellBack.requestedWeighting());
    assertTrue(
        fellBack.describeWeighting(),
        fellBack.describeWeighting().contains("both sides fell back to uniform"));
    double h = 0.5 / (1 + OFFSET);
    assertArrayEquals(new double[] {h, h}, apc.lastCandidateWeights(), 1e-12);
    assertArrayEquals(new double[] {h, h}, apc.lastQueryWeights(), 1e-12);

    EmdResult uniform =
        new EmdScorer(q, EmdParams.builder().weighting(Weighting.UNIFORM).build()).score(g, 0.0);
    assertEquals(uniform.emdSimilarity(), fellBack.emdSimilarity(), 0.0);
  }

  @Test
  public void negativeCorrelationsFallBackOnOneSide() {
    // The query's centre anti-correlates with every candidate patch (candidate side falls back);
    // the candidate's centre correlates with q0 (query side keeps APC).
    FacePatches q =
        FacePatches.of(
            1, 2, new float[][] {{1f, 0f}, {0f, 1f}}, null, new float[] {-0.6f, -0.8f}, null);
    FacePatches g =
        FacePatches.of(
            1, 2, new float[][] {{0.6f, 0.8f}, {1f, 0f}}, null, new float[] {1f, 0f}, null);
    EmdScorer scorer = new EmdScorer(q, EmdParams.defaults());
    EmdResult result = scorer.score(g, 0.0);
    assertTrue(result.candidateWeightsFellBack());
    assertFalse(result.queryWeightsFellBack());
    assertEquals(Weighting.UNIFORM, result.candidateWeighting());
    assertEquals(Weighting.APC, result.queryWeighting());
    assertTrue(result.describeWeighting().contains("candidate side"));
    // v = (1, 0): all query mass on q0, split evenly from the uniform candidate side.
    assertArrayEquals(new double[] {1 / (1 + OFFSET), 0.0}, scorer.lastQueryWeights(), 1e-7);
    // EMD = 0.5 * <g0, q0> + 0.5 * <g1, q0> = 0.5 * 0.6 + 0.5 * 1.
    assertEquals(0.8, result.emdSimilarity(), 1e-6);
  }

  @Test
  public void scOnIdenticalPatchesFallsBack() {
    float[] cell = Reference.unit(new double[] {1, 2, 3});
    float[][] cells = {cell, cell, cell, cell};
    FacePatches face = FacePatches.of(2, 2, cells, null, cell, cell);
    EmdResult result =
        new EmdScorer(face, EmdParams.builder().weighting(Weighting.SC).build()).score(face, 1.0);
    // Every S is 1, so every 1 - S is 0.
    assertTrue(result.queryWeightsFellBack() && result.candidateWeightsFellBack());
    assertEquals(1.0, result.emdSimilarity(), 1e-6);
    assertTrue(Double.isFinite(result.score()));
  }

  @Test
  public void wireNamesAreTheDocumentedOnes() {
    // docs/rescorer.md lists these; the rescorer parses requests by them.
    assertEquals(
        java.util.List.of("apc", "uniform", "sc", "cc", "recognizability"),
        java.util.Arrays.stream(Weighting.values()).map(Weighting::wireName).toList());
    assertEquals(
        java.util.List.of("native", "4x4"),
        java.util.Arrays.stream(Grid.values()).map(Grid::wireName).toList());
  }

  @Test
  public void recognizabilityComparesOnlyTheQuerysVisibleCellsAtTheSamePlaces() {
    // The query's cell 1 is covered: both sides keep mass only on cell 0, so the whole mass goes
    // g0 -> q0 and EMD = S[0,0] = 0.6 (times the mass 1 / (1 + 1e-7)).
    FacePatches q = query().withOcclusion(new float[] {0f, 0.5f});
    EmdScorer scorer =
        new EmdScorer(
            q,
            EmdParams.builder()
                .weighting(Weighting.RECOGNIZABILITY)
                .tolerance(1e-12)
                .maxIterations(1000)
                .build());
    EmdResult result = scorer.score(candidate(), 0.0);
    double[] expected = {1 / (1 + OFFSET), 0};
    assertArrayEquals(expected, scorer.lastQueryWeights(), 1e-12);
    assertArrayEquals(expected, scorer.lastCandidateWeights(), 1e-12);
    assertEquals(0.6, result.emdSimilarity(), 1e-6);
    assertEquals("recognizability", result.describeWeighting());
  }

  @Test
  public void recognizabilityCountsACellAsCoveredFromFivePercent() {
    FacePatches q = query().withOcclusion(new float[] {0.049f, 0.05f});
    EmdScorer s =
        new EmdScorer(q, EmdParams.builder().weighting(Weighting.RECOGNIZABILITY).build());
    s.score(candidate(), 0.0);
    assertArrayEquals(new double[] {1 / (1 + OFFSET), 0}, s.lastQueryWeights(), 1e-12);
    // Without evidence every cell counts: the transport problem of uniform (whose weights are
    // (1/2) / (1 + 1e-7) rather than 1 / (2 + 1e-7): equal to about 1e-8).
    EmdResult none = scorer(Weighting.RECOGNIZABILITY).score(candidate(), 0.0);
    EmdResult uniform = scorer(Weighting.UNIFORM).score(candidate(), 0.0);
    assertEquals(uniform.emdSimilarity(), none.emdSimilarity(), 1e-7);
  }

  @Test
  public void recognizabilityFallsBackToUniformWhenEveryCellIsCovered() {
    FacePatches q = query().withOcclusion(new float[] {1f, 1f});
    EmdResult result =
        new EmdScorer(q, EmdParams.builder().weighting(Weighting.RECOGNIZABILITY).build())
            .score(candidate(), 0.0);
    assertTrue(result.queryWeightsFellBack() && result.candidateWeightsFellBack());
    assertEquals(Weighting.UNIFORM, result.queryWeighting());
  }

  @Test
  public void recognizabilityNeedsOneGrid() {
    FacePatches wide =
        FacePatches.of(1, 3, new float[][] {{1f, 0f}, {0f, 1f}, {1f, 0f}}, null, null, null);
    EmdScorer scorer = scorer(Weighting.RECOGNIZABILITY);
    IllegalArgumentException e =
        org.junit.Assert.assertThrows(
            IllegalArgumentException.class, () -> scorer.score(wide, 0.0));
    assertTrue(e.getMessage(), e.getMessage().contains("same grid"));
  }

  @Test
  public void occlusionIsCheckedAndPooledAsTheMeanOverEachBin() {
    org.junit.Assert.assertThrows(
        IllegalArgumentException.class, () -> query().withOcclusion(new float[] {0f}));
    org.junit.Assert.assertThrows(
        IllegalArgumentException.class, () -> query().withOcclusion(new float[] {0f, 1.5f}));
    org.junit.Assert.assertThrows(
        IllegalArgumentException.class, () -> query().withOcclusion(new float[] {0f, Float.NaN}));
    float[][] cells = new float[49][];
    float[] occlusion = new float[49];
    for (int i = 0; i < 49; i++) {
      cells[i] = new float[] {1f, 0f};
      occlusion[i] = i / 7 >= 5 ? 1f : 0f; // rows 5 and 6 covered
    }
    FacePatches pooled =
        FacePatches.of(7, 7, cells, null, null, null).withOcclusion(occlusion).pooled(4, 4);
    // 7 -> 4 bins cover rows [0,2), [1,4), [3,6), [5,7): the third holds rows 3, 4, 5 (one
    // covered), the last rows 5, 6.
    for (int c = 0; c < 4; c++) {
      assertEquals(0f, pooled.occlusion(c), 0f);
      assertEquals(0f, pooled.occlusion(4 + c), 0f);
      assertEquals(1f / 3, pooled.occlusion(8 + c), 1e-6f);
      assertEquals(1f, pooled.occlusion(12 + c), 0f);
    }
  }
}
