package org.facesearch.encoder;

import java.nio.file.Path;
import org.facesearch.model.ModelPack;
import org.facesearch.model.PackDescriptor;
import org.facesearch.recognizability.Recognizability;
import org.facesearch.verification.VerificationCalibration;

/**
 * A loaded model pack: its descriptor, its encoder, and its recognizability calibration (the pack's
 * own, or the one a node file replaced it with).
 *
 * @param recognizability the calibration in force, or null when there is none
 * @param recognizabilityFile the node file the calibration came from, or null when it is the pack's
 */
public record FaceModel(
    ModelPack pack,
    FaceEncoder encoder,
    PackDescriptor.Recognizability recognizability,
    Path recognizabilityFile) {

  /** A model with its pack's own calibration. */
  public FaceModel(ModelPack pack, FaceEncoder encoder) {
    this(pack, encoder, pack.descriptor().recognizability(), null);
  }

  /** {@code name@version}, as documents record which model made a face. */
  public String id() {
    return pack.name() + "@" + pack.version();
  }

  /** The ERS of a unit embedding, or null when there is no UI centroid. */
  public Float ers(float[] embedding) {
    if (recognizability == null || recognizability.uiCentroid() == null) {
      return null;
    }
    return Recognizability.ers(recognizability.uiCentroid(), embedding);
  }

  /**
   * The pack's verification calibration (cosine thresholds at false-match rates), or null when it
   * has none.
   */
  public VerificationCalibration verification() {
    return pack.descriptor().verification();
  }

  /** The calibrated ERS threshold, or null when there is none. */
  public Float ersThreshold() {
    return recognizability == null || recognizability.ersThreshold() == null
        ? null
        : recognizability.ersThreshold().floatValue();
  }
}
