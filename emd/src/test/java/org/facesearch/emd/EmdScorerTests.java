package org.facesearch.emd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Random;
import org.facesearch.emd.Reference.Face;
import org.junit.Test;

/**
 * Scorer behaviour: identical faces, independence of candidates, flows, degenerate inputs, errors.
 */
public class EmdScorerTests {

  @Test
  public void identicalPatchSetsScoreNearlyOne() {
    Random random = new Random(3);
    for (int dims : new int[] {16, 64, 512}) {
      // Cells correlated through a shared direction (off-diagonal similarities around 0.3), which
      // leaks more entropic mass off the diagonal than independent random cells would.
      Face face = Reference.randomFace(random, 3, 3, dims, dims);
      EmdParams params =
          EmdParams.builder()
              .weighting(Weighting.UNIFORM)
              .tolerance(1e-9)
              .maxIterations(10000)
              .build();
      EmdResult result = new EmdScorer(face.patches, params).score(face.patches, 1.0);
      double[][] sim = Reference.similarity(face, face);
      double[][] uv = Reference.weights("uniform", sim, face, face);
      double entropic =
          Reference.flowSimilarity(Reference.sinkhornPlan(sim, uv[0], uv[1], 0.05, 1e-12), sim);
      // The exact optimum is the identity matching, S = 1 on the diagonal, with the total mass
      // 1 / (1 + 1e-7). Entropic smoothing moves a little mass to off-diagonal pairs (S < 1), so
      // the entropic value is slightly below it, not 1.
      double exact = 1.0 / (1 + 1e-7);
      assertEquals(entropic, result.emdSimilarity(), 1e-6);
      assertTrue("dims " + dims + ": " + result, result.emdSimilarity() <= exact + 1e-6);
      assertTrue("dims " + dims + ": " + result, exact - result.emdSimilarity() <= 1e-3);
    }
  }

  @Test
  public void scoreCombinesEmdAndCosine() {
    Random random = new Random(4);
    Face q = Reference.randomFace(random, 2, 3, 16, 16);
    Face g = Reference.faceAround(random, 2, 3, 16, 16, q, null, 0.5);
    EmdParams params = EmdParams.builder().alpha(0.3).build();
    EmdScorer scorer = new EmdScorer(q.patches, params);
    double cosine = Reference.dot(q.embedding, g.embedding);
    assertEquals(cosine, scorer.cosine(g.patches), 1e-6);
    EmdResult result = scorer.score(g.patches);
    assertEquals(scorer.cosine(g.patches), result.cosine(), 0.0);
    assertEquals(0.3, result.alpha(), 0.0);
    assertEquals(0.3 * result.emdSimilarity() + 0.7 * result.cosine(), result.score(), 1e-12);
    assertEquals(result.cosine(), result.score(0.0), 1e-12);
    assertEquals(result.emdSimilarity(), result.score(1.0), 1e-12);
    assertEquals(0.5 * 0.25 + 0.5 * -0.75, EmdResult.combine(0.5, 0.25, -0.75), 0.0);
  }

  /**
   * Bit for bit on the plain Java path. On the vector path the JIT may order a vector's lane sum
   * differently, and round the vector exp's last bit differently, before and after it compiles the
   * loop (Lucene's VectorUtil has the same property), so there the check is to 1e-12.
   */
  private static void assertSameResult(
      String where, EmdResult expected, EmdResult actual, boolean bitwise) {
    double tolerance = bitwise ? 0.0 : 1e-12;
    assertEquals(where, expected.emdSimilarity(), actual.emdSimilarity(), tolerance);
    assertEquals(where, expected.iterations(), actual.iterations());
    assertEquals(where, expected.converged(), actual.converged());
    assertEquals(where, expected.marginalError(), actual.marginalError(), tolerance);
    assertEquals(where, expected.flows().size(), actual.flows().size());
    for (int i = 0; i < expected.flows().size(); i++) {
      Flow e = expected.flows().get(i);
      Flow a = actual.flows().get(i);
      assertEquals(
          where,
          List.of(e.queryRow(), e.queryCol(), e.galleryRow(), e.galleryCol()),
          List.of(a.queryRow(), a.queryCol(), a.galleryRow(), a.galleryCol()));
      assertEquals(where, e.mass(), a.mass(), tolerance);
    }
    assertEquals(where, expected.describeWeighting(), actual.describeWeighting());
  }

