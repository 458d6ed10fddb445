package org.facesearch.emd;

/**
 * One face as the EMD re-ranker reads it: an {@code rows x cols} grid of L2-normalised cell vectors
 * of {@code dims} values (cells in row-major order), optionally the norm each cell had before
 * normalisation, the L2-normalised centre (global average of the map) and the L2-normalised
 * embedding.
 *
 * <p>Arrays are held, not copied (a re-ranking reads a hundred of these per query): callers must
 * not modify them afterwards. Values are expected to be finite; unit length is not checked, since
 * that would cost as much as scoring.
 *
 * <p>The centre is needed by {@link Weighting#APC}, the embedding by {@link Weighting#CC} and by
 * {@link EmdScorer#cosine(FacePatches)}; either may be {@code null} when unused.
 */
public final class FacePatches {
  private final int rows;
  private final int cols;
  private final int dims;
  private final float[][] cells;
  private final float[] rawNorms;
  private final float[] centre;
  private final float[] embedding;
  private final float[] occlusion;
  private final float[] padding;

  private FacePatches(
      int rows,
      int cols,
      int dims,
      float[][] cells,
      float[] rawNorms,
      float[] centre,
      float[] embedding) {
    this(rows, cols, dims, cells, rawNorms, centre, embedding, null, null);
  }

  private FacePatches(
      int rows,
      int cols,
      int dims,
      float[][] cells,
      float[] rawNorms,
      float[] centre,
      float[] embedding,
      float[] occlusion,
      float[] padding) {
    this.rows = rows;
    this.cols = cols;
    this.dims = dims;
    this.cells = cells;
    this.rawNorms = rawNorms;
    this.centre = centre;
    this.embedding = embedding;
    this.occlusion = occlusion;
    this.padding = padding;
  }

  /**
   * This face with per-cell occlusion evidence attached (held, not copied): for each cell,
   * row-major, the share in [0, 1] of its part of the image that is occluded (painted flat). Only
   * the query side's evidence is read, by {@link Weighting#RECOGNIZABILITY} and {@link AutoAlpha}.
   *
   * @param occlusion {@code rows * cols} values in [0, 1], or {@code null} for none
   * @throws IllegalArgumentException when the length or a value is out of range
   */
  public FacePatches withOcclusion(float[] occlusion) {
    return withOcclusion(occlusion, null);
  }

  /**
   * As {@link #withOcclusion(float[])}, also saying per cell which share of the image there is
   * alignment padding (the aligned face reaching past the photo's edge). Padding is flat, so it is
   * part of the occlusion too, and the masses drop it like any covered part; {@link AutoAlpha} does
   * not count it, because a photo that ends there is not a covered face.
   *
   * @param padding {@code rows * cols} values in [0, 1], or {@code null} for none
   * @throws IllegalArgumentException when a length or a value is out of range, or padding comes
   *     without occlusion
   */
  public FacePatches withOcclusion(float[] occlusion, float[] padding) {
    checkShares(occlusion, "occlusion");
    checkShares(padding, "padding");
    if (padding != null && occlusion == null) {
      throw new IllegalArgumentException("padding evidence needs occlusion evidence");
    }
    return new FacePatches(
        rows, cols, dims, cells, rawNorms, centre, embedding, occlusion, padding);
  }

  private void checkShares(float[] shares, String what) {
    if (shares == null) {
      return;
    }
    checkOptional(shares, cells.length, what, "one per cell");
    for (int i = 0; i < shares.length; i++) {
      // Negated so that NaN fails too.
      if (!(shares[i] >= 0f && shares[i] <= 1f)) {
        throw new IllegalArgumentException(
            what + " of cell " + i + " must be in [0, 1] but was [" + shares[i] + "]");
      }
    }
  }

