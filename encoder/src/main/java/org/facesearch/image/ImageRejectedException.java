package org.facesearch.image;

/**
 * An image that cannot be used, with the reason. It is the caller's input that is wrong, so the
 * plugin answers it with a 400; the message names the problem in words a user can act on.
 */
public final class ImageRejectedException extends IllegalArgumentException {

  /** Why an image was refused. */
  public enum Reason {
    /** No bytes at all. */
    EMPTY,
    /** The bytes are not one of the supported formats (or not an image at all). */
    UNKNOWN_FORMAT,
    /** The data ends before the image does. */
    TRUNCATED,
    /** The format was recognised but its data is invalid. */
    CORRUPT,
    /** More encoded bytes than {@link ImageLimits#maxBytes()}. */
    TOO_MANY_BYTES,
    /** The header declares more pixels than {@link ImageLimits#maxPixels()}. */
    TOO_MANY_PIXELS
  }

  private final Reason reason;

  /**
   * @param reason what is wrong; @param message the explanation shown to the user
   */
  public ImageRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /**
   * @param cause the decoder's own exception, kept for the logs
   */
  public ImageRejectedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the image was refused. */
  public Reason reason() {
    return reason;
  }
}
