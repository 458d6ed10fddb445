package org.facesearch.queryface;

import org.facesearch.vectors.UnitVectors;
import org.opensearch.core.action.ActionListener;

/**
 * Query faces given as embeddings: scaled to unit length (cosine does not depend on length); their
 * optional encoded patches pass through as given and are checked where stage 2 decodes them.
 */
public final class EmbeddingFaces {

  /** The unit query face of an embedding input, or the reason it has none. */
  public static QueryFace of(FaceInput input, Float ersThreshold) {
    float[] unit =
        UnitVectors.unitCopy(input.embedding()); // the input checked its values are finite
    if (unit == null) {
      throw new IllegalArgumentException("[embedding] is all zeros and has no direction");
    }
    return new QueryFace(unit, null, ersThreshold, input.patches(), input.model());
  }

  public static void encode(
      FaceInput input, Float ersThreshold, ActionListener<QueryFace> listener) {
    QueryFace face;
    try {
      face = of(input, ersThreshold);
    } catch (IllegalArgumentException e) {
      listener.onFailure(e);
      return;
    }
    listener.onResponse(face);
  }

  private EmbeddingFaces() {}
}
