package org.facesearch.evaluation.identification;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class StageOneTests {

  /**
   * Unit vectors whose dot product with e1 is exactly {@code x} (x is a multiple of 1/64, so exact
   * in float).
   */
  private static float[] withCosine(double x) {
    return new float[] {(float) x, (float) Math.sqrt(1 - x * x), 0, 0};
  }

  @Test
  public void bestFirstTiesByIndexSkippingExcludedAndFaceless() {
    double[] cos = {0.25, 0.75, -0.5, 0.75, 0.125, 0.9375, 0.5};
    float[][] gallery = new float[cos.length + 1][];
    for (int i = 0; i < cos.length; i++) {
      gallery[i] = withCosine(cos[i]);
    }
    gallery[cos.length] = null; // an image without a face is not searchable
    StageOne s = new StageOne(gallery);
    float[] query = {1, 0, 0, 0};

    StageOne.Hits all = s.top(query, 10, -1);
    // By hand: 5 (0.9375), 1 and 3 (0.75, tie: lower index first), 6, 0, 4, 2.
    assertArrayEquals(new int[] {5, 1, 3, 6, 0, 4, 2}, all.items());
    assertArrayEquals(
        new float[] {0.9375f, 0.75f, 0.75f, 0.5f, 0.25f, 0.125f, -0.5f}, all.scores(), 1e-6f);

    StageOne.Hits top3 = s.top(query, 3, 5);
    assertArrayEquals(new int[] {1, 3, 6}, top3.items());
    assertEquals(3, top3.size());
  }
}
