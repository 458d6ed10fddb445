package org.facesearch.image;

/**
 * Resamples a rectangular region of an image to a new size: area averaging when shrinking (every
 * source pixel counts, so a 4000-pixel photo shrunk to the detector's 320 does not alias), bilinear
 * interpolation when enlarging. The region is given in continuous coordinates (pixel (i, j) covers
 * [i, i+1) x [j, j+1)) and may reach outside the image; what lies outside is black.
 *
 * <p>Separable, with per-axis tap tables computed once per call: each output row is first the
 * vertical blend of whole source rows, then sampled horizontally.
 */
public final class Resampler {
  private Resampler() {}

  /**
   * Samples [x0, x0 + w) x [y0, y0 + h) of {@code src} into {@code outW x outH} pixels.
   *
   * @return planar floats in 0..255: the R plane, then G, then B, each {@code outH * outW}
   *     row-major (the NCHW layout model inputs use)
   */
  public static float[] planes(
      RgbImage src, double x0, double y0, double w, double h, int outW, int outH) {
    float[] out = new float[3 * outW * outH];
    planes(src, x0, y0, w, h, outW, outH, out, IDENTITY, ONES);
    return out;
  }

  private static final float[] IDENTITY = {0, 0, 0};
  private static final float[] ONES = {1, 1, 1};

  /**
   * As {@link #planes(RgbImage, double, double, double, double, int, int)}, writing {@code (value -
   * mean[c]) * scale[c]} for channel c (R, G, B) into the first {@code 3 * outW * outH} floats of
   * {@code out}: model input normalisation folded into the resampling, into a buffer the caller
   * reuses (a detector input is nearly a megabyte).
   */
  public static void planes(
      RgbImage src,
      double x0,
      double y0,
      double w,
      double h,
      int outW,
      int outH,
      float[] out,
      float[] mean,
      float[] scale) {
    if (!(w > 0) || !(h > 0) || outW < 1 || outH < 1) {
      throw new IllegalArgumentException(
          "cannot resample a " + w + "x" + h + " region to " + outW + "x" + outH);
    }
    Taps tx = Taps.of(x0, w, src.width(), outW);
    Taps ty = Taps.of(y0, h, src.height(), outH);
    int plane = outW * outH;
    if (ty.lo > ty.hi || tx.lo > tx.hi) {
      // The region lies entirely outside the image: all black.
      for (int c = 0; c < 3; c++) {
        java.util.Arrays.fill(out, c * plane, (c + 1) * plane, (0 - mean[c]) * scale[c]);
      }
      return;
    }
    // (v - mean) * scale = v * scale + bias
    float sr0 = scale[0], sg0 = scale[1], sb0 = scale[2];
    float br = -mean[0] * sr0, bg = -mean[1] * sg0, bb = -mean[2] * sb0;
    // Vertical pass first, one output row at a time, over just the source columns the
    // horizontal taps use: a weighted sum of whole interleaved source rows, which the JIT
    // vectorises. Then the horizontal taps pick from that single row, which stays in cache.
    byte[] px = src.pixels();
    int stride = src.width() * 3;
    int colFrom = tx.lo * 3;
    int rowLen = (tx.hi - tx.lo + 1) * 3;
    float[] row = new float[rowLen];
    int[] hOffset = new int[tx.index.length]; // a tap's position in `row`
    for (int j = 0; j < hOffset.length; j++) {
      hOffset[j] = (tx.index[j] - tx.lo) * 3;
    }
    for (int oy = 0; oy < outH; oy++) {
      java.util.Arrays.fill(row, 0f);
      int k = oy * ty.width;
      for (int end = k + ty.width; k < end; k++) { // unused slots have weight 0
        float wt = ty.weight[k];
        int from = ty.index[k] * stride + colFrom;
        for (int i = 0; i < rowLen; i++) {
          row[i] += wt * (px[from + i] & 0xFF);
        }
      }
      int o = oy * outW;
      int taps = tx.width;
      if (taps == 2) {
        // Enlarging: two taps per output, the common case for small photos.
        for (int ox = 0, j = 0; ox < outW; ox++, j += 2) {
          int p = hOffset[j];
          int q = hOffset[j + 1];
          float wp = tx.weight[j];
          float wq = tx.weight[j + 1];
          out[o + ox] = (wp * row[p] + wq * row[q]) * sr0 + br;
          out[plane + o + ox] = (wp * row[p + 1] + wq * row[q + 1]) * sg0 + bg;
          out[2 * plane + o + ox] = (wp * row[p + 2] + wq * row[q + 2]) * sb0 + bb;
        }
        continue;
      }
      for (int ox = 0, j = 0; ox < outW; ox++) {
        float sr = 0, sg = 0, sb = 0;
        for (int t = 0; t < taps; t++, j++) { // unused slots have weight 0
          int p = hOffset[j];
          float wt = tx.weight[j];
          sr += wt * row[p];
          sg += wt * row[p + 1];
          sb += wt * row[p + 2];
        }
        out[o + ox] = sr * sr0 + br;
        out[plane + o + ox] = sg * sg0 + bg;
        out[2 * plane + o + ox] = sb * sb0 + bb;
      }
    }
  }