  @Test
  public void candidateScoresDoNotDependOnOtherCandidates() {
    Random random = new Random(5);
    Face query = Reference.randomFace(random, 7, 7, 64, 64);
    Face target = Reference.faceAround(random, 7, 7, 64, 64, query, null, 0.8);
    for (boolean plain : new boolean[] {true, false}) {
      PatchDotProduct dot = plain ? PatchDotProduct.SCALAR : PatchDotProduct.BLOCKED;
      DenseOps ops = plain ? new ScalarDenseOps() : DenseOps.DEFAULT;
      for (Weighting w : Weighting.values()) {
        for (Grid grid : Grid.values()) {
          EmdParams params = EmdParams.builder().weighting(w).grid(grid).flows(7).build();
          String where = w + " " + grid + (plain ? " plain" : " vector");
          EmdResult alone =
              new EmdScorer(query.patches, params, dot, ops).score(target.patches, 0.4);

          EmdScorer busy = new EmdScorer(query.patches, params, dot, ops);
          for (int i = 0; i < 12; i++) {
            // Others of other grid sizes too (they grow and reshape the scorer's buffers), and
            // related ones (slow convergence, other plans).
            // recognizability compares cells at the same places, so only faces on the query's grid.
            boolean sameGrid = w == Weighting.RECOGNIZABILITY;
            int rows = sameGrid ? 7 : 1 + random.nextInt(9);
            int cols = sameGrid ? 7 : 1 + random.nextInt(9);
            Face other =
                i % 3 == 0
                    ? Reference.faceAround(random, 7, 7, 64, 64, query, null, 0.3)
                    : Reference.randomFace(random, rows, cols, 64, 64);
            assertTrue(Double.isFinite(busy.score(other.patches, random.nextDouble()).score()));
            if (i == 6) {
              assertSameResult(where + " middle", alone, busy.score(target.patches, 0.4), plain);
            }
          }
          assertSameResult(where + " end", alone, busy.score(target.patches, 0.4), plain);
        }
      }
    }
  }

  @Test
  public void flowsAreTheLargestPlanEntriesInOrder() {
    Random random = new Random(6);
    Face query = Reference.randomFace(random, 3, 3, 32, 32);
    Face candidate = Reference.faceAround(random, 3, 3, 32, 32, query, null, 0.7);
    EmdParams all = EmdParams.builder().tolerance(1e-9).maxIterations(10000).flows(1000).build();
    EmdResult result = new EmdScorer(query.patches, all).score(candidate.patches, 0.0);
    List<Flow> flows = result.flows();
    assertEquals(81, flows.size());

    double[][] sim = Reference.similarity(candidate, query);
    double[][] uv = Reference.weights("apc", sim, candidate, query);
    double[][] plan = Reference.sinkhornPlan(sim, uv[0], uv[1], 0.05, 1e-12);
    double total = 0;
    double[] rowSums = new double[9];
    double[] colSums = new double[9];
    for (int i = 0; i < flows.size(); i++) {
      Flow f = flows.get(i);
      if (i > 0) {
        assertTrue("sorted by mass", flows.get(i - 1).mass() >= f.mass());
      }
      int s = f.galleryRow() * 3 + f.galleryCol();
      int m = f.queryRow() * 3 + f.queryCol();
      assertEquals(f.toString(), plan[s][m], f.mass(), 1e-7);
      total += f.mass();
      rowSums[s] += f.mass();
      colSums[m] += f.mass();
    }
    // The whole plan: total mass 1 (up to the 1e-7 offset), marginals the weights.
    assertEquals(1.0, total, 1e-6);
    for (int k = 0; k < 9; k++) {
      assertEquals(uv[0][k], rowSums[k], 1e-6);
      assertEquals(uv[1][k], colSums[k], 1e-6);
    }

    // Asking for fewer returns the head of the same order.
    EmdResult top3 =
        new EmdScorer(query.patches, all.toBuilder().flows(3).build())
            .score(candidate.patches, 0.0);
    assertEquals(flows.subList(0, 3), top3.flows());
    assertTrue(
        new EmdScorer(query.patches, all.toBuilder().flows(0).build())
            .score(candidate.patches, 0.0)
            .flows()
            .isEmpty());
  }

  @Test
  public void identicalFacesFlowEyesToEyes() {
    Random random = new Random(7);
    Face face = Reference.randomFace(random, 7, 7, 64, 64);
    EmdResult result =
        new EmdScorer(
                face.patches, EmdParams.builder().weighting(Weighting.UNIFORM).flows(49).build())
            .score(face.patches, 1.0);
    for (Flow f : result.flows()) {
      assertEquals(f.toString(), f.queryRow(), f.galleryRow());
      assertEquals(f.toString(), f.queryCol(), f.galleryCol());
    }
  }

