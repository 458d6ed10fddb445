package org.facesearch.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import org.facesearch.image.ImageRejectedException.Reason;

/**
 * Decodes JPEG, PNG, BMP, GIF, WebP and TIFF bytes into an upright {@link RgbImage}.
 *
 * <p>Order of checks, cheapest first: empty input, byte count, format signature, then the header's
 * width x height against {@link ImageLimits#maxPixels()} before the decoder allocates a single
 * pixel, then the pixels. EXIF orientation is applied; CMYK/YCCK and grayscale JPEGs, palettes and
 * alpha end up as plain sRGB. Only the first image of a multi-image file (animated GIF, multi-page
 * TIFF) is used. Thread-safe: every call makes its own reader.
 */
public final class ImageDecoder {
  private final ImageLimits limits;

  /** A decoder enforcing {@code limits}. */
  public ImageDecoder(ImageLimits limits) {
    this.limits = java.util.Objects.requireNonNull(limits, "limits");
  }

  /** The limits this decoder enforces. */
  public ImageLimits limits() {
    return limits;
  }

  /**
   * Decodes {@code data}.
   *
   * @throws ImageRejectedException when the bytes are empty, too many, not a supported image,
   *     declare too many pixels, are truncated or corrupt
   */
  public RgbImage decode(byte[] data) {
    if (data == null || data.length == 0) {
      throw new ImageRejectedException(Reason.EMPTY, "the image is empty (0 bytes)");
    }
    if (data.length > limits.maxBytes()) {
      throw new ImageRejectedException(
          Reason.TOO_MANY_BYTES,
          "the image is "
              + data.length
              + " bytes, more than the limit of "
              + limits.maxBytes()
              + " bytes");
    }
    ImageFormats.Format found = findFormat(data);
    String format = found.name();
    ImageReader reader = createReader(found.spi(), format);
    List<String> warnings = new ArrayList<>();
    try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
      // seekForwardOnly: only image 0 is read; ignoreMetadata: orientation is read separately
      // from the raw bytes, and the JPEG reader still honours the colour markers it needs.
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener(new CollectWarnings(warnings));
      long width;
      long height;
      try {
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } catch (IOException | RuntimeException e) {
        throw failure(format, data, "its header", e);
      }
      if (width < 1 || height < 1) {
        throw new ImageRejectedException(
            Reason.CORRUPT,
            "the " + format + " header declares an empty image (" + width + "x" + height + ")");
      }
      if (width * height > limits.maxPixels()) {
        throw new ImageRejectedException(
            Reason.TOO_MANY_PIXELS,
            "the image is "
                + width
                + "x"
                + height
                + " = "
                + (width * height)
                + " pixels, more than the limit of "
                + limits.maxPixels()
                + " pixels");
      }
      // A plain 3-component JPEG is decoded straight into R, G, B interleaved memory: the
      // reader's default 3-byte BGR image makes the JDK copy every scanline one sample at a
      // time (its band orders differ) and then needs another pass to swap B and R back.
      byte[] direct =
          "JPEG".equals(format) && JpegLayout.isPlainThreeComponent(data)
              ? new byte[Math.multiplyExact(Math.multiplyExact((int) width, (int) height), 3)]
              : null;
      ImageReadParam param = null; // every other file is read exactly as before: read(0)
      if (direct != null) {
        param = reader.getDefaultReadParam();
        param.setDestination(interleavedRgb((int) width, (int) height, direct));
      }
      BufferedImage image;
      try {
        image = reader.read(0, param);
      } catch (IOException | RuntimeException e) {
        throw failure(format, data, "its pixels", e);
      }
      for (String warning : warnings) {
        // The JDK's JPEG decoder does not fail on a cut-off file: it warns and paints the rest
        // grey.
        if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
          throw new ImageRejectedException(
              Reason.TRUNCATED, "the " + format + " data ends early (truncated image): " + warning);
        }
      }
      RgbImage rgb =
          param != null && image == param.getDestination()
              ? new RgbImage((int) width, (int) height, direct)
              : RgbImage.fromBufferedImage(image);
      return ExifOrientation.apply(rgb, ExifOrientation.read(data));
    } catch (IOException e) {
      // Only closing an in-memory stream can land here.
      throw new IllegalStateException("closing an in-memory image stream failed", e);
    } finally {
      reader.dispose();
    }
  }

  /**
   * The pixel count ({@code width * height}) that the header of {@code data} declares, read without
   * decoding any pixel; 0 when the bytes are not an image this decoder reads or the header cannot
   * be read (decoding then refuses them with the reason). Lets a caller estimate the memory an
   * image will take before queueing it.
   */
  public static long declaredPixels(byte[] data) {
    if (data == null || data.length == 0) {
      return 0;
    }
    ImageFormats.Format found;
    try {
      found = findFormat(data);
    } catch (ImageRejectedException e) {
      return 0; // not an image: the decode reports why
    }
    ImageReader reader = createReader(found.spi(), found.name());
    try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
      reader.setInput(in, true, true);
      long width = reader.getWidth(0);
      long height = reader.getHeight(0);
      return width < 1 || height < 1 ? 0 : width * height;
    } catch (IOException | RuntimeException e) {
      return 0; // an unreadable header: the decode reports why
    } finally {
      reader.dispose();
    }
  }

  /** An opaque sRGB image whose memory is {@code rgb}: R, G, B bytes per pixel, row by row. */
  private static BufferedImage interleavedRgb(int width, int height, byte[] rgb) {
    ColorModel colours =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster =
        Raster.createInterleavedRaster(
            new DataBufferByte(rgb, rgb.length),
            width,
            height,
            width * 3,
            3,
            new int[] {0, 1, 2},
            null);
    return new BufferedImage(colours, raster, false, null);
  }

  private static ImageFormats.Format findFormat(byte[] data) {
    for (ImageFormats.Format format : ImageFormats.READERS) {
      try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
        if (format.spi().canDecodeInput(in)) {
          return format;
        }
      } catch (EOFException tooShort) {
        // Shorter than this format's signature, so not this format: try the next one.
        continue;
      } catch (IOException e) {
        throw new ImageRejectedException(
            Reason.UNKNOWN_FORMAT, "the image's signature could not be read: " + e.getMessage(), e);
      }
    }
    byte[] head = java.util.Arrays.copyOf(data, Math.min(8, data.length));
    throw new ImageRejectedException(
        Reason.UNKNOWN_FORMAT,
        "the data is not a "
            + ImageFormats.SUPPORTED
            + " image (it starts with bytes "
            + HexFormat.ofDelimiter(" ").formatHex(head)
            + ")");
  }

  private static ImageReader createReader(javax.imageio.spi.ImageReaderSpi spi, String format) {
    try {
      return spi.createReaderInstance();
    } catch (IOException e) {
      throw new IllegalStateException("could not create the " + format + " reader", e);
    }
  }

  /** Maps a decoder exception to a truncated or corrupt rejection. */
  private static ImageRejectedException failure(
      String format, byte[] data, String part, Exception e) {
    if (e instanceof ImageRejectedException rejected) {
      return rejected;
    }
    if (isEndOfData(e) || endIsMissing(format, data)) {
      return new ImageRejectedException(
          Reason.TRUNCATED,
          "the " + format + " data ends early (truncated image) while reading " + part,
          e);
    }
    String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new ImageRejectedException(
        Reason.CORRUPT,
        "the " + format + " data is corrupt (" + part + " could not be decoded: " + detail + ")",
        e);
  }

  /**
   * True when the format's own end mark or declared size says the data was cut off. Decoders report
   * a cut-off file in many ways (EOF, "invalid block length", "no SOF segment"); the container
   * itself is the reliable witness.
   */
  static boolean endIsMissing(String format, byte[] d) {
    int n = d.length;
    return switch (format) {
      case "JPEG" -> n < 2 || (d[n - 2] & 0xFF) != 0xFF || (d[n - 1] & 0xFF) != 0xD9;
      case "PNG" ->
          n < 12 || d[n - 8] != 'I' || d[n - 7] != 'E' || d[n - 6] != 'N' || d[n - 5] != 'D';
      case "GIF" -> d[n - 1] != 0x3B;
      case "BMP" -> n < 6 || u32le(d, 2) > n;
      case "WEBP" -> n < 8 || u32le(d, 4) + 8 > n;
      default -> false;
    };
  }

  private static long u32le(byte[] d, int p) {
    return (d[p] & 0xFFL)
        | (d[p + 1] & 0xFFL) << 8
        | (d[p + 2] & 0xFFL) << 16
        | (d[p + 3] & 0xFFL) << 24;
  }

  private static boolean isEndOfData(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException) {
        return true;
      }
      String message = t.getMessage();
      if (t instanceof IIOException && message != null) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("premature end") || m.contains("unexpected end") || m.contains("eof")) {
          return true;
        }
      }
    }
    return false;
  }

  private record CollectWarnings(List<String> warnings) implements IIOReadWarningListener {
    @Override
    public void warningOccurred(ImageReader source, String warning) {
      warnings.add(warning);
    }
  }
}
