package org.facesearch.recognizability;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.facesearch.image.Resampler;
import org.facesearch.image.RgbImage;
import org.facesearch.option.EnumOption;

/**
 * Image degradations applied to aligned 112x112 face crops (the ERS paper degrades aligned faces
 * and embeds them again), for the direct way to a UI centroid ({@code _centroid} with {@code
 * method: direct}). Each returns a new image of the same size.
 *
 * <p>{@link #heavy}, the direct UI-centroid recipe: every face gets all six degradations the ERS
 * paper lists, in this order, with parameters drawn uniformly: rotation by 30-180 degrees either
 * way; an affine warp (shear up to 0.5 each axis, scale 0.6-1.4 each axis, shift up to 15 px); an
 * occluding rectangle of random aspect (0.5-2) and flat random grey over 40-70% of the crop;
 * down-sampling to 3-8 pixels square (area averaging) and back up (bilinear); Gaussian blur, sigma
 * 3-8 px; motion blur, 15-41 px long at any angle. A request may keep only some of the steps. The
 * single degradations are public so that the evaluation suite's recipes build on the same ones.
 */
public final class Degradations {
  private Degradations() {}

  /**
   * The six steps of the {@link #heavy} recipe, in the order they are applied. A recipe may leave
   * some out ({@link #heavy(RgbImage, Random, Set)}).
   */
  public enum Step {
    ROTATION,
    AFFINE,
    OCCLUSION,
    DOWNSAMPLE,
    GAUSSIAN_BLUR,
    MOTION_BLUR;

    /**
     * The step's name in requests ({@code rotation}, {@code affine}, ...), parsed with {@link
     * EnumOption}.
     */
    public String id() {
      return EnumOption.wireName(this);
    }
  }

  /**
   * Down-sampled to {@code size x size} (area averaging) and back to the original size (bilinear).
   */
  public static RgbImage downUp(RgbImage img, int size) {
    return Resampler.resize(Resampler.resize(img, size, size), img.width(), img.height());
  }

