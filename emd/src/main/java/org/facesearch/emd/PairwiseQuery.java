package org.facesearch.emd;

/** A {@link PreparedQuery} that keeps the cells as they are and takes one dot product per pair. */
final class PairwiseQuery extends PreparedQuery {
  private final PatchDotProduct dot;
  private final float[][] cells;
  private final int count;

  PairwiseQuery(PatchDotProduct dot, float[][] cells, int count) {
    this.dot = dot;
    this.cells = cells;
    this.count = count;
  }

  @Override
  int count() {
    return count;
  }

  @Override
  void similarities(float[][] rows, int rowCount, float[] out) {
    int o = 0;
    for (int s = 0; s < rowCount; s++) {
      float[] g = rows[s];
      for (int m = 0; m < count; m++) {
        out[o++] = dot.dot(g, cells[m]);
      }
    }
  }

  @Override
  void dotsWithQuery(float[] a, float[] out) {
    for (int m = 0; m < count; m++) {
      out[m] = dot.dot(a, cells[m]);
    }
  }
}
