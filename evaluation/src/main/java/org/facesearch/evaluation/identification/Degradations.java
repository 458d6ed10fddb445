package org.facesearch.evaluation.identification;

import java.util.Random;
import org.facesearch.align.FaceAligner;
import org.facesearch.align.SimilarityTransform;
import org.facesearch.image.Resampler;
import org.facesearch.image.RgbImage;

/**
 * The image changes that make out-of-distribution queries. Occluders on aligned crops are placed
 * from the alignment template's five points (left eye, right eye, nose tip, left and right mouth
 * corner, in pixel-centre coordinates as the model pack states them): after alignment the face's
 * landmarks sit there, give or take the similarity fit's residual of about 3 px.
 *
 * <p>Geometry, with d the distance between the template's eye centres (35.2 px of 112):
 *
 * <ul>
 *   <li>mask: every pixel whose centre lies at or below the nose tip and within 0.75 d outside
 *       either eye's x, in flat surgical-mask blue (170, 200, 230); on the default template rows
 *       72..111, columns 12..100;
 *   <li>sunglasses: a near-black (20, 20, 20) band 0.6 d high centred on the eyes' mean y, reaching
 *       0.55 d outside either eye; rows 42..62, columns 19..92;
 *   <li>crop: a square (for a square image) of {@code fraction} of the side at a uniformly random
 *       position, resized back to the full size (bilinear when enlarging);
 *   <li>low resolution: area-averaged down to {@code size x size}, then bilinear back up;
 *   <li>rotation: in-plane about the image centre, bilinear, black where the source ends.
 * </ul>
 */
final class Degradations {
  static final int[] MASK_RGB = {170, 200, 230};
  static final int[] GLASSES_RGB = {20, 20, 20};

  private Degradations() {}

  /** A {@code fraction} crop at a random position, resized back to the image's size. */
  static RgbImage crop(RgbImage image, double fraction, Random random) {
    return CropBox.random(image.width(), image.height(), fraction, random).apply(image);
  }

  /**
   * The region [x0, x0 + w) x [y0, y0 + h) (continuous coordinates) of an image of {@code width x
   * height}, to be resized back to that full size.
   */
  record CropBox(double x0, double y0, double w, double h, int width, int height) {

    /** A box of {@code fraction} of each side at a uniformly random position inside the image. */
    static CropBox random(int width, int height, double fraction, Random random) {
      double w = width * fraction;
      double h = height * fraction;
      double x0 = random.nextDouble() * (width - w);
      double y0 = random.nextDouble() * (height - h);
      return new CropBox(x0, y0, w, h, width, height);
    }

    /** The crop, resized to the full size. */
    RgbImage apply(RgbImage image) {
      if (image.width() != width || image.height() != height) {
        throw new IllegalArgumentException(
            "crop box for " + width + "x" + height + " applied to " + image);
      }
      return Resampler.fromPlanes(
          Resampler.planes(image, x0, y0, w, h, width, height), width, height);
    }

    /** Where point (x, y) of the original image lands in the resized crop: {x', y'}. */
    double[] map(double x, double y) {
      return new double[] {(x - x0) * width / w, (y - y0) * height / h};
    }
  }

  /** The lower face, from the nose tip down, covered (see the class comment). */
  static RgbImage mask(RgbImage aligned, float[] template) {
    double d = eyeDistance(template);
    double x1 = template[0] + 0.5 - 0.75 * d;
    double x2 = template[2] + 0.5 + 0.75 * d;
    double y1 = template[5] + 0.5;
    return fill(aligned, x1, y1, x2, aligned.height(), MASK_RGB);
  }

  /** A dark band over both eyes (see the class comment). */
  static RgbImage sunglasses(RgbImage aligned, float[] template) {
    double d = eyeDistance(template);
    double eyeY = (template[1] + template[3]) / 2 + 0.5;
    double x1 = template[0] + 0.5 - 0.55 * d;
    double x2 = template[2] + 0.5 + 0.55 * d;
    return fill(aligned, x1, eyeY - 0.3 * d, x2, eyeY + 0.3 * d, GLASSES_RGB);
  }

  /** Down to {@code size x size} and back up to the original size. */
  static RgbImage lowResolution(RgbImage image, int size) {
    return Resampler.resize(Resampler.resize(image, size, size), image.width(), image.height());
  }

  /**
   * Rotated by {@code degrees} about the image centre (positive: clockwise on screen, as y points
   * down).
   */
  static RgbImage rotate(RgbImage image, double degrees) {
    double t = Math.toRadians(degrees);
    double a = Math.cos(t);
    double b = Math.sin(t);
    // Pixel-centre coordinates, as FaceAligner.warp samples them: the centre is ((w-1)/2, (h-1)/2).
    double cx = (image.width() - 1) / 2.0;
    double cy = (image.height() - 1) / 2.0;
    SimilarityTransform toOutput =
        new SimilarityTransform(a, b, cx - a * cx + b * cy, cy - b * cx - a * cy);
    return FaceAligner.warp(image, toOutput, image.width(), image.height());
  }

  private static double eyeDistance(float[] template) {
    return Math.hypot(template[2] - template[0], template[3] - template[1]);
  }

  /**
   * A copy with every pixel whose centre lies in [x1, x2) x [y1, y2) (continuous coordinates) set
   * to {@code rgb}.
   */
  static RgbImage fill(RgbImage image, double x1, double y1, double x2, double y2, int[] rgb) {
    int w = image.width();
    byte[] out = image.pixels().clone();
    int c0 = Math.max(0, (int) Math.ceil(x1 - 0.5));
    int c1 = Math.min(w, (int) Math.ceil(x2 - 0.5));
    int r0 = Math.max(0, (int) Math.ceil(y1 - 0.5));
    int r1 = Math.min(image.height(), (int) Math.ceil(y2 - 0.5));
    for (int y = r0; y < r1; y++) {
      for (int x = c0; x < c1; x++) {
        int o = (y * w + x) * 3;
        out[o] = (byte) rgb[0];
        out[o + 1] = (byte) rgb[1];
        out[o + 2] = (byte) rgb[2];
      }
    }
    return new RgbImage(w, image.height(), out);
  }
}
