package org.facesearch.plugin.recognizability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.facesearch.encoder.FaceModel;
import org.facesearch.recognizability.ErsSummary;
import org.facesearch.recognizability.Recognizability;
import org.facesearch.recognizability.UiCentroids;

/**
 * A computed UI centroid, the statistics that let a user judge it, and a note saying how it was
 * made (which becomes {@code ui_centroid_source} when the centroid is installed).
 */
record CentroidResult(float[] centroid, Map<String, Object> statistics, String source) {

  /** The ERS of each embedding against {@code centroid}, summarised. */
  static Map<String, Object> ersSummary(float[] centroid, List<float[]> embeddings) {
    double[] ers = new double[embeddings.size()];
    for (int i = 0; i < ers.length; i++) {
      ers[i] = Recognizability.ers(centroid, embeddings.get(i));
    }
    ErsSummary s = ErsSummary.of(ers);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("count", s.n());
    out.put("mean", s.mean());
    out.put("p5", s.p5());
    out.put("p50", s.p50());
    out.put("p95", s.p95());
    return out;
  }

  /** Cosine distance from the model's centroid in force, or null when the model has none. */
  static Double distanceToCurrent(FaceModel model, float[] centroid) {
    if (model.recognizability() == null || model.recognizability().uiCentroid() == null) {
      return null;
    }
    return UiCentroids.cosineDistance(model.recognizability().uiCentroid(), centroid);
  }
}
