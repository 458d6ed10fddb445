package org.facesearch.encoder;

import org.facesearch.option.EnumOption;

/** What the input image is. */
public enum EncodeMode {
  /** A photo: faces are detected, their landmarks found and each face aligned before embedding. */
  DETECT,
  /**
   * An already aligned face crop (as the feature model's template expects): no detection, the whole
   * image is only resized to the model's input size; exactly one face results.
   */
  ALIGNED;

  /** The name in requests: {@code detect} or {@code aligned} (parsed with {@link EnumOption}). */
  @Override
  public String toString() {
    return EnumOption.wireName(this);
  }
}
