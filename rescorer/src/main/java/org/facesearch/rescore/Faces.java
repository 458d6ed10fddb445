package org.facesearch.rescore;

import org.facesearch.emd.FacePatches;
import org.facesearch.patches.PatchMap;

/** Converts a stored patch map into the EMD scorer's view of a face. */
final class Faces {

  static FacePatches patches(PatchMap map, float[] unitEmbedding) {
    return FacePatches.fromCellMajor(
        map.rows(), map.cols(), map.dims(), map.cells(), map.norms(), map.centre(), unitEmbedding);
  }

  private Faces() {}
}
