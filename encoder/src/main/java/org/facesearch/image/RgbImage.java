package org.facesearch.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Objects;

/**
 * An 8-bit sRGB image: width x height pixels stored row by row as interleaved R, G, B bytes. Every
 * decoded photo, model input crop and aligned face is one of these, so the pipeline has a single
 * pixel layout to reason about. The pixel array is shared, not copied.
 */
public final class RgbImage {
  private final int width;
  private final int height;
  private final byte[] rgb;

  /**
   * @param width pixels per row, at least 1
   * @param height rows, at least 1
   * @param rgb {@code width * height * 3} bytes, R G B per pixel, row-major; not copied
   */
  public RgbImage(int width, int height, byte[] rgb) {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + width + "x" + height);
    }
    Objects.requireNonNull(rgb, "rgb");
    if (rgb.length != Math.multiplyExact(Math.multiplyExact(width, height), 3)) {
      throw new IllegalArgumentException(
          "a "
              + width
              + "x"
              + height
              + " RGB image needs "
              + (3L * width * height)
              + " bytes, got "
              + rgb.length);
    }
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /** Pixels per row. */
  public int width() {
    return width;
  }

  /** Number of rows. */
  public int height() {
    return height;
  }

  /** The interleaved R, G, B bytes, row-major (the live array, not a copy). */
  public byte[] pixels() {
    return rgb;
  }

  /** Channel {@code c} (0 = R, 1 = G, 2 = B) of pixel (x, y), 0..255. */
  public int sample(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xFF;
  }

  /** This image mirrored left to right (a new image). */
  public RgbImage mirrored() {
    byte[] out = new byte[rgb.length];
    for (int y = 0; y < height; y++) {
      int row = y * width * 3;
      for (int x = 0; x < width; x++) {
        int s = row + x * 3;
        int d = row + (width - 1 - x) * 3;
        out[d] = rgb[s];
        out[d + 1] = rgb[s + 1];
        out[d + 2] = rgb[s + 2];
      }
    }
    return new RgbImage(width, height, out);
  }

  /** A {@link BufferedImage#TYPE_3BYTE_BGR} copy, e.g. to draw on or to encode as PNG. */
  public BufferedImage toBufferedImage() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < rgb.length; i += 3) {
      bgr[i] = rgb[i + 2];
      bgr[i + 1] = rgb[i + 1];
      bgr[i + 2] = rgb[i];
    }
    return image;
  }

  /**
   * Converts any {@link BufferedImage} to sRGB bytes. Transparent pixels are composited over white,
   * the background a viewer would show them on; without that, fully transparent regions would carry
   * whatever colour the encoder left in them.
   */
  public static RgbImage fromBufferedImage(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
    switch (image.getType()) {
      case BufferedImage.TYPE_3BYTE_BGR -> {
        // Fast path for the common JPEG result; only valid for the plain, unshared raster layout.
        if (isPlainRaster(image, 3)) {
          byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
          for (int i = 0; i < out.length; i += 3) {
            out[i] = bgr[i + 2];
            out[i + 1] = bgr[i + 1];
            out[i + 2] = bgr[i];
          }
          return new RgbImage(w, h, out);
        }
      }
      case BufferedImage.TYPE_BYTE_GRAY -> {
        if (isPlainRaster(image, 1)) {
          byte[] grey = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
          for (int i = 0, o = 0; i < w * h; i++, o += 3) {
            out[o] = grey[i];
            out[o + 1] = grey[i];
            out[o + 2] = grey[i];
          }
          return new RgbImage(w, h, out);
        }
      }
      default -> {
        // Everything else goes through the colour model: palettes, 16-bit, alpha, odd colour
        // spaces.
      }
    }
    boolean alpha = image.getColorModel().hasAlpha();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      int o = y * w * 3;
      for (int x = 0; x < w; x++, o += 3) {
        int argb = row[x];
        int r = (argb >> 16) & 0xFF;
        int g = (argb >> 8) & 0xFF;
        int b = argb & 0xFF;
        if (alpha) {
          int a = argb >>> 24;
          r = (r * a + 255 * (255 - a) + 127) / 255;
          g = (g * a + 255 * (255 - a) + 127) / 255;
          b = (b * a + 255 * (255 - a) + 127) / 255;
        }
        out[o] = (byte) r;
        out[o + 1] = (byte) g;
        out[o + 2] = (byte) b;
      }
    }
    return new RgbImage(w, h, out);
  }

  private static boolean isPlainRaster(BufferedImage image, int bands) {
    var raster = image.getRaster();
    return raster.getParent() == null
        && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0
        && raster.getDataBuffer() instanceof DataBufferByte buffer
        && buffer.getNumBanks() == 1
        && buffer.getOffset() == 0
        && buffer.getData().length == image.getWidth() * image.getHeight() * bands;
  }

  @Override
  public String toString() {
    return "RgbImage[" + width + "x" + height + "]";
  }
}