  /** Separable Gaussian blur, kernel radius ceil(3 sigma), edges clamped. */
  public static RgbImage gaussianBlur(RgbImage img, double sigma) {
    int radius = (int) Math.ceil(3 * sigma);
    double[] k = new double[2 * radius + 1];
    double sum = 0;
    for (int i = -radius; i <= radius; i++) {
      k[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
      sum += k[i + radius];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    int w = img.width();
    int h = img.height();
    float[] tmp = new float[w * h * 3];
    byte[] src = img.pixels();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          double s = 0;
          for (int i = -radius; i <= radius; i++) {
            int xx = Math.min(w - 1, Math.max(0, x + i));
            s += k[i + radius] * (src[(y * w + xx) * 3 + c] & 0xFF);
          }
          tmp[(y * w + x) * 3 + c] = (float) s;
        }
      }
    }
    byte[] out = new byte[src.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          double s = 0;
          for (int i = -radius; i <= radius; i++) {
            int yy = Math.min(h - 1, Math.max(0, y + i));
            s += k[i + radius] * tmp[(yy * w + x) * 3 + c];
          }
          out[(y * w + x) * 3 + c] = toByte(s);
        }
      }
    }
    return new RgbImage(w, h, out);
  }

  /**
   * Linear motion blur: the mean of {@code length} samples along a line at {@code degrees},
   * bilinear, edges clamped.
   */
  public static RgbImage motionBlur(RgbImage img, int length, double degrees) {
    double dx = Math.cos(Math.toRadians(degrees));
    double dy = Math.sin(Math.toRadians(degrees));
    int w = img.width();
    int h = img.height();
    byte[] out = new byte[w * h * 3];
    double[] acc = new double[3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        acc[0] = acc[1] = acc[2] = 0;
        for (int i = 0; i < length; i++) {
          double t = i - (length - 1) / 2.0;
          sampleClamped(img, x + t * dx, y + t * dy, acc);
        }
        for (int c = 0; c < 3; c++) {
          out[(y * w + x) * 3 + c] = toByte(acc[c] / length);
        }
      }
    }
    return new RgbImage(w, h, out);
  }

  /** A flat-coloured rectangle over [x, x + rw) x [y, y + rh). */
  public static RgbImage occlude(RgbImage img, int x, int y, int rw, int rh, int r, int g, int b) {
    byte[] out = img.pixels().clone();
    int w = img.width();
    for (int yy = Math.max(0, y); yy < Math.min(img.height(), y + rh); yy++) {
      for (int xx = Math.max(0, x); xx < Math.min(w, x + rw); xx++) {
        int o = (yy * w + xx) * 3;
        out[o] = (byte) r;
        out[o + 1] = (byte) g;
        out[o + 2] = (byte) b;
      }
    }
    return new RgbImage(w, img.height(), out);
  }

  /**
   * Affine warp about the image centre: output pixel centre p maps to input {@code c + A^-1 (p - c)
   * - shift} where {@code A = [[a, b], [c, d]]}; bilinear, black outside.
   */
  public static RgbImage affine(
      RgbImage img, double a, double b, double c, double d, double shiftX, double shiftY) {
    double det = a * d - b * c;
    if (Math.abs(det) < 1e-9) {
      throw new IllegalArgumentException("singular affine map");
    }
    double ia = d / det;
    double ib = -b / det;
    double ic = -c / det;
    double id = a / det;
    int w = img.width();
    int h = img.height();
    double cx = w / 2.0;
    double cy = h / 2.0;
    byte[] out = new byte[w * h * 3];
    double[] acc = new double[3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double px = x + 0.5 - cx - shiftX;
        double py = y + 0.5 - cy - shiftY;
        double sx = cx + ia * px + ib * py - 0.5;
        double sy = cy + ic * px + id * py - 0.5;
        acc[0] = acc[1] = acc[2] = 0;
        sampleBlack(img, sx, sy, acc);
        int o = (y * w + x) * 3;
        out[o] = toByte(acc[0]);
        out[o + 1] = toByte(acc[1]);
        out[o + 2] = toByte(acc[2]);
      }
    }
    return new RgbImage(w, h, out);
  }

  /** Rotation by {@code degrees} (counter-clockwise on screen) about the centre, black outside. */
  public static RgbImage rotate(RgbImage img, double degrees) {
    double t = Math.toRadians(-degrees); // image y points down
    return affine(img, Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t), 0, 0);
  }

  /** The direct UI-centroid recipe: all six degradations, see the class description. */
  public static RgbImage heavy(RgbImage img, Random r) {
    return heavy(img, r, EnumSet.allOf(Step.class));
  }

  /**
   * The direct recipe with only {@code steps} (in the recipe's order, with the recipe's parameter
   * ranges). With every step it draws the same random numbers as {@link #heavy(RgbImage, Random)}.
   *
   * @throws IllegalArgumentException when {@code steps} is empty
   */
  public static RgbImage heavy(RgbImage img, Random r, Set<Step> steps) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a degradation recipe needs at least one step");
    }
    RgbImage out = img;
    if (steps.contains(Step.ROTATION)) {
      out = rotate(out, sign(r) * uniform(r, 30, 180));
    }
    if (steps.contains(Step.AFFINE)) {
      out =
          affine(
              out,
              uniform(r, 0.6, 1.4),
              uniform(r, -0.5, 0.5),
              uniform(r, -0.5, 0.5),
              uniform(r, 0.6, 1.4),
              uniform(r, -15, 15),
              uniform(r, -15, 15));
    }
    if (steps.contains(Step.OCCLUSION)) {
      out = occludeFraction(out, uniform(r, 0.4, 0.7), r);
    }
    if (steps.contains(Step.DOWNSAMPLE)) {
      out = downUp(out, 3 + r.nextInt(6));
    }
    if (steps.contains(Step.GAUSSIAN_BLUR)) {
      out = gaussianBlur(out, uniform(r, 3, 8));
    }
    if (steps.contains(Step.MOTION_BLUR)) {
      out = motionBlur(out, 15 + r.nextInt(27), uniform(r, 0, 180));
    }
    return out;
  }

  /**
   * A rectangle of area {@code fraction} of the image and random aspect (0.5-2), clipped to the
   * image height (a tall one covers less than asked: at worst 0.707 / sqrt(fraction) of it, 0.82 at
   * fraction 0.75), at a random place, in a random flat grey (0-255).
   */
  public static RgbImage occludeFraction(RgbImage img, double fraction, Random r) {
    int w = img.width();
    int h = img.height();
    double area = fraction * w * h;
    double aspect = Math.exp(uniform(r, Math.log(0.5), Math.log(2)));
    int rw = (int) Math.min(w, Math.round(Math.sqrt(area * aspect)));
    int rh = (int) Math.min(h, Math.round(area / rw));
    int x = r.nextInt(w - rw + 1);
    int y = r.nextInt(h - rh + 1);
    int grey = r.nextInt(256);
    return occlude(img, x, y, rw, rh, grey, grey, grey);
  }

  private static double uniform(Random r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  private static int sign(Random r) {
    return r.nextBoolean() ? 1 : -1;
  }

  private static void sampleClamped(RgbImage img, double x, double y, double[] acc) {
    x = Math.min(img.width() - 1, Math.max(0, x));
    y = Math.min(img.height() - 1, Math.max(0, y));
    bilinear(img, x, y, acc, false);
  }

  private static void sampleBlack(RgbImage img, double x, double y, double[] acc) {
    bilinear(img, x, y, acc, true);
  }

  /**
   * Adds the bilinear sample at pixel-centre coordinates (x, y) to acc; outside pixels are black
   * when {@code black}.
   */
  private static void bilinear(RgbImage img, double x, double y, double[] acc, boolean black) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    for (int j = 0; j < 2; j++) {
      for (int i = 0; i < 2; i++) {
        double wgt = (i == 0 ? 1 - fx : fx) * (j == 0 ? 1 - fy : fy);
        if (wgt == 0) {
          continue;
        }
        int xx = x0 + i;
        int yy = y0 + j;
        if (xx < 0 || yy < 0 || xx >= img.width() || yy >= img.height()) {
          if (black) {
            continue;
          }
          xx = Math.min(img.width() - 1, Math.max(0, xx));
          yy = Math.min(img.height() - 1, Math.max(0, yy));
        }
        for (int c = 0; c < 3; c++) {
          acc[c] += wgt * img.sample(xx, yy, c);
        }
      }
    }
  }

  private static byte toByte(double v) {
    long i = Math.round(v);
    return (byte) (i < 0 ? 0 : Math.min(i, 255));
  }
}
