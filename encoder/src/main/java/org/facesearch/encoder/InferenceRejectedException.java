package org.facesearch.encoder;

/**
 * The inference queue is full: the node is already encoding as many images as it accepts. This is
 * back-pressure, not an error in the request; the plugin answers it with HTTP 429 so clients retry
 * later.
 */
public final class InferenceRejectedException extends RuntimeException {
  /**
   * @param message how full the queue is
   */
  public InferenceRejectedException(String message) {
    super(message);
  }
}
