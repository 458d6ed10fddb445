package org.facesearch.encoder;

import java.util.List;

/**
 * The outcome for one image of a batch ({@link FaceEncoder#encodeAll}): its faces, or why it
 * failed. One bad image does not fail the others.
 *
 * @param faces faces found, largest box first (empty when none; null on failure)
 * @param failure what went wrong (an {@link org.facesearch.image.ImageRejectedException} for bad
 *     input), or null
 */
public record EncodeResult(List<EncodedFace> faces, RuntimeException failure) {

  /** True when the image was encoded (possibly with no face). */
  public boolean ok() {
    return failure == null;
  }

  /** The faces, or the failure thrown. */
  public List<EncodedFace> facesOrThrow() {
    if (failure != null) {
      throw failure;
    }
    return faces;
  }
}
