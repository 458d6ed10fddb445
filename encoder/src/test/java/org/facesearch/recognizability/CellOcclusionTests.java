package org.facesearch.recognizability;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertThrows;

import org.facesearch.image.RgbImage;
import org.junit.Test;

/** Flat shares per cell on images small enough to count by hand. */
public class CellOcclusionTests {

  /** 8x8: a checkerboard (never flat) with the top-left 4x4 quadrant painted one colour. */
  private static RgbImage paintedQuadrant() {
    byte[] px = new byte[8 * 8 * 3];
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        int v = x < 4 && y < 4 ? 40 : ((x + y) % 2 == 0 ? 200 : 10);
        for (int c = 0; c < 3; c++) {
          px[(y * 8 + x) * 3 + c] = (byte) v;
        }
      }
    }
    return new RgbImage(8, 8, px);
  }

  @Test
  public void countsPixelsWhoseWholeNeighbourhoodIsOneColour() {
    // In the painted quadrant (rows and columns 0-3) a pixel is flat when none of its neighbours
    // reaches row or column 4: rows and columns 0-2 (border neighbours clamp onto the quadrant),
    // 9 of its 16 pixels. The checkerboard cells have none.
    float[] shares = CellOcclusion.flatShares(paintedQuadrant(), 2, 2);
    assertArrayEquals(new float[] {9f / 16, 0f, 0f, 0f}, shares, 0f);
  }

  @Test
  public void oneColourEverywhereIsAllFlatAndAOneChannelDifferenceIsNot() {
    byte[] px = new byte[6 * 6 * 3];
    java.util.Arrays.fill(px, (byte) 77);
    assertArrayEquals(
        new float[] {1f, 1f, 1f, 1f}, CellOcclusion.flatShares(new RgbImage(6, 6, px), 2, 2), 0f);
    // One blue value changed at (0, 0): it and its neighbours (0-1, 0-1) stop being flat: 4 of the
    // first cell's 9.
    px[2] = 78;
    assertArrayEquals(
        new float[] {5f / 9, 1f, 1f, 1f},
        CellOcclusion.flatShares(new RgbImage(6, 6, px), 2, 2),
        0f);
  }

  @Test
  public void refusesAGridFinerThanTheImage() {
    assertThrows(
        IllegalArgumentException.class, () -> CellOcclusion.flatShares(paintedQuadrant(), 9, 2));
    assertThrows(
        IllegalArgumentException.class, () -> CellOcclusion.flatShares(paintedQuadrant(), 0, 2));
  }
}
