package org.facesearch.patches;

import java.util.Arrays;
import org.facesearch.vectors.UnitVectors;

/**
 * A face's patch map: the model's last spatial feature map as {@code rows x cols} cells of {@code
 * dims} values. Cells are stored as unit vectors (cell-major, row-major cells) together with each
 * cell's raw norm, so the raw map ({@code unit * norm}) can be recovered exactly enough to pool
 * coarser grids and to recompute the map's centre.
 */
public final class PatchMap {

  private final int rows;
  private final int cols;
  private final int dims;
  private final float[] cells;
  private final float[] norms;

  /**
   * @param cells {@code rows * cols * dims} values, each cell a unit vector (or all zeros)
   * @param norms {@code rows * cols} raw norms, each finite and >= 0
   */
  public PatchMap(int rows, int cols, int dims, float[] cells, float[] norms) {
    if (rows <= 0 || cols <= 0 || dims <= 0) {
      throw new IllegalArgumentException(
          "patch grid must be positive, got [" + rows + "x" + cols + "] of [" + dims + "] dims");
    }
    if (rows > 255 || cols > 255) {
      throw new IllegalArgumentException(
          "patch grid must be at most 255x255, got [" + rows + "x" + cols + "]");
    }
    int n = rows * cols;
    if (cells.length != n * dims || norms.length != n) {
      throw new IllegalArgumentException(
          "patch map of ["
              + rows
              + "x"
              + cols
              + "x"
              + dims
              + "] needs "
              + (n * dims)
              + " cell values and "
              + n
              + " norms, got "
              + cells.length
              + " and "
              + norms.length);
    }
    for (int i = 0; i < cells.length; i++) {
      if (!Float.isFinite(cells[i])) {
        throw new IllegalArgumentException("patch value [" + i + "] is not finite: " + cells[i]);
      }
    }
    for (int i = 0; i < norms.length; i++) {
      if (!Float.isFinite(norms[i]) || norms[i] < 0) {
        throw new IllegalArgumentException(
            "patch norm [" + i + "] must be finite and >= 0, got " + norms[i]);
      }
    }
    this.rows = rows;
    this.cols = cols;
    this.dims = dims;
    this.cells = cells;
    this.norms = norms;
  }

  /**
   * Builds a map from a raw feature map in the model's layout, channel-major ({@code C x H x W}):
   * each cell is L2-normalised and its norm kept.
   */
  public static PatchMap fromChannelMajor(float[] chw, int dims, int rows, int cols) {
    int n = rows * cols;
    if (chw.length != dims * n) {
      throw new IllegalArgumentException(
          "feature map of ["
              + dims
              + "x"
              + rows
              + "x"
              + cols
              + "] needs "
              + (dims * n)
              + " values, got "
              + chw.length);
    }
    float[] cells = new float[n * dims];
    float[] norms = new float[n];
    float[] cell = new float[dims];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < dims; c++) {
        cell[c] = chw[c * n + i];
      }
      norms[i] = UnitVectors.normalise(cell);
      System.arraycopy(cell, 0, cells, i * dims, dims);
    }
    return new PatchMap(rows, cols, dims, cells, norms);
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  public int dims() {
    return dims;
  }

  /** Number of cells, {@code rows * cols}. */
  public int size() {
    return rows * cols;
  }

  /** Unit cell vectors, cell-major; the array is shared, not copied. */
  public float[] cells() {
    return cells;
  }

  /** Raw norm of each cell; the array is shared, not copied. */
  public float[] norms() {
    return norms;
  }

  /** Unit vector of one cell, copied. */
  public float[] cell(int index) {
    return Arrays.copyOfRange(cells, index * dims, (index + 1) * dims);
  }

  /**
   * The map's centre: the mean of the raw cells over the grid, L2-normalised (zeros if all zero).
   */
  public float[] centre() {
    double[] sum = new double[dims];
    for (int cell = 0; cell < size(); cell++) {
      for (int c = 0; c < dims; c++) {
        sum[c] += (double) cells[cell * dims + c] * norms[cell];
      }
    }
    float[] centre = UnitVectors.unit(sum);
    return centre != null ? centre : new float[dims];
  }
}