  /**
   * Wraps one array per cell (no copy). This is the layout the scorer reads directly, because
   * Lucene's {@code VectorUtil.dotProduct} takes whole arrays.
   *
   * @param cells {@code rows * cols} unit vectors of equal length, row-major
   * @param rawNorms the cells' norms before normalisation ({@code rows * cols}), or {@code null}
   * @param centre the unit centre, same length as a cell, or {@code null}
   * @param embedding the unit embedding, or {@code null}
   * @throws IllegalArgumentException when shapes disagree
   */
  public static FacePatches of(
      int rows, int cols, float[][] cells, float[] rawNorms, float[] centre, float[] embedding) {
    checkGrid(rows, cols);
    if (cells == null || cells.length != rows * cols) {
      throw new IllegalArgumentException(
          "patch grid ["
              + rows
              + "x"
              + cols
              + "] needs "
              + (rows * cols)
              + " cells but got "
              + (cells == null ? "none" : cells.length));
    }
    int dims = cells[0] == null ? 0 : cells[0].length;
    if (dims == 0) {
      throw new IllegalArgumentException("patch cells must have at least one dimension");
    }
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] == null || cells[i].length != dims) {
        throw new IllegalArgumentException(
            "patch cell "
                + i
                + " has "
                + (cells[i] == null ? "no values" : cells[i].length + " dims")
                + " but cell 0 has "
                + dims);
      }
    }
    checkOptional(rawNorms, rows * cols, "raw norms", "one per cell");
    checkOptional(centre, dims, "centre", "the patch dims");
    if (embedding != null && embedding.length == 0) {
      throw new IllegalArgumentException("embedding must not be empty");
    }
    return new FacePatches(rows, cols, dims, cells, rawNorms, centre, embedding);
  }

  /**
   * Copies a flat cell-major array ({@code [cell][dims]}, cells row-major) into one array per cell.
   *
   * @throws IllegalArgumentException when {@code cellMajor.length != rows * cols * dims} or other
   *     shapes disagree
   */
  public static FacePatches fromCellMajor(
      int rows,
      int cols,
      int dims,
      float[] cellMajor,
      float[] rawNorms,
      float[] centre,
      float[] embedding) {
    checkGrid(rows, cols);
    if (dims <= 0) {
      throw new IllegalArgumentException("patch dims must be > 0 but was [" + dims + "]");
    }
    long expected = (long) rows * cols * dims;
    if (cellMajor == null || cellMajor.length != expected) {
      throw new IllegalArgumentException(
          "patch grid ["
              + rows
              + "x"
              + cols
              + "] with "
              + dims
              + " dims needs "
              + expected
              + " values but got "
              + (cellMajor == null ? "none" : cellMajor.length));
    }
    float[][] cells = new float[rows * cols][];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = new float[dims];
      System.arraycopy(cellMajor, i * dims, cells[i], 0, dims);
    }
    return of(rows, cols, cells, rawNorms, centre, embedding);
  }

  private static void checkGrid(int rows, int cols) {
    if (rows <= 0 || cols <= 0) {
      throw new IllegalArgumentException(
          "patch grid must be at least 1x1 but was [" + rows + "x" + cols + "]");
    }
  }

  private static void checkOptional(float[] values, int expected, String what, String expectation) {
    if (values != null && values.length != expected) {
      throw new IllegalArgumentException(
          what
              + " must have "
              + expected
              + " values ("
              + expectation
              + ") but has "
              + values.length);
    }
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** Length of each cell vector (and of the centre). */
  public int dims() {
    return dims;
  }

  /** {@code rows * cols}. */
  public int cellCount() {
    return cells.length;
  }

  /** The unit vector of cell {@code index} (row-major); the held array, do not modify. */
  public float[] cell(int index) {
    return cells[index];
  }

  /** The unit vector of the cell at ({@code row}, {@code col}); the held array, do not modify. */
  public float[] cell(int row, int col) {
    return cells[row * cols + col];
  }

  /** Whether the pre-normalisation norms are known (then pooling is exact). */
  public boolean hasRawNorms() {
    return rawNorms != null;
  }

  /** The norm cell {@code index} had before normalisation; 1 when unknown. */
  public float rawNorm(int index) {
    return rawNorms == null ? 1f : rawNorms[index];
  }

  /** The unit centre, or {@code null}. */
  public float[] centre() {
    return centre;
  }

  /** The unit embedding, or {@code null}. */
  public float[] embedding() {
    return embedding;
  }

  /** Whether per-cell occlusion evidence is attached. */
  public boolean hasOcclusion() {
    return occlusion != null;
  }

  /** The occluded share of cell {@code index}; 0 when no evidence is attached. */
  public float occlusion(int index) {
    return occlusion == null ? 0f : occlusion[index];
  }

  /** The alignment-padding share of cell {@code index}; 0 when no padding evidence is attached. */
  public float padding(int index) {
    return padding == null ? 0f : padding[index];
  }

  /** The held per-cell arrays, for the scorer's inner loops. */
  float[][] cellArrays() {
    return cells;
  }

  /**
   * Adaptive average pooling to {@code outRows x outCols}: output bin {@code i} covers input rows
   * {@code floor(i*H/outRows)} (inclusive) to {@code ceil((i+1)*H/outRows)} (exclusive), and
   * likewise for columns. The raw vectors (unit vector times raw norm) are averaged and the result
   * is L2-normalised; the centre and embedding are unchanged. Without raw norms every cell counts
   * with norm 1, which is only an approximation of pooling the model's map. A bin whose raw vectors
   * cancel exactly stays a zero vector (it then correlates with nothing) rather than becoming NaN.
   * Occlusion and padding evidence, when attached, are pooled over the same bins as the mean of
   * their cells.
   */
  public FacePatches pooled(int outRows, int outCols) {
    checkGrid(outRows, outCols);
    float[][] out = new float[outRows * outCols][dims];
    float[] norms = new float[outRows * outCols];
    AdaptivePooling.pool(this, outRows, outCols, out, norms);
    float[] pooledOcclusion =
        occlusion == null ? null : AdaptivePooling.mean(occlusion, rows, cols, outRows, outCols);
    float[] pooledPadding =
        padding == null ? null : AdaptivePooling.mean(padding, rows, cols, outRows, outCols);
    return new FacePatches(
        outRows, outCols, dims, out, norms, centre, embedding, pooledOcclusion, pooledPadding);
  }

  @Override
  public String toString() {
    return "FacePatches["
        + rows
        + "x"
        + cols
        + "x"
        + dims
        + (rawNorms != null ? ", raw norms" : "")
        + "]";
  }
}