  private static void assertSane(String where, EmdResult result) {
    assertTrue(where + ": " + result, Double.isFinite(result.emdSimilarity()));
    assertTrue(where + ": " + result, Double.isFinite(result.score()));
    assertTrue(where + ": " + result, Math.abs(result.emdSimilarity()) <= 1 + 1e-6);
    for (Flow f : result.flows()) {
      assertTrue(where + ": " + f, Double.isFinite(f.mass()) && f.mass() >= 0);
    }
  }

  @Test
  public void degenerateInputsNeverGiveNaN() {
    int dims = 8;
    float[] e1 = new float[dims];
    e1[0] = 1;
    float[] minusE1 = new float[dims];
    minusE1[0] = -1;
    float[] e2 = new float[dims];
    e2[1] = 1;
    float[] zero = new float[dims];
    float[][] sameCells = {e1, e1, e1, e1};
    float[][] oppositeCells = {minusE1, minusE1, minusE1, minusE1};
    float[][] orthogonalCells = {e2, e2, e2, e2};
    float[][] zeroCells = {zero, zero, zero, zero};
    FacePatches same = FacePatches.of(2, 2, sameCells, null, e1, e1);
    FacePatches opposite = FacePatches.of(2, 2, oppositeCells, null, minusE1, minusE1);
    FacePatches orthogonal = FacePatches.of(2, 2, orthogonalCells, null, e2, e2);
    FacePatches zeros = FacePatches.of(2, 2, zeroCells, null, zero, zero);
    FacePatches[] faces = {same, opposite, orthogonal, zeros};
    double[] epsilons = {1e-4, 0.05, 1e3};
    for (Weighting w : Weighting.values()) {
      for (double eps : epsilons) {
        EmdParams params = EmdParams.builder().weighting(w).epsilon(eps).flows(4).build();
        for (int i = 0; i < faces.length; i++) {
          for (int j = 0; j < faces.length; j++) {
            EmdScorer scorer = new EmdScorer(faces[i], params);
            assertSane(w + " eps " + eps + " faces " + i + "," + j, scorer.score(faces[j], 0.0));
          }
        }
      }
    }
    // Identical cells: every pair has S = 1.
    assertEquals(
        1.0, new EmdScorer(same, EmdParams.defaults()).score(same, 1.0).emdSimilarity(), 1e-6);
    // Opposite cells: S = -1 everywhere; APC weights are all 0 on both sides (uniform fallback).
    EmdResult oppositeResult = new EmdScorer(same, EmdParams.defaults()).score(opposite, -1.0);
    assertEquals(-1.0, oppositeResult.emdSimilarity(), 1e-6);
    assertTrue(oppositeResult.queryWeightsFellBack() && oppositeResult.candidateWeightsFellBack());
    // Zero cells correlate with nothing.
    assertEquals(
        0.0, new EmdScorer(zeros, EmdParams.defaults()).score(same, 0.0).emdSimilarity(), 1e-9);
  }

  @Test
  public void smallEpsilonRunsInLogSpaceAndMatchesReference() {
    Random random = new Random(8);
    int checked = 0;
    for (int trial = 0; trial < 10; trial++) {
      Face query = Reference.randomFace(random, 2, 3, 8, 8);
      Face candidate = Reference.randomFace(random, 2, 3, 8, 8);
      double eps = 0.01;
      double[][] sim = Reference.similarity(candidate, query);
      EmdParams params =
          EmdParams.builder()
              .weighting(Weighting.UNIFORM)
              .epsilon(eps)
              .tolerance(1e-7)
              .maxIterations(10000)
              .build();
      for (DenseOps ops : new DenseOps[] {DenseOps.DEFAULT, new ScalarDenseOps()}) {
        EmdScorer scorer = new EmdScorer(query.patches, params, PatchDotProduct.BLOCKED, ops);
        EmdResult result = scorer.score(candidate.patches, 0.0);
        assertSane("trial " + trial, result);
        double range = max(sim) - min(sim);
        // exp(-range / eps) would underflow the kernel path's bound e^-100: log space.
        assertEquals(range / eps > Sinkhorn.MAX_KERNEL_EXPONENT, scorer.lastUsedLogDomain());
        if (scorer.lastUsedLogDomain() && result.converged()) {
          double[][] uv = Reference.weights("uniform", sim, candidate, query);
          double expected =
              Reference.flowSimilarity(
                  Reference.logSinkhornPlan(sim, uv[0], uv[1], eps, result.iterations() + 2000),
                  sim);
          assertEquals("trial " + trial, expected, result.emdSimilarity(), 1e-4);
          checked++;
        }
      }
    }
    assertTrue("no log-space case was checked", checked >= 4);
  }