  /** The whole of {@code src} resized to {@code outW x outH}. */
  public static RgbImage resize(RgbImage src, int outW, int outH) {
    float[] p = planes(src, 0, 0, src.width(), src.height(), outW, outH);
    return fromPlanes(p, outW, outH);
  }

  /** Rounds planar 0..255 floats (as {@link #planes} returns) back to an image. */
  public static RgbImage fromPlanes(float[] planes, int w, int h) {
    int plane = w * h;
    byte[] rgb = new byte[plane * 3];
    for (int i = 0; i < plane; i++) {
      rgb[i * 3] = toByte(planes[i]);
      rgb[i * 3 + 1] = toByte(planes[plane + i]);
      rgb[i * 3 + 2] = toByte(planes[2 * plane + i]);
    }
    return new RgbImage(w, h, rgb);
  }

  static byte toByte(float v) {
    int i = Math.round(v);
    return (byte) (i < 0 ? 0 : Math.min(i, 255));
  }

  /** For each output position along one axis: which source pixels contribute, with what weight. */
  static final class Taps {
    final int width; // taps per output slot
    final int[] count;
    final int[] index;
    final float[] weight;
    int lo = Integer.MAX_VALUE; // smallest and largest source index used
    int hi = Integer.MIN_VALUE;

    private Taps(int outSize, int width) {
      this.width = width;
      this.count = new int[outSize];
      this.index = new int[outSize * width];
      this.weight = new float[outSize * width];
    }

    static Taps of(double start, double length, int size, int outSize) {
      double scale = length / outSize;
      if (scale > 1) {
        // Shrinking: output i averages the source interval [a, b), each pixel by its overlap.
        Taps t = new Taps(outSize, (int) Math.ceil(scale) + 1);
        for (int i = 0; i < outSize; i++) {
          double a = start + i * scale;
          double b = a + scale;
          int first = Math.max(0, (int) Math.floor(a));
          int last = Math.min(size - 1, (int) Math.ceil(b) - 1);
          for (int j = first; j <= last; j++) {
            double overlap = Math.min(b, j + 1) - Math.max(a, j);
            if (overlap > 0) {
              t.add(i, j, (float) (overlap / scale));
            }
          }
        }
        return t.padded();
      }
      // Enlarging (or 1:1): bilinear between the two nearest pixel centres. Inside the image the
      // edge pixels extend to its border; sample points beyond the border are black.
      Taps t = new Taps(outSize, 2);
      for (int i = 0; i < outSize; i++) {
        double c = start + (i + 0.5) * scale; // continuous position of the sample
        if (c < 0 || c > size) {
          continue;
        }
        double centre = c - 0.5; // in pixel-centre units
        int i0 = (int) Math.floor(centre);
        float f = (float) (centre - i0);
        int a = Math.max(0, Math.min(size - 1, i0));
        int b = Math.max(0, Math.min(size - 1, i0 + 1));
        if (a == b) {
          t.add(i, a, 1f);
        } else {
          t.add(i, a, 1f - f);
          t.add(i, b, f);
        }
      }
      return t.padded();
    }

    /**
     * Gives every output the same number of tap slots: an unused slot repeats a used index (or the
     * first pixel in use) with weight 0, so inner loops run a fixed count.
     */
    private Taps padded() {
      for (int i = 0; i < count.length; i++) {
        int fill = count[i] > 0 ? index[i * width] : Math.max(lo, 0);
        for (int k = i * width + count[i]; k < (i + 1) * width; k++) {
          index[k] = fill;
          weight[k] = 0f;
        }
      }
      return this;
    }

    private void add(int out, int src, float w) {
      int k = out * width + count[out]++;
      index[k] = src;
      weight[k] = w;
      lo = Math.min(lo, src);
      hi = Math.max(hi, src);
    }
  }
}
