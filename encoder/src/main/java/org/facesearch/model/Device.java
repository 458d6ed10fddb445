package org.facesearch.model;

import org.facesearch.option.EnumOption;

/** Where ONNX Runtime runs the models. */
public enum Device {
  /** ONNX Runtime's CPU execution provider. */
  CPU,
  /**
   * NVIDIA GPU through ONNX Runtime's CUDA execution provider (needs the {@code onnxruntime_gpu}
   * build, {@code -Pcuda}, and a CUDA runtime). Never falls back to the CPU silently: opening
   * fails.
   */
  CUDA;

  /** The name used in settings: {@code cpu} or {@code cuda} (parsed with {@link EnumOption}). */
  @Override
  public String toString() {
    return EnumOption.wireName(this);
  }
}
