package org.facesearch.recognizability;

import java.util.List;

/**
 * The embedding recognizability score (ALGORITHMS.md section 4): how far a face is from the
 * cluster of unrecognizable faces, {@code ERS(f) = min(1, 1 - <f_UI, f>)}, in [0, 1].
 */
public final class Recognizability {

  /** ERS of a unit embedding against a unit UI centroid. */
  public static float ers(float[] uiCentroid, float[] embedding) {
    if (uiCentroid.length != embedding.length) {
      throw new IllegalArgumentException(
          "UI centroid has " + uiCentroid.length + " dims but the embedding has " + embedding.length);
    }
    double dot = 0;
    for (int i = 0; i < embedding.length; i++) {
      dot += (double) uiCentroid[i] * embedding[i];
    }
    return (float) Math.max(0, Math.min(1, 1 - dot));
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
    double norm = 0;
    for (double v : sum) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    if (norm == 0) {
      return null; // the weighted embeddings cancel out: no direction to search in
    }
    float[] out = new float[sum.length];
    for (int d = 0; d < sum.length; d++) {
      out[d] = (float) (sum[d] / norm);
    }
    return out;
  }

  private Recognizability() {}
}
