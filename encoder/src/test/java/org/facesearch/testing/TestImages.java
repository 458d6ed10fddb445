package org.facesearch.testing;

import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.facesearch.image.RgbImage;

/** Synthetic test pictures and byte-level helpers shared by the image tests. */
public final class TestImages {
  private TestImages() {}

  /** Quadrant colours: top-left, top-right, bottom-left, bottom-right. */
  public static final int[][] QUADRANTS = {
    {220, 30, 40}, {30, 200, 60}, {40, 50, 210}, {230, 220, 30}
  };

  /** A w x h picture of four flat quadrants (see {@link #QUADRANTS}). */
  public static BufferedImage quadrants(int w, int h, int type) {
    BufferedImage img = new BufferedImage(w, h, type);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] c = QUADRANTS[(y * 2 / h) * 2 + (x * 2 / w)];
        img.setRGB(x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
      }
    }
    return img;
  }

  /** Encodes with the named ImageIO writer. */
  public static byte[] write(BufferedImage img, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      assertTrue("no ImageIO writer for " + format, ImageIO.write(img, format, out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Asserts each quadrant's centre pixel is its colour within {@code tolerance} per channel. */
  public static void assertQuadrants(RgbImage img, int tolerance) {
    int w = img.width();
    int h = img.height();
    int[][] centres = {
      {w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}
    };
    for (int q = 0; q < 4; q++) {
      for (int c = 0; c < 3; c++) {
        int actual = img.sample(centres[q][0], centres[q][1], c);
        int expected = QUADRANTS[q][c];
        assertTrue(
            "quadrant "
                + q
                + " channel "
                + c
                + ": expected "
                + expected
                + " +- "
                + tolerance
                + ", got "
                + actual,
            Math.abs(actual - expected) <= tolerance);
      }
    }
  }

  /** Inserts {@code segment} right after the first {@code at} bytes. */
  public static byte[] insert(byte[] data, int at, byte[] segment) {
    byte[] out = new byte[data.length + segment.length];
    System.arraycopy(data, 0, out, 0, at);
    System.arraycopy(segment, 0, out, at, segment.length);
    System.arraycopy(data, at, out, at + segment.length, data.length - at);
    return out;
  }

  /** A TIFF structure whose first IFD holds only the orientation tag. */
  public static byte[] exifTiff(int orientation, boolean bigEndian) {
    byte[] t = new byte[8 + 2 + 12 + 4];
    if (bigEndian) {
      t[0] = 'M';
      t[1] = 'M';
      put16be(t, 2, 42);
      put32be(t, 4, 8);
      put16be(t, 8, 1);
      put16be(t, 10, 0x0112);
      put16be(t, 12, 3);
      put32be(t, 14, 1);
      put16be(t, 18, orientation);
    } else {
      t[0] = 'I';
      t[1] = 'I';
      t[2] = 42;
      t[4] = 8;
      t[8] = 1;
      t[10] = 0x12;
      t[11] = 0x01;
      t[12] = 3;
      t[14] = 1;
      t[18] = (byte) orientation;
    }
    return t;
  }

  /** A JPEG APP1 "Exif" segment with the orientation tag. */
  public static byte[] jpegExifSegment(int orientation, boolean bigEndian) {
    byte[] tiff = exifTiff(orientation, bigEndian);
    byte[] seg = new byte[4 + 6 + tiff.length];
    seg[0] = (byte) 0xFF;
    seg[1] = (byte) 0xE1;
    put16be(seg, 2, 2 + 6 + tiff.length);
    System.arraycopy("Exif".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, seg, 4, 4);
    System.arraycopy(tiff, 0, seg, 10, tiff.length);
    return seg;
  }

  /** A PNG chunk with a correct CRC. */
  public static byte[] pngChunk(String type, byte[] data) {
    byte[] chunk = new byte[12 + data.length];
    put32be(chunk, 0, data.length);
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, chunk, 4, 4);
    System.arraycopy(data, 0, chunk, 8, data.length);
    CRC32 crc = new CRC32();
    crc.update(chunk, 4, 4 + data.length);
    put32be(chunk, 8 + data.length, (int) crc.getValue());
    return chunk;
  }

  public static void put16be(byte[] b, int at, int v) {
    b[at] = (byte) (v >> 8);
    b[at + 1] = (byte) v;
  }

  public static void put32be(byte[] b, int at, int v) {
    put16be(b, at, v >>> 16);
    put16be(b, at + 2, v & 0xFFFF);
  }
}