  @Test
  public void largeEpsilonApproachesTheIndependentCoupling() {
    Random random = new Random(9);
    Face query = Reference.randomFace(random, 2, 3, 16, 16);
    Face candidate = Reference.randomFace(random, 2, 3, 16, 16);
    EmdResult result =
        new EmdScorer(query.patches, EmdParams.builder().epsilon(1e4).build())
            .score(candidate.patches, 0.0);
    // K is almost all ones, so T = u v^T and EMD = sum u_s v_m S[s,m].
    double[][] sim = Reference.similarity(candidate, query);
    double[][] uv = Reference.weights("apc", sim, candidate, query);
    double expected = 0;
    for (int s = 0; s < 6; s++) {
      for (int m = 0; m < 6; m++) {
        expected += uv[0][s] * uv[1][m] * sim[s][m];
      }
    }
    assertEquals(expected, result.emdSimilarity(), 1e-3);
  }

  private static double max(double[][] a) {
    double m = Double.NEGATIVE_INFINITY;
    for (double[] row : a) {
      for (double x : row) {
        m = Math.max(m, x);
      }
    }
    return m;
  }

  private static double min(double[][] a) {
    double m = Double.POSITIVE_INFINITY;
    for (double[] row : a) {
      for (double x : row) {
        m = Math.min(m, x);
      }
    }
    return m;
  }

  @Test
  public void rejectsMismatchedInputs() {
    Random random = new Random(10);
    Face q = Reference.randomFace(random, 2, 2, 8, 8);
    Face other = Reference.randomFace(random, 2, 2, 16, 16);
    EmdScorer scorer = new EmdScorer(q.patches, EmdParams.defaults());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> scorer.score(other.patches, 0));
    assertEquals("candidate patches have 16 dims but the query's have 8", e.getMessage());

    FacePatches noCentre =
        FacePatches.of(2, 2, cells(q.patches), null, null, q.patches.embedding());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> new EmdScorer(noCentre, EmdParams.defaults()));
    assertTrue(e.getMessage(), e.getMessage().contains("weighting [apc] needs the centre"));
    e = assertThrows(IllegalArgumentException.class, () -> scorer.score(noCentre, 0));
    assertTrue(e.getMessage(), e.getMessage().contains("the candidate face has none"));

    FacePatches wideEmbedding =
        FacePatches.of(2, 2, cells(q.patches), null, q.patches.centre(), new float[512]);
    EmdParams cc = EmdParams.builder().weighting(Weighting.CC).build();
    e = assertThrows(IllegalArgumentException.class, () -> new EmdScorer(wideEmbedding, cc));
    assertEquals(
        "weighting [cc] needs embedding dims equal to patch dims but the query face has 512 and 8",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> scorer.cosine(wideEmbedding));
    assertEquals("candidate embedding has 512 dims but the query's has 8", e.getMessage());
  }

  private static float[][] cells(FacePatches face) {
    float[][] cells = new float[face.cellCount()][];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = face.cell(i);
    }
    return cells;
  }

  @Test
  public void facePatchesValidatesShapes() {
    float[][] cells = {{1f, 0f}, {0f, 1f}};
    assertEquals(
        "patch grid [2x2] needs 4 cells but got 2",
        assertThrows(
                IllegalArgumentException.class, () -> FacePatches.of(2, 2, cells, null, null, null))
            .getMessage());
    assertEquals(
        "patch cell 1 has 3 dims but cell 0 has 2",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    FacePatches.of(1, 2, new float[][] {{1f, 0f}, {0f, 1f, 0f}}, null, null, null))
            .getMessage());
    assertEquals(
        "raw norms must have 2 values (one per cell) but has 3",
        assertThrows(
                IllegalArgumentException.class,
                () -> FacePatches.of(1, 2, cells, new float[3], null, null))
            .getMessage());
    assertEquals(
        "centre must have 2 values (the patch dims) but has 4",
        assertThrows(
                IllegalArgumentException.class,
                () -> FacePatches.of(1, 2, cells, null, new float[4], null))
            .getMessage());
    assertEquals(
        "patch grid must be at least 1x1 but was [0x2]",
        assertThrows(
                IllegalArgumentException.class, () -> FacePatches.of(0, 2, cells, null, null, null))
            .getMessage());
    assertEquals(
        "patch grid [1x2] with 2 dims needs 4 values but got 3",
        assertThrows(
                IllegalArgumentException.class,
                () -> FacePatches.fromCellMajor(1, 2, 2, new float[3], null, null, null))
            .getMessage());

    FacePatches flat =
        FacePatches.fromCellMajor(1, 2, 2, new float[] {1f, 0f, 0f, 1f}, null, null, null);
    assertEquals(2, flat.cellCount());
    assertEquals(1f, flat.cell(0, 1)[1], 0f);
    assertSame(cells, FacePatches.of(1, 2, cells, null, null, null).cellArrays());
  }
}
