package org.facesearch.recognizability;

import java.util.List;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.vectors.UnitVectors;

/**
 * The embedding recognizability score (docs/algorithms.md section 5): how far a face is from the
 * cluster of unrecognizable faces, {@code ERS(f) = min(1, 1 - <f_UI, f>)}, in [0, 1].
 */
public final class Recognizability {

  /** ERS of a unit embedding against a unit UI centroid. */
  public static float ers(float[] uiCentroid, float[] embedding) {
    if (uiCentroid.length != embedding.length) {
      throw new IllegalArgumentException(
          "UI centroid has "
              + uiCentroid.length
              + " dims but the embedding has "
              + embedding.length);
    }
    return Math.max(0f, Math.min(1f, 1 - VectorUtil.dotProduct(uiCentroid, embedding)));
  }

  /**
   * The ERS-weighted template of several unit embeddings of one person: {@code normalise(sum ERS_i
   * f_i)} over the embeddings with {@code ERS_i >= threshold}; null when none qualifies (the
   * template is unrecognizable).
   */
  public static float[] template(List<float[]> embeddings, List<Float> ers, float threshold) {
    if (embeddings.size() != ers.size()) {
      throw new IllegalArgumentException("one ERS per embedding is needed");
    }
    double[] sum = null;
    for (int i = 0; i < embeddings.size(); i++) {
      if (ers.get(i) < threshold) {
        continue;
      }
      float[] f = embeddings.get(i);
      if (sum == null) {
        sum = new double[f.length];
      }
      for (int d = 0; d < f.length; d++) {
        sum[d] += ers.get(i) * f[d];
      }
    }
    if (sum == null) {
      return null;
    }
    // Null when the weighted embeddings cancel out: no direction to search in.
    return UnitVectors.unit(sum);
  }

  private Recognizability() {}
}
