package org.facesearch.emd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

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
  public void alignmentPaddingIsNotACoveredFace() {
    // The first 7 cells (the top row) are flat: all of it padding past the photo's edge, then
    // half of it, then a painted band with a thin strip of padding.
    float[][] cells = new float[49][];
    float[] occlusion = new float[49];
    for (int i = 0; i < 49; i++) {
      cells[i] = new float[] {1f, 0f};
      occlusion[i] = i < 7 ? 1f : 0f;
    }
    FacePatches base = FacePatches.of(7, 7, cells, null, null, null);
    float[] allPadding = new float[49];
    float[] halfPadding = new float[49];
    float[] strip = new float[49];
    for (int i = 0; i < 7; i++) {
      allPadding[i] = 1f;
      halfPadding[i] = 0.5f;
      strip[i] = 0.03f;
    }
    assertEquals(0.3, AutoAlpha.of(base.withOcclusion(occlusion, allPadding)), 1e-12);
    // Half the row is still covered beyond the padding: it counts.
    assertEquals(0.3 + 1.0 / 7, AutoAlpha.of(base.withOcclusion(occlusion, halfPadding)), 1e-12);
    assertEquals(0.3 + 1.0 / 7, AutoAlpha.of(base.withOcclusion(occlusion, strip)), 1e-12);
    // The masses still drop padding cells: they hold no face.
    assertEquals(true, AutoAlpha.occluded(base.withOcclusion(occlusion, allPadding), 0));
  }

  @Test
  public void paddingNeedsOcclusionEvidenceAndValidShares() {
    FacePatches plain = FacePatches.of(1, 1, new float[][] {{1f}}, null, null, null);
    assertThrows(IllegalArgumentException.class, () -> plain.withOcclusion(null, new float[] {0f}));
    assertThrows(
        IllegalArgumentException.class,
        () -> plain.withOcclusion(new float[] {0f}, new float[] {1.5f}));
    assertThrows(
        IllegalArgumentException.class,
        () -> plain.withOcclusion(new float[] {0f}, new float[] {0f, 0f}));
  }

  @Test
  public void noEvidenceMeansNoCoveredCells() {
    FacePatches plain = FacePatches.of(1, 1, new float[][] {{1f}}, null, null, null);
    assertEquals(0.3, AutoAlpha.of(plain), 0.0);
  }
}
