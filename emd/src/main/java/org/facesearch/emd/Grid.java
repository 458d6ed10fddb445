package org.facesearch.emd;

/** Which patch grid the transport problem is solved on. */
public enum Grid {
  /** The model's own map (7 x 7 for the default model). */
  NATIVE("native", 0, 0),
  /** Adaptive average pooling of the map to 4 x 4 before per-patch normalisation (16 patches). */
  POOLED_4X4("4x4", 4, 4);

  private final String wireName;
  private final int rows;
  private final int cols;

  Grid(String wireName, int rows, int cols) {
    this.wireName = wireName;
    this.rows = rows;
    this.cols = cols;
  }

  /**
   * The name used in requests ({@code native} or {@code 4x4}); the rescorer parses requests by it.
   */
  public String wireName() {
    return wireName;
  }

  /** Applies this grid to a face: itself for {@link #NATIVE}, a new pooled face otherwise. */
  public FacePatches apply(FacePatches face) {
    return this == NATIVE ? face : face.pooled(rows, cols);
  }

  /** The cells scored on this grid for a face whose own map is {@code rows x cols}. */
  public int cells(int rows, int cols) {
    return this == NATIVE ? rows * cols : this.rows * this.cols;
  }

  /** Rows of the pooled grid; 0 for {@link #NATIVE} (the face's own). */
  public int pooledRows() {
    return rows;
  }

  /** Columns of the pooled grid; 0 for {@link #NATIVE} (the face's own). */
  public int pooledCols() {
    return cols;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
