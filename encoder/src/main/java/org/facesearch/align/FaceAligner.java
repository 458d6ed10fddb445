package org.facesearch.align;

import org.facesearch.image.RgbImage;

/**
 * Warps a face onto the feature model's alignment template: the least-squares {@link
 * SimilarityTransform} from the 5 detected points to the template's 5 points, then a bilinear warp
 * into a {@code size x size} image with black outside the source.
 *
 * <p>Coordinates: landmarks arrive in continuous image coordinates (pixel i spans [i, i+1)); the
 * template, like the reference implementations it comes from, puts pixel i's centre at i. The
 * half-pixel shift between the two is applied here, once.
 */
public final class FaceAligner {
  private final float[] template;
  private final int size;

  /**
   * @param template interleaved x, y of the 5 template points, in output pixels (pixel centres)
   * @param size output width and height
   */
  public FaceAligner(float[] template, int size) {
    if (template.length != 10) {
      throw new IllegalArgumentException(
          "the alignment template needs 5 points, got " + template.length / 2.0);
    }
    this.template = template.clone();
    this.size = size;
  }

  /** Output width and height. */
  public int size() {
    return size;
  }

  /** The transform from image pixel centres to template pixel centres for these 5 points. */
  public SimilarityTransform transform(float[] fivePoints) {
    double[] src = new double[10];
    double[] dst = new double[10];
    for (int i = 0; i < 10; i++) {
      src[i] = fivePoints[i] - 0.5; // continuous -> pixel-centre coordinates
      dst[i] = template[i];
    }
    return SimilarityTransform.estimate(src, dst);
  }

  /**
   * Which pixels of the {@code w x h} output of {@link #warp} lie outside a {@code srcW x srcH}
   * source: those whose sample point is nearer to no source pixel than half a pixel past the
   * border, where the warp paints (or fades to) black padding instead of the photo. Row-major.
   */
  public static boolean[] outside(SimilarityTransform toOutput, int srcW, int srcH, int w, int h) {
    SimilarityTransform inv = toOutput.inverse();
    double a = inv.a();
    double b = inv.b();
    boolean[] out = new boolean[w * h];
    for (int v = 0; v < h; v++) {
      double x = -b * v + inv.tx();
      double y = a * v + inv.ty();
      for (int u = 0; u < w; u++, x += a, y += b) {
        out[v * w + u] = x < -0.5 || y < -0.5 || x >= srcW - 0.5 || y >= srcH - 0.5;
      }
    }
    return out;
  }

  /** The aligned {@code size x size} face. */
  public RgbImage align(RgbImage image, float[] fivePoints) {
    return warp(image, transform(fivePoints), size, size);
  }

  /**
   * Samples {@code src} through {@code toOutput}'s inverse into a {@code w x h} image: output pixel
   * (u, v) takes the bilinear blend of the four source pixels around {@code toOutput^-1(u, v)};
   * neighbours outside the source count as black, so the border fades to black over one pixel
   * instead of smearing edge pixels outwards.
   */
  public static RgbImage warp(RgbImage src, SimilarityTransform toOutput, int w, int h) {
    SimilarityTransform inv = toOutput.inverse();
    int sw = src.width();
    int sh = src.height();
    byte[] in = src.pixels();
    byte[] out = new byte[w * h * 3];
    double a = inv.a();
    double b = inv.b();
    for (int v = 0; v < h; v++) {
      // Walk the output row incrementally: (x, y) advances by (a, b) per output pixel.
      double x = -b * v + inv.tx();
      double y = a * v + inv.ty();
      for (int u = 0; u < w; u++, x += a, y += b) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        if (x0 < -1 || y0 < -1 || x0 >= sw || y0 >= sh) {
          continue; // all four neighbours outside: black
        }
        float fx = (float) (x - x0);
        float fy = (float) (y - y0);
        float w00 = (1 - fx) * (1 - fy);
        float w10 = fx * (1 - fy);
        float w01 = (1 - fx) * fy;
        float w11 = fx * fy;
        int o = (v * w + u) * 3;
        if (x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh) {
          // Inside: all four neighbours exist (almost every pixel of a face crop).
          int p00 = (y0 * sw + x0) * 3;
          int p01 = p00 + sw * 3;
          for (int c = 0; c < 3; c++) {
            float s =
                w00 * (in[p00 + c] & 0xFF)
                    + w10 * (in[p00 + 3 + c] & 0xFF)
                    + w01 * (in[p01 + c] & 0xFF)
                    + w11 * (in[p01 + 3 + c] & 0xFF);
            out[o + c] = (byte) Math.min(255, (int) (s + 0.5f)); // s >= 0: rounds half up
          }
          continue;
        }
        boolean left = x0 >= 0;
        boolean right = x0 + 1 < sw;
        boolean top = y0 >= 0;
        boolean bottom = y0 + 1 < sh;
        for (int c = 0; c < 3; c++) {
          float s = 0;
          if (top && left) {
            s += w00 * (in[(y0 * sw + x0) * 3 + c] & 0xFF);
          }
          if (top && right) {
            s += w10 * (in[(y0 * sw + x0 + 1) * 3 + c] & 0xFF);
          }
          if (bottom && left) {
            s += w01 * (in[((y0 + 1) * sw + x0) * 3 + c] & 0xFF);
          }
          if (bottom && right) {
            s += w11 * (in[((y0 + 1) * sw + x0 + 1) * 3 + c] & 0xFF);
          }
          out[o + c] = (byte) Math.min(255, (int) (s + 0.5f)); // s >= 0: rounds half up
        }
      }
    }
    return new RgbImage(w, h, out);
  }
}
