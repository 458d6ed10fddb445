package org.facesearch.rescore;

import java.io.IOException;
import org.apache.lucene.index.LeafReader;
import org.facesearch.emd.FacePatches;
import org.facesearch.field.FaceLayout;
import org.facesearch.patches.PatchMap;

/** Faces as the EMD scorer reads them: from a stored patch map and its unit embedding. */
final class Faces {

  static FacePatches patches(PatchMap map, float[] unitEmbedding) {
    return FacePatches.fromCellMajor(
        map.rows(), map.cols(), map.dims(), map.cells(), map.norms(), map.centre(), unitEmbedding);
  }

  /** Reads the gallery faces of one segment; ask for each document once, in increasing order. */
  static final class Gallery {
    private final FaceLayout.StoredFaces stored;

    Gallery(LeafReader reader, String field) throws IOException {
      this.stored = FaceLayout.read(reader, field);
    }

    /** The face of {@code doc}, or null when it has no embedding or no patches. */
    FacePatches face(int doc) throws IOException {
      float[] embedding = stored.embedding(doc);
      if (embedding == null) {
        return null;
      }
      PatchMap map = stored.patches(doc);
      return map == null ? null : patches(map, embedding);
    }
  }

  private Faces() {}
}
