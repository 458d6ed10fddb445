package org.facesearch.queryface;

import org.opensearch.core.action.ActionListener;

/**
 * Query faces given as embeddings: scaled to unit length (cosine does not depend on length); their
 * optional encoded patches pass through as given and are checked where stage 2 decodes them.
 */
public final class EmbeddingFaces {

  /** The unit query face of an embedding input, or the reason it has none. */
  public static QueryFace of(FaceInput input, Float ersThreshold) {
    float[] e = input.embedding();
    double sum = 0;
    for (float v : e) {
      sum += (double) v * v;
    }
    if (sum == 0) {
      throw new IllegalArgumentException("[embedding] is all zeros and has no direction");
    }
    float inv = (float) (1 / Math.sqrt(sum));
    float[] unit = new float[e.length];
    for (int i = 0; i < e.length; i++) {
      unit[i] = e[i] * inv;
    }
    return new QueryFace(unit, null, ersThreshold, input.patches(), input.model());
  }

  public static void encode(FaceInput input, Float ersThreshold, ActionListener<QueryFace> listener) {
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
