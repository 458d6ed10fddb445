package org.facesearch.image;

import static org.facesearch.testing.TestImages.assertQuadrants;
import static org.facesearch.testing.TestImages.quadrants;
import static org.facesearch.testing.TestImages.write;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.facesearch.image.ImageRejectedException.Reason;
import org.facesearch.testing.TestImages;
import org.junit.Test;

public class ImageDecoderTests {
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

  private RgbImage roundTrip(String format, int w, int h) {
    RgbImage img = decoder.decode(write(quadrants(w, h, BufferedImage.TYPE_3BYTE_BGR), format));
    assertEquals(w, img.width());
    assertEquals(h, img.height());
    return img;
  }

  @Test
  public void decodesLosslessFormatsExactly() {
    for (String format : new String[] {"png", "bmp", "gif", "tiff"}) {
      RgbImage img = roundTrip(format, 16, 12);
      for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 16; x++) {
          int[] expected = TestImages.QUADRANTS[(y * 2 / 12) * 2 + (x * 2 / 16)];
          for (int c = 0; c < 3; c++) {
            assertEquals(format + " pixel " + x + "," + y, expected[c], img.sample(x, y, c));
          }
        }
      }
    }
  }

  @Test
  public void decodesJpeg() {
    assertQuadrants(roundTrip("jpeg", 64, 48), 10);
  }

  @Test
  public void decodesWebpLosslessAndLossy() throws IOException {
    RgbImage lossless = decoder.decode(resource("quad-lossless.webp"));
    assertEquals(16, lossless.width());
    assertEquals(12, lossless.height());
    assertQuadrants(lossless, 0);
    RgbImage lossy = decoder.decode(resource("quad-lossy.webp"));
    assertEquals(16, lossy.width());
    assertQuadrants(lossy, 30);
  }

  @Test
  public void decodesGrayscaleJpegAsGreyRgb() {
    BufferedImage grey = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = grey.getRaster();
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        r.setSample(x, y, 0, x < 16 ? 60 : 200);
      }
    }
    RgbImage img = decoder.decode(write(grey, "jpeg"));
    for (int[] p : new int[][] {{4, 16, 60}, {28, 16, 200}}) {
      for (int c = 0; c < 3; c++) {
        assertTrue(
            "grey " + p[2] + " channel " + c + " got " + img.sample(p[0], p[1], c),
            Math.abs(img.sample(p[0], p[1], c) - p[2]) <= 4);
      }
    }
  }

  @Test
  public void decodesCmykJpeg() throws IOException {
    // Adobe CMYK JPEGs store inverted ink values; left half red ink (M + Y), right half yellow (Y).
    WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 16, 4, null);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) {
        r.setPixel(x, y, x < 16 ? new int[] {255, 0, 0, 255} : new int[] {255, 255, 0, 255});
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(r, null, null), null);
    } finally {
      writer.dispose();
    }
    // APP14 "Adobe", version 100, flags 0, transform 0 (CMYK, not YCCK).
    byte[] adobe = {
      (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0
    };
    RgbImage img = decoder.decode(TestImages.insert(bytes.toByteArray(), 2, adobe));
    assertColour(img, 6, 8, 255, 0, 0, 12);
    assertColour(img, 26, 8, 255, 255, 0, 12);
  }

  @Test
  public void compositesTransparencyOverWhite() {
    BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00000000); // fully transparent black
    argb.setRGB(1, 0, 0xFF102030); // opaque
    argb.setRGB(2, 0, 0x80000000); // half transparent black
    RgbImage img = decoder.decode(write(argb, "png"));
    assertColour(img, 0, 0, 255, 255, 255, 0);
    assertColour(img, 1, 0, 0x10, 0x20, 0x30, 0);
    assertColour(img, 2, 0, 127, 127, 127, 1);
  }

  /**
   * The stored picture for EXIF orientation k, made from the upright one with Java2D transforms.
   */
  private static BufferedImage stored(BufferedImage upright, int k) {
    AffineTransform t =
        switch (k) {
          case 1 -> new AffineTransform();
          case 2 -> AffineTransform.getScaleInstance(-1, 1);
          case 3 -> AffineTransform.getQuadrantRotateInstance(2);
          case 4 -> AffineTransform.getScaleInstance(1, -1);
          case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0); // transpose
          case 6 -> AffineTransform.getQuadrantRotateInstance(3); // viewer turns it clockwise back
          case 7 -> new AffineTransform(0, -1, -1, 0, 0, 0); // transverse
          case 8 -> AffineTransform.getQuadrantRotateInstance(1);
          default -> throw new AssertionError(k);
        };
    var bounds =
        t.createTransformedShape(
                new java.awt.Rectangle(0, 0, upright.getWidth(), upright.getHeight()))
            .getBounds2D();
    AffineTransform shift =
        AffineTransform.getTranslateInstance(-bounds.getMinX(), -bounds.getMinY());
    shift.concatenate(t);
    BufferedImage out =
        new BufferedImage(
            (int) bounds.getWidth(), (int) bounds.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
    new AffineTransformOp(shift, AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(upright, out);
    return out;
  }

  @Test
  public void appliesEveryJpegExifOrientation() {
    BufferedImage upright = quadrants(64, 32, BufferedImage.TYPE_3BYTE_BGR);
    for (int k = 1; k <= 8; k++) {
      for (boolean bigEndian : new boolean[] {false, true}) {
        byte[] jpeg = write(stored(upright, k), "jpeg");
        byte[] tagged = TestImages.insert(jpeg, 2, TestImages.jpegExifSegment(k, bigEndian));
        RgbImage img = decoder.decode(tagged);
        assertEquals("orientation " + k + " width", 64, img.width());
        assertEquals("orientation " + k + " height", 32, img.height());
        assertQuadrants(img, 12);
      }
    }
  }

  @Test
  public void appliesPngExifOrientation() {
    BufferedImage upright = quadrants(16, 12, BufferedImage.TYPE_3BYTE_BGR);
    byte[] png = write(stored(upright, 6), "png");
    // eXIf goes after IHDR: 8-byte signature + 25-byte IHDR chunk.
    byte[] tagged =
        TestImages.insert(png, 33, TestImages.pngChunk("eXIf", TestImages.exifTiff(6, true)));
    RgbImage img = decoder.decode(tagged);
    assertEquals(16, img.width());
    assertEquals(12, img.height());
    assertQuadrants(img, 0);
  }

  @Test
  public void malformedExifMeansAsStored() {
    byte[] jpeg = write(quadrants(64, 32, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
    byte[] segment = TestImages.jpegExifSegment(6, false);
    segment[14] = 99; // IFD offset points past the segment
    RgbImage img = decoder.decode(TestImages.insert(jpeg, 2, segment));
    assertEquals(64, img.width());
    assertQuadrants(img, 12);
  }

  @Test
  public void rejectsEmptyInput() {
    assertRejected(new byte[0], decoder, Reason.EMPTY, "the image is empty");
    assertRejected(null, decoder, Reason.EMPTY, "the image is empty");
  }

  @Test
  public void rejectsDataThatIsNotAnImage() {
    ImageRejectedException e =
        assertRejected(
            "this is plain text, not a photo".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            decoder,
            Reason.UNKNOWN_FORMAT,
            "not a JPEG, PNG, BMP, GIF, WebP or TIFF image");
    assertThat(
        e.getMessage(),
        containsString("74 68 69 73")); // the first bytes, to recognise what was sent
    // Shorter than some formats' signatures: still "not an image", not a read error.
    assertRejected(
        "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        decoder,
        Reason.UNKNOWN_FORMAT,
        "not a JPEG, PNG, BMP, GIF, WebP or TIFF image");
  }

  @Test
  public void rejectsTooManyBytes() {
    byte[] png = write(quadrants(16, 12, BufferedImage.TYPE_3BYTE_BGR), "png");
    assertRejected(
        png,
        new ImageDecoder(new ImageLimits(png.length - 1, 1_000_000)),
        Reason.TOO_MANY_BYTES,
        "the image is "
            + png.length
            + " bytes, more than the limit of "
            + (png.length - 1)
            + " bytes");
    assertEquals(16, new ImageDecoder(new ImageLimits(png.length, 1_000_000)).decode(png).width());
  }

  @Test
  public void rejectsTooManyPixels() {
    byte[] png = write(quadrants(16, 12, BufferedImage.TYPE_3BYTE_BGR), "png");
    assertRejected(
        png,
        new ImageDecoder(new ImageLimits(1_000_000, 100)),
        Reason.TOO_MANY_PIXELS,
        "the image is 16x12 = 192 pixels, more than the limit of 100 pixels");
  }

  @Test
  public void rejectsPngDecompressionBombFromItsHeader() {
    // 60000 x 60000 RGB declared (10.8 GB decoded) in a file of a few hundred bytes.
    byte[] ihdr = new byte[13];
    TestImages.put32be(ihdr, 0, 60_000);
    TestImages.put32be(ihdr, 4, 60_000);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // colour type RGB
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[60_001 * 4]); // the first rows of zeros
    deflater.finish();
    byte[] idat = new byte[1024];
    int n = deflater.deflate(idat);
    byte[] png =
        concat(
            new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
            TestImages.pngChunk("IHDR", ihdr),
            TestImages.pngChunk("IDAT", Arrays.copyOf(idat, n)),
            TestImages.pngChunk("IEND", new byte[0]));
    long before = System.nanoTime();
    assertRejected(
        png,
        decoder,
        Reason.TOO_MANY_PIXELS,
        "the image is 60000x60000 = 3600000000 pixels, more than the limit of 40000000 pixels");
    assertTrue(
        "rejected from the header, without decoding", System.nanoTime() - before < 2_000_000_000L);
  }

  @Test
  public void rejectsJpegDecompressionBombFromItsHeader() {
    byte[] jpeg = write(quadrants(64, 48, BufferedImage.TYPE_3BYTE_BGR), "jpeg");
    int sof = indexOfMarker(jpeg, 0xC0);
    assertTrue("baseline JPEG has an SOF0 marker", sof > 0);
    TestImages.put16be(jpeg, sof + 5, 65_000); // height
    TestImages.put16be(jpeg, sof + 7, 65_000); // width
    assertRejected(
        jpeg, decoder, Reason.TOO_MANY_PIXELS, "the image is 65000x65000 = 4225000000 pixels");
  }

  @Test
  public void rejectsTruncatedImagesOfEveryFormat() throws IOException {
    BufferedImage img = quadrants(64, 48, BufferedImage.TYPE_3BYTE_BGR);
    for (String format : new String[] {"jpeg", "png", "gif", "bmp", "tiff"}) {
      byte[] full = write(img, format);
      assertRejected(
          Arrays.copyOf(full, full.length * 2 / 3),
          decoder,
          Reason.TRUNCATED,
          "data ends early (truncated image)");
    }
    byte[] webp = resource("quad-lossy.webp");
    assertRejected(
        Arrays.copyOf(webp, webp.length - 20),
        decoder,
        Reason.TRUNCATED,
        "the WEBP data ends early (truncated image)");
  }

  @Test
  public void rejectsCorruptPngData() {
    byte[] ihdr = new byte[13];
    TestImages.put32be(ihdr, 0, 8);
    TestImages.put32be(ihdr, 4, 8);
    ihdr[8] = 8;
    ihdr[9] = 2;
    byte[] notZlib =
        "definitely not deflate data".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] png =
        concat(
            new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
            TestImages.pngChunk("IHDR", ihdr),
            TestImages.pngChunk("IDAT", notZlib),
            TestImages.pngChunk("IEND", new byte[0]));
    assertRejected(
        png, decoder, Reason.CORRUPT, "the PNG data is corrupt (its pixels could not be decoded");
  }

  @Test
  public void limitsAreValidated() {
    for (long[] bad : new long[][] {{0, 10}, {10, 0}, {-1, 10}}) {
      try {
        new ImageLimits(bad[0], bad[1]);
        fail("accepted " + Arrays.toString(bad));
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage(), containsString("must be at least 1"));
      }
    }
  }

  static ImageRejectedException assertRejected(
      byte[] data, ImageDecoder decoder, Reason reason, String message) {
    try {
      decoder.decode(data);
    } catch (ImageRejectedException e) {
      assertEquals(e.getMessage(), reason, e.reason());
      assertThat(e.getMessage(), containsString(message));
      return e;
    }
    throw new AssertionError("expected a " + reason + " rejection");
  }

  private static void assertColour(RgbImage img, int x, int y, int r, int g, int b, int tolerance) {
    int[] expected = {r, g, b};
    for (int c = 0; c < 3; c++) {
      assertTrue(
          "pixel "
              + x
              + ","
              + y
              + " channel "
              + c
              + ": expected "
              + expected[c]
              + " got "
              + img.sample(x, y, c),
          Math.abs(img.sample(x, y, c) - expected[c]) <= tolerance);
    }
  }

  private static int indexOfMarker(byte[] d, int marker) {
    for (int i = 2; i + 1 < d.length; i++) {
      if ((d[i] & 0xFF) == 0xFF && (d[i + 1] & 0xFF) == marker) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = ImageDecoderTests.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new AssertionError("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }
}
