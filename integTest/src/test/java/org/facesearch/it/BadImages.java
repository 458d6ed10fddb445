package org.facesearch.it;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Images a hostile or careless user sends, made with the JDK's ImageIO from a real photo or from
 * scratch, each for one kind of bad (or unusual but valid) input of the bad-input suite.
 */
final class BadImages {

  private BadImages() {}

  static BufferedImage read(byte[] photo) {
    try {
      BufferedImage image = ImageIO.read(new java.io.ByteArrayInputStream(photo));
      if (image == null) {
        throw new IllegalArgumentException("not an image ImageIO reads");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] write(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException(
            "no ImageIO writer for " + format + " and image type " + image.getType());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code image} scaled to {@code width x height} (bilinear). */
  static BufferedImage scaled(BufferedImage image, int width, int height) {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, width, height, null);
    g.dispose();
    return out;
  }

  /** The first {@code fraction} of the bytes: a download cut off. */
  static byte[] truncated(byte[] bytes, double fraction) {
    return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
  }

  /** The photo as an 8-bit grey JPEG. */
  static byte[] greyJpeg(byte[] photo) {
    BufferedImage colour = read(photo);
    BufferedImage grey =
        new BufferedImage(colour.getWidth(), colour.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = grey.createGraphics();
    g.drawImage(colour, 0, 0, null);
    g.dispose();
    return write(grey, "jpg");
  }

  /** The photo as a 16-bit grey PNG. */
  static byte[] grey16Png(byte[] photo) {
    BufferedImage colour = read(photo);
    BufferedImage grey =
        new BufferedImage(colour.getWidth(), colour.getHeight(), BufferedImage.TYPE_USHORT_GRAY);
    Graphics2D g = grey.createGraphics();
    g.drawImage(colour, 0, 0, null);
    g.dispose();
    return write(grey, "png");
  }

  /** The photo as a 16-bit-per-channel RGB PNG (48 bits per pixel). */
  static byte[] rgb16Png(byte[] photo) {
    BufferedImage colour = read(photo);
    int w = colour.getWidth();
    int h = colour.getHeight();
    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            java.awt.Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = colour.getRGB(x, y);
        raster.setPixel(
            x,
            y,
            new int[] {((rgb >> 16) & 0xff) * 257, ((rgb >> 8) & 0xff) * 257, (rgb & 0xff) * 257});
      }
    }
    return write(new BufferedImage(model, raster, false, null), "png");
  }

  /** The photo with an alpha channel, as a PNG. */
  static byte[] rgbaPng(byte[] photo) {
    BufferedImage colour = read(photo);
    BufferedImage rgba =
        new BufferedImage(colour.getWidth(), colour.getHeight(), BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = rgba.createGraphics();
    g.drawImage(colour, 0, 0, null);
    g.dispose();
    return write(rgba, "png");
  }

  /**
   * The photo as a CMYK JPEG (four components with an Adobe marker, as print workflows write them).
   */
  static byte[] cmykJpeg(byte[] photo) {
    BufferedImage colour = read(photo);
    int w = colour.getWidth();
    int h = colour.getHeight();
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int rgb = colour.getRGB(x, y);
        double r = ((rgb >> 16) & 0xff) / 255.0;
        double gr = ((rgb >> 8) & 0xff) / 255.0;
        double b = (rgb & 0xff) / 255.0;
        double k = 1 - Math.max(r, Math.max(gr, b));
        double c = k >= 1 ? 0 : (1 - r - k) / (1 - k);
        double m = k >= 1 ? 0 : (1 - gr - k) / (1 - k);
        double ye = k >= 1 ? 0 : (1 - b - k) / (1 - k);
        // Adobe CMYK JPEGs store the inverted values.
        raster.setPixel(
            x,
            y,
            new int[] {
              255 - (int) Math.round(c * 255),
              255 - (int) Math.round(m * 255),
              255 - (int) Math.round(ye * 255),
              255 - (int) Math.round(k * 255)
            });
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      writer.write(null, new IIOImage(raster, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    // The JDK writes no Adobe marker for four components; print workflows do (transform 0: CMYK,
    // stored inverted, as above), and readers need it to tell CMYK from YCCK.
    byte[] plain = out.toByteArray();
    byte[] adobe = {
      (byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
    };
    ByteArrayOutputStream marked = new ByteArrayOutputStream();
    marked.write(plain, 0, 2);
    marked.writeBytes(adobe);
    marked.write(plain, 2, plain.length - 2);
    return marked.toByteArray();
  }

  /** A two-frame animated GIF: the photo, then the photo mirrored. */
  static byte[] animatedGif(byte[] photo) {
    BufferedImage first = read(photo);
    BufferedImage second =
        new BufferedImage(first.getWidth(), first.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = second.createGraphics();
    g.drawImage(first, first.getWidth(), 0, -first.getWidth(), first.getHeight(), null);
    g.dispose();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.prepareWriteSequence(null);
      for (BufferedImage frame : new BufferedImage[] {first, second}) {
        BufferedImage indexed =
            new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_BYTE_INDEXED);
        Graphics2D ig = indexed.createGraphics();
        ig.drawImage(frame, 0, 0, null);
        ig.dispose();
        ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(indexed);
        IIOMetadata metadata = writer.getDefaultImageMetadata(type, null);
        String format = metadata.getNativeMetadataFormatName();
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", "50");
        control.setAttribute("transparentColorIndex", "0");
        root.appendChild(control);
        metadata.setFromTree(format, root);
        writer.writeToSequence(new IIOImage(indexed, null, metadata), null);
      }
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** A flat mid-grey image: valid, but with no face. */
  static byte[] flat(int width, int height, String format) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = image.createGraphics();
    g.setColor(new java.awt.Color(128, 128, 128));
    g.fillRect(0, 0, width, height);
    g.dispose();
    return write(image, format);
  }

  /**
   * A PNG decompression bomb: a header declaring {@code width x height} 8-bit RGB pixels and a few
   * hundred bytes of compressed zeros (one row's worth per kilobyte, far short of the image).
   */
  static byte[] pngBomb(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width)
        .putInt(height)
        .put((byte) 8)
        .put((byte) 2)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    byte[] zeros = new byte[1 << 20];
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    deflater.setInput(zeros);
    deflater.finish();
    byte[] buffer = new byte[1 << 16];
    int n = deflater.deflate(buffer);
    deflater.end();
    chunk(out, "IDAT", Arrays.copyOf(buffer, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(name);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
