package org.facesearch.encoder;

import org.facesearch.model.ModelPack;
import org.facesearch.model.PackDescriptor;
import org.facesearch.recognizability.Recognizability;

/** A loaded model pack: its descriptor, its encoder, and its recognizability reference. */
public record FaceModel(ModelPack pack, FaceEncoder encoder) {

  /** {@code name@version}, as documents record which model made a face. */
  public String id() {
    return pack.name() + "@" + pack.version();
  }

  /** The ERS of a unit embedding, or null when the pack ships no UI centroid. */
  public Float ers(float[] embedding) {
    PackDescriptor.Recognizability r = pack.descriptor().recognizability();
    if (r == null || r.uiCentroid() == null) {
      return null;
    }
    return Recognizability.ers(r.uiCentroid(), embedding);
  }

  /** The pack's calibrated ERS threshold, or null when it has none. */
  public Float ersThreshold() {
    PackDescriptor.Recognizability r = pack.descriptor().recognizability();
    return r == null || r.ersThreshold() == null ? null : r.ersThreshold().floatValue();
  }
}
