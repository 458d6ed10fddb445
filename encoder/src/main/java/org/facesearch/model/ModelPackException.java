package org.facesearch.model;

/**
 * A model pack that cannot be used: outside the allowed folder, missing, corrupt (SHA-256
 * mismatch), a malformed descriptor, or a descriptor that does not match what the ONNX files really
 * take and produce. The message says which pack, which file and what is wrong.
 */
public final class ModelPackException extends RuntimeException {
  /**
   * @param message what is wrong, naming the pack and file
   */
  public ModelPackException(String message) {
    super(message);
  }

  /**
   * @param cause the underlying I/O, parse or runtime error
   */
  public ModelPackException(String message, Throwable cause) {
    super(message, cause);
  }
}
