package org.facesearch.emd;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** alpha: auto against the formula worked out by hand. */
public class AutoAlphaTests {

  /** A 7x7 face whose first {@code covered} cells have occlusion {@code share}. */
  private static FacePatches face(int covered, float share) {
    float[][] cells = new float[49][];
    float[] occlusion = new float[49];
    for (int i = 0; i < 49; i++) {
      cells[i] = new float[] {1f, 0f};
      occlusion[i] = i < covered ? share : 0f;
    }
    return FacePatches.of(7, 7, cells, null, null, null).withOcclusion(occlusion);
  }

  @Test
  public void growsWithTheCoveredShareUpToItsCap() {
    assertEquals(0.3, AutoAlpha.of(face(0, 1f)), 1e-12);
    // 7 of 49 cells: 0.3 + 1/7.
    assertEquals(0.3 + 1.0 / 7, AutoAlpha.of(face(7, 1f)), 1e-12);
    assertEquals(1.0 / 7, AutoAlpha.occludedShare(face(7, 1f)), 1e-12);
    // 21 of 49 cells (a mask over the lower three rows): 0.3 + 3/7 = 0.73 is capped at 0.5.
    assertEquals(0.5, AutoAlpha.of(face(21, 1f)), 1e-12);
  }

  @Test
  public void aCellCountsFromFivePercentCovered() {
    assertEquals(0.0, AutoAlpha.occludedShare(face(7, 0.049f)), 0.0);
    assertEquals(1.0 / 7, AutoAlpha.occludedShare(face(7, 0.05f)), 1e-12);
  }

  @Test
  public void noEvidenceMeansNoCoveredCells() {
    FacePatches plain = FacePatches.of(1, 1, new float[][] {{1f}}, null, null, null);
    assertEquals(0.3, AutoAlpha.of(plain), 0.0);
  }
}
