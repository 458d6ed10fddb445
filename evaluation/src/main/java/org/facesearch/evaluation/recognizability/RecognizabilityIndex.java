package org.facesearch.evaluation.recognizability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.recognizability.UiCentroids;

/**
 * The components of the Recognizability Index of a labelled gallery (VLRFR, CVPR 2023;
 * docs/algorithms.md section 6), reported side by side:
 *
 * <ul>
 *   <li>{@code d_P = 1 - cos(f, p_own)}: distance to the face's own identity prototype;
 *   <li>{@code d_N = 1 - max cos(f, p_other)}: distance to the nearest prototype of another
 *       identity;
 *   <li>{@code d_UI = 1 - cos(f, f_UI)}: distance to the unrecognizable-identity centroid.
 * </ul>
 *
 * A prototype is the mean of an identity's unit embeddings. Easy faces have a small {@code d_P}, a
 * large {@code d_N} and a large {@code d_UI}. The paper's closed-form combination of the three is
 * not reproduced: they are components, not an index.
 */
final class RecognizabilityIndex {

  /** One face's three distances (see the class description). */
  public record Components(double dP, double dN, double dUI) {}

  private final List<String> labels;
  private final List<float[]> prototypes; // unit length, one per label
  private final Map<String, Integer> index;
  private final float[] ui;

  private RecognizabilityIndex(List<String> labels, List<float[]> prototypes, float[] ui) {
    this.labels = labels;
    this.prototypes = prototypes;
    this.ui = ui;
    this.index = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      index.put(labels.get(i), i);
    }
  }

  /**
   * Prototypes from a labelled gallery: for each label, the L2-normalised mean of its unit
   * embeddings (cosine to it equals cosine to the plain mean).
   *
   * @param embeddings gallery embeddings (each normalised first)
   * @param labels one identity label per embedding; at least two distinct labels, so that {@code
   *     d_N} exists
   * @param uiCentroid the model's UI centroid (normalised first)
   */
  public static RecognizabilityIndex of(
      List<float[]> embeddings, List<String> labels, float[] uiCentroid) {
    if (embeddings.size() != labels.size()) {
      throw new IllegalArgumentException(
          "one label per embedding is needed: "
              + embeddings.size()
              + " embeddings, "
              + labels.size()
              + " labels");
    }
    Map<String, List<float[]>> byLabel = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      byLabel.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(embeddings.get(i));
    }
    if (byLabel.size() < 2) {
      throw new IllegalArgumentException(
          "d_N needs at least two identities, got " + byLabel.size());
    }
    List<String> names = new ArrayList<>(byLabel.keySet());
    List<float[]> protos = new ArrayList<>();
    for (String name : names) {
      protos.add(UiCentroids.mean(byLabel.get(name)));
    }
    float[] ui = UiCentroids.mean(List.of(uiCentroid));
    if (ui.length != protos.get(0).length) {
      throw new IllegalArgumentException(
          "the UI centroid has "
              + ui.length
              + " dims but the embeddings have "
              + protos.get(0).length);
    }
    return new RecognizabilityIndex(List.copyOf(names), List.copyOf(protos), ui);
  }

  /** The identities, in order of first appearance in the gallery. */
  public List<String> labels() {
    return labels;
  }

  /** The unit prototype of {@code label}, or null when the gallery has no such identity. */
  public float[] prototype(String label) {
    Integer i = index.get(label);
    return i == null ? null : prototypes.get(i).clone();
  }

  /**
   * The three distances of one face labelled {@code label} (the face need not be in the gallery; if
   * it is, its own prototype includes it).
   *
   * @throws IllegalArgumentException when the label has no prototype or the dimensions differ
   */
  public Components components(float[] embedding, String label) {
    Integer own = index.get(label);
    if (own == null) {
      throw new IllegalArgumentException("no identity [" + label + "] in the gallery");
    }
    float[] f = UiCentroids.mean(List.of(embedding));
    if (f.length != ui.length) {
      throw new IllegalArgumentException(
          "the embedding has " + f.length + " dims but the gallery has " + ui.length);
    }
    double nearestOther = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < prototypes.size(); i++) {
      if (i != own) {
        nearestOther = Math.max(nearestOther, VectorUtil.dotProduct(f, prototypes.get(i)));
      }
    }
    return new Components(
        1 - VectorUtil.dotProduct(f, prototypes.get(own)),
        1 - nearestOther,
        1 - VectorUtil.dotProduct(f, ui));
  }
}
