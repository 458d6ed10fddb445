package org.facesearch.recognizability;

import org.facesearch.image.RgbImage;

/**
 * Direct occlusion evidence for each cell of a face's patch grid: the share of the cell's pixels in
 * the aligned face that sit in a perfectly flat 3x3 neighbourhood (all nine pixels the same colour
 * in every channel). A photo of skin, hair or background is never that flat, even when smooth; a
 * painted-over region (a flat mask or band, the black padding where alignment reached past the
 * photo's edge) is. The {@code face_emd} weighting {@code recognizability} drops the cells this
 * marks (docs/rescorer.md). {@link #shares} pools any pixel mask the same way, e.g. the alignment
 * padding, which {@code alpha: auto} does not count as a covered face.
 *
 * <p>Cell {@code (i, j)} of an {@code rows x cols} grid covers pixel rows {@code [i*h/rows,
 * (i+1)*h/rows)} and columns {@code [j*w/cols, (j+1)*w/cols)} (integer division), the part of the
 * aligned face the model's patch is centred on. Neighbours past the image border are clamped to the
 * border pixel.
 */
public final class CellOcclusion {
  private CellOcclusion() {}

  /**
   * Per cell, row-major, the share in [0, 1] of its pixels whose 3x3 neighbourhood is flat.
   *
   * @throws IllegalArgumentException when the grid is empty or has more cells than the image pixels
   */
  public static float[] flatShares(RgbImage face, int rows, int cols) {
    int w = face.width();
    int h = face.height();
    checkGrid(w, h, rows, cols);
    byte[] px = face.pixels();
    boolean[] flat = new boolean[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        flat[y * w + x] = flatAround(px, w, h, x, y);
      }
    }
    return shares(flat, w, h, rows, cols);
  }

  /**
   * Per cell, row-major, the share in [0, 1] of its pixels marked in {@code pixels} (a {@code w x
   * h} row-major mask, such as {@link org.facesearch.align.FaceAligner#outside}: the alignment
   * padding where the aligned face reaches past the photo's edge).
   *
   * @throws IllegalArgumentException when the mask is not {@code w * h} long, the grid is empty or
   *     has more cells than pixels
   */
  public static float[] shares(boolean[] pixels, int w, int h, int rows, int cols) {
    checkGrid(w, h, rows, cols);
    if (pixels.length != w * h) {
      throw new IllegalArgumentException(
          "a mask of " + pixels.length + " pixels is not " + w + "x" + h);
    }
    int[] marked = new int[rows * cols];
    int[] count = new int[rows * cols];
    for (int y = 0; y < h; y++) {
      int cellRow = y * rows / h;
      for (int x = 0; x < w; x++) {
        int cell = cellRow * cols + x * cols / w;
        count[cell]++;
        if (pixels[y * w + x]) {
          marked[cell]++;
        }
      }
    }
    float[] out = new float[rows * cols];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) marked[i] / count[i];
    }
    return out;
  }

  private static void checkGrid(int w, int h, int rows, int cols) {
    if (rows <= 0 || cols <= 0 || rows > h || cols > w) {
      throw new IllegalArgumentException(
          "a " + rows + "x" + cols + " grid does not fit a " + w + "x" + h + " image");
    }
  }

  private static boolean flatAround(byte[] px, int w, int h, int x, int y) {
    int o = (y * w + x) * 3;
    for (int dy = -1; dy <= 1; dy++) {
      int yy = Math.min(h - 1, Math.max(0, y + dy));
      for (int dx = -1; dx <= 1; dx++) {
        int xx = Math.min(w - 1, Math.max(0, x + dx));
        int p = (yy * w + xx) * 3;
        if (px[p] != px[o] || px[p + 1] != px[o + 1] || px[p + 2] != px[o + 2]) {
          return false;
        }
      }
    }
    return true;
  }
}
