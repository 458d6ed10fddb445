package org.facesearch.evaluation.identification;

import java.util.ArrayList;
import java.util.List;
import org.facesearch.emd.EmdParams;
import org.facesearch.emd.Grid;
import org.facesearch.emd.Weighting;

/**
 * One stage-2 setting: a weighting and a grid, with the product's defaults for everything else but
 * alpha.
 */
record EmdConfig(Weighting weighting, Grid grid) {

  EmdParams params(double alpha) {
    return EmdParams.builder().weighting(weighting).grid(grid).alpha(alpha).build();
  }

  /** E.g. {@code apc 7x7} (the default model's native grid) or {@code sc 4x4}. */
  String label(int nativeRows, int nativeCols) {
    return weighting.wireName()
        + " "
        + (grid == Grid.NATIVE ? nativeRows + "x" + nativeCols : grid.wireName());
  }

  /** apc, uniform and sc, each on the native grid and on 4x4: the paper's weightings and grids. */
  static List<EmdConfig> paperGrid() {
    List<EmdConfig> out = new ArrayList<>();
    for (Weighting w : List.of(Weighting.APC, Weighting.UNIFORM, Weighting.SC)) {
      for (Grid g : List.of(Grid.NATIVE, Grid.POOLED_4X4)) {
        out.add(new EmdConfig(w, g));
      }
    }
    return out;
  }
}
