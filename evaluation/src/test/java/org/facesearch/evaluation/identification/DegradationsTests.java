package org.facesearch.evaluation.identification;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.facesearch.image.RgbImage;
import org.junit.Test;

public class DegradationsTests {
  /** The ArcFace 112x112 template (docs/algorithms.md section 1), pixel centres. */
  private static final float[] TEMPLATE = {
    38.2946f, 51.6963f, 73.5318f, 51.5014f, 56.0252f, 71.7366f, 41.5493f, 92.3655f, 70.7299f,
    92.2041f
  };

  private static RgbImage grey(int w, int h, int value) {
    byte[] px = new byte[w * h * 3];
    Arrays.fill(px, (byte) value);
    return new RgbImage(w, h, px);
  }

  private static int[] rgb(RgbImage im, int x, int y) {
    return new int[] {im.sample(x, y, 0), im.sample(x, y, 1), im.sample(x, y, 2)};
  }

  /**
   * Counts pixels equal to {@code colour} and checks they fill exactly rows r0..r1, columns c0..c1
   * (inclusive).
   */
  private static void assertRectangle(RgbImage im, int[] colour, int r0, int r1, int c0, int c1) {
    for (int y = 0; y < im.height(); y++) {
      for (int x = 0; x < im.width(); x++) {
        boolean inside = y >= r0 && y <= r1 && x >= c0 && x <= c1;
        boolean painted = Arrays.equals(rgb(im, x, y), colour);
        assertEquals("pixel (" + x + ", " + y + ")", inside, painted);
      }
    }
  }

  @Test
  public void maskCoversFromTheNoseTipDown() {
    // Nose tip at y = 71.74 (pixel centre) -> continuous 72.24: rows 72..111. Eye distance d =
    // 35.24:
    // x from 38.79 - 26.43 = 12.36 to 74.03 + 26.43 = 100.46 -> pixel centres 12.5 .. 99.5: columns
    // 12..99.
    assertRectangle(
        Degradations.mask(grey(112, 112, 90), TEMPLATE), Degradations.MASK_RGB, 72, 111, 12, 99);
  }

  @Test
  public void sunglassesCoverBothEyes() {
    // Eye y (continuous) 52.10 +- 0.3 d = 41.53 .. 62.67 -> rows 42..62; x 38.79 - 19.38 = 19.41 ..
    // 74.03 + 19.38 = 93.41
    // -> columns 19..92. Both eye centres (38, 51) and (73, 51) are inside.
    RgbImage out = Degradations.sunglasses(grey(112, 112, 90), TEMPLATE);
    assertRectangle(out, Degradations.GLASSES_RGB, 42, 62, 19, 92);
  }

  @Test
  public void rotationIsAboutTheCentreAndClockwiseOnScreen() {
    RgbImage dot = grey(5, 5, 0);
    byte[] px = dot.pixels();
    int o = (2 * 5 + 4) * 3; // pixel (4, 2): middle of the right edge
    px[o] = px[o + 1] = px[o + 2] = (byte) 200;
    RgbImage turned = Degradations.rotate(dot, 90);
    // Clockwise by 90 degrees on screen: the right edge's middle goes to the bottom edge's middle.
    assertArrayEquals(new int[] {200, 200, 200}, rgb(turned, 2, 4));
    assertArrayEquals(new int[] {0, 0, 0}, rgb(turned, 4, 2));
    assertArrayEquals(dot.pixels(), Degradations.rotate(dot, 0).pixels());
  }

  @Test
  public void lowResolutionKeepsAFlatImageFlat() {
    RgbImage out = Degradations.lowResolution(grey(112, 112, 77), 16);
    assertEquals(112, out.width());
    for (byte b : out.pixels()) {
      assertEquals(77, b & 0xFF);
    }
  }

  @Test
  public void cropBoxStaysInsideAndMapsPoints() {
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      Degradations.CropBox box = Degradations.CropBox.random(250, 250, 0.7, random);
      assertEquals(175, box.w(), 1e-9);
      assertTrue(box.x0() >= 0 && box.x0() <= 75 && box.y0() >= 0 && box.y0() <= 75);
    }
    Degradations.CropBox box = new Degradations.CropBox(10, 20, 70, 70, 100, 100);
    // (45, 55) is the box's centre, so it lands in the middle of the resized crop.
    assertArrayEquals(new double[] {50, 50}, box.map(45, 55), 1e-12);
    assertArrayEquals(new double[] {0, 0}, box.map(10, 20), 1e-12);
  }

  @Test
  public void cropEnlargesTheChosenRegion() {
    // Source columns 0..49 dark, 50..99 bright; crop [30, 100) x [0, 70) resized to 100 x 100.
    byte[] px = new byte[100 * 100 * 3];
    for (int y = 0; y < 100; y++) {
      for (int x = 50; x < 100; x++) {
        int o = (y * 100 + x) * 3;
        px[o] = px[o + 1] = px[o + 2] = (byte) 250;
      }
    }
    RgbImage image = new RgbImage(100, 100, px);
    RgbImage out = new Degradations.CropBox(30, 0, 70, 70, 100, 100).apply(image);
    // Output column c samples continuous x = 30 + (c + 0.5) * 0.7 (bilinear between pixel centres):
    // c = 27 -> x = 49.25, between pixels 48 and 49 (dark); c = 29 -> x = 50.65, between 50 and 51
    // (bright).
    assertEquals(0, out.sample(10, 50, 0));
    assertEquals(0, out.sample(27, 50, 0));
    assertEquals(250, out.sample(29, 50, 0));
    assertEquals(250, out.sample(99, 50, 0));
    assertTrue(
        !Arrays.equals(Degradations.crop(image, 0.7, new Random(1)).pixels(), image.pixels()));
  }

  @Test
  public void seededVersionsAreReproducible() {
    Random a = QueryVersion.CROP.random(7, 123);
    Random b = QueryVersion.CROP.random(7, 123);
    assertEquals(a.nextLong(), b.nextLong());
    assertNotEquals(
        QueryVersion.CROP.random(7, 123).nextLong(), QueryVersion.CROP.random(7, 124).nextLong());
    assertNotEquals(
        QueryVersion.CROP.random(7, 123).nextLong(),
        QueryVersion.ROTATION.random(7, 123).nextLong());
  }
}
