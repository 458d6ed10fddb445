package org.facesearch.image;

/**
 * Upper bounds an image must respect before any pixel is decoded: the encoded size in bytes and the
 * pixel count read from the header. The pixel bound is what stops a decompression bomb (a few
 * kilobytes declaring a gigapixel canvas); it is checked before the decoder allocates anything.
 *
 * @param maxBytes largest accepted encoded image, in bytes (at least 1)
 * @param maxPixels largest accepted width x height (at least 1)
 */
public record ImageLimits(long maxBytes, long maxPixels) {

  /**
   * 20 MiB: a full-resolution camera JPEG fits; base64 of it is still well under OpenSearch's
   * request limit.
   */
  public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;

  /** 40 megapixels: beyond most camera photos; decoded that is 120 MB of RGB. */
  public static final long DEFAULT_MAX_PIXELS = 40_000_000L;

  /** The defaults above. */
  public static final ImageLimits DEFAULT = new ImageLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS);

  /** Validates both bounds. */
  public ImageLimits {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("max_bytes must be at least 1, got " + maxBytes);
    }
    if (maxPixels < 1) {
      throw new IllegalArgumentException("max_pixels must be at least 1, got " + maxPixels);
    }
  }
}
