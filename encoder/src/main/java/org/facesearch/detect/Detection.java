package org.facesearch.detect;

/**
 * One detected face: a box in image pixels, in continuous coordinates (pixel (i, j) covers [i, i+1)
 * x [j, j+1)), and the detector's face probability. The box may reach slightly outside the image;
 * {@link #clamped} trims it to the image.
 *
 * @param x1 left edge
 * @param y1 top edge
 * @param x2 right edge (&gt; x1)
 * @param y2 bottom edge (&gt; y1)
 * @param score face probability, 0..1
 */
public record Detection(float x1, float y1, float x2, float y2, float score) {

  /** Box width. */
  public float width() {
    return x2 - x1;
  }

  /** Box height. */
  public float height() {
    return y2 - y1;
  }

  /** Box area, 0 for an empty box. */
  public float area() {
    return Math.max(0f, x2 - x1) * Math.max(0f, y2 - y1);
  }

  /** Intersection over union with {@code o}; 0 when either box is empty. */
  public float iou(Detection o) {
    float iw = Math.min(x2, o.x2) - Math.max(x1, o.x1);
    float ih = Math.min(y2, o.y2) - Math.max(y1, o.y1);
    if (iw <= 0 || ih <= 0) {
      return 0f;
    }
    float inter = iw * ih;
    float union = area() + o.area() - inter;
    return union > 0 ? inter / union : 0f;
  }

  /** This box trimmed to a {@code width x height} image (the score is kept). */
  public Detection clamped(int width, int height) {
    return new Detection(
        clamp(x1, width), clamp(y1, height), clamp(x2, width), clamp(y2, height), score);
  }

  private static float clamp(float v, int max) {
    return Math.max(0f, Math.min(max, v));
  }
}
