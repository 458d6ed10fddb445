package org.facesearch.emd;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** centre_patches on two-cell faces worked out by hand. */
public class CentringTests {
  private static final float H = (float) Math.sqrt(0.5);

  @Test
  public void cellsLoseTheirMeanAndAreRenormalised() {
    // (1, 0) and (0, 1): mean (0.5, 0.5), differences (0.5, -0.5) and (-0.5, 0.5), length
    // sqrt(0.5).
    float[][] c = PatchCentring.centred(new float[][] {{1f, 0f}, {0f, 1f}}, 2);
    assertArrayEquals(new float[] {H, -H}, c[0], 1e-6f);
    assertArrayEquals(new float[] {-H, H}, c[1], 1e-6f);
    // A face whose cells are all the same has nothing left: zero vectors, not NaN.
    float[][] same = PatchCentring.centred(new float[][] {{0.6f, 0.8f}, {0.6f, 0.8f}}, 2);
    assertArrayEquals(new float[] {0f, 0f}, same[0], 0f);
  }

  @Test
  public void theTransportRunsOnCentredSimilarities() {
    FacePatches q = FacePatches.of(1, 2, new float[][] {{1f, 0f}, {0f, 1f}}, null, null, null);
    FacePatches g =
        FacePatches.of(1, 2, new float[][] {{0.6f, 0.8f}, {0.8f, -0.6f}}, null, null, null);
    // Query centred: (H, -H), (-H, H). Candidate mean (0.7, 0.1): (-0.1, 0.7) and (0.1, -0.7), both
    // of length sqrt(0.5), so S = [[-0.8, 0.8], [0.8, -0.8]]; uniform halves go g0 -> q1 and
    // g1 -> q0 (the diagonal carries about e^-32), EMD = 0.8 times the mass 1 / (1 + 1e-7).
    EmdParams params =
        EmdParams.builder()
            .weighting(Weighting.UNIFORM)
            .centrePatches(true)
            .tolerance(1e-12)
            .maxIterations(1000)
            .build();
    assertEquals(0.8, new EmdScorer(q, params).score(g, 0.0).emdSimilarity(), 1e-6);
    // A candidate whose two cells are equal: centred, both are zero and S = 0; plain, S = [[0.6,
    // 0.8],
    // [0.6, 0.8]] and every plan with the uniform marginals costs 0.6 / 2 + 0.8 / 2 = 0.7.
    FacePatches flat =
        FacePatches.of(1, 2, new float[][] {{0.6f, 0.8f}, {0.6f, 0.8f}}, null, null, null);
    assertEquals(0.0, new EmdScorer(q, params).score(flat, 0.0).emdSimilarity(), 1e-6);
    EmdParams plain = params.toBuilder().centrePatches(false).build();
    assertEquals(0.7, new EmdScorer(q, plain).score(flat, 0.0).emdSimilarity(), 1e-6);
    // On the 4x4 grid too: faces whose cells are all alike centre to zero vectors, so S = 0.
    EmdParams pooled = params.toBuilder().grid(Grid.POOLED_4X4).build();
    FacePatches q44 = FacePatches.of(4, 4, fill(16, new float[] {1f, 0f}), null, null, null);
    FacePatches g44 = FacePatches.of(4, 4, fill(16, new float[] {0f, 1f}), null, null, null);
    assertEquals(0.0, new EmdScorer(q44, pooled).score(g44, 0.0).emdSimilarity(), 1e-6);
  }

  private static float[][] fill(int n, float[] v) {
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = v.clone();
    }
    return out;
  }
}
