package org.facesearch.image;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class ResamplerTests {

  /** A w x h image whose three channels all hold values[y * w + x]. */
  private static RgbImage grey(int w, int h, int... values) {
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < w * h; i++) {
      rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte) values[i];
    }
    return new RgbImage(w, h, rgb);
  }

  @Test
  public void shrinkingByTwoAveragesBlocks() {
    RgbImage img = grey(4, 4, 0, 40, 100, 100, 80, 120, 100, 100, 10, 10, 0, 0, 10, 10, 0, 200);
    float[] p = Resampler.planes(img, 0, 0, 4, 4, 2, 2);
    assertArrayClose(new float[] {60, 100, 10, 50}, java.util.Arrays.copyOf(p, 4), 1e-4f);
    // the same in every channel
    assertArrayClose(
        java.util.Arrays.copyOfRange(p, 0, 4), java.util.Arrays.copyOfRange(p, 8, 12), 0f);
  }

  @Test
  public void shrinkingByANonIntegerFactorWeighsPartialPixels() {
    // 3 -> 2: output 0 covers [0, 1.5): 1 x 0 + 0.5 x 30; output 1 covers [1.5, 3): 0.5 x 30 + 1 x
    // 60.
    float[] p = Resampler.planes(grey(3, 1, 0, 30, 60), 0, 0, 3, 1, 2, 1);
    assertEquals(10f, p[0], 1e-4f);
    assertEquals(50f, p[1], 1e-4f);
  }

  @Test
  public void sameSizeIsACopy() {
    RgbImage img = grey(3, 2, 1, 2, 3, 4, 5, 6);
    float[] p = Resampler.planes(img, 0, 0, 3, 2, 3, 2);
    assertArrayClose(new float[] {1, 2, 3, 4, 5, 6}, java.util.Arrays.copyOf(p, 6), 0f);
  }

  @Test
  public void enlargingAFlatImageKeepsItFlatUpToTheBorder() {
    float[] p = Resampler.planes(grey(2, 2, 90, 90, 90, 90), 0, 0, 2, 2, 7, 5);
    for (float v : p) {
      assertEquals(90f, v, 1e-4f);
    }
  }

  @Test
  public void enlargingInterpolatesLinearlyBetweenCentres() {
    // 2 -> 4: samples at 0.25, 0.75, 1.25, 1.75 (continuous) = pixel-centre -0.25, 0.25, 0.75,
    // 1.25.
    float[] p = Resampler.planes(grey(2, 1, 0, 100), 0, 0, 2, 1, 4, 1);
    assertArrayClose(new float[] {0, 25, 75, 100}, java.util.Arrays.copyOf(p, 4), 1e-4f);
  }

  @Test
  public void regionOutsideTheImageIsBlack() {
    RgbImage white =
        grey(4, 4, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255);
    float[] p = Resampler.planes(white, -2, 0, 4, 4, 4, 4);
    for (int y = 0; y < 4; y++) {
      assertArrayClose(
          new float[] {0, 0, 255, 255}, java.util.Arrays.copyOfRange(p, y * 4, y * 4 + 4), 1e-4f);
    }
    float[] far = Resampler.planes(white, 0, 10, 4, 4, 2, 2);
    for (float v : far) {
      assertEquals(0f, v, 0f);
    }
  }

  @Test
  public void normalisingIntoABufferMatchesResamplingThenNormalising() {
    byte[] rgb = new byte[7 * 5 * 3];
    new java.util.Random(5).nextBytes(rgb);
    RgbImage img = new RgbImage(7, 5, rgb);
    float[] mean = {127, 100, 50};
    float[] scale = {1 / 128f, 0.5f, 2f};
    for (int[] size : new int[][] {{11, 9}, {3, 2}}) {
      int plane = size[0] * size[1];
      float[] plain = Resampler.planes(img, -1, 0.5, 8, 4, size[0], size[1]);
      float[] out = new float[3 * plane + 4]; // larger than needed: only the front is written
      java.util.Arrays.fill(out, 42f);
      Resampler.planes(img, -1, 0.5, 8, 4, size[0], size[1], out, mean, scale);
      for (int i = 0; i < 3 * plane; i++) {
        assertEquals((plain[i] - mean[i / plane]) * scale[i / plane], out[i], 1e-4f);
      }
      assertEquals(42f, out[3 * plane], 0f);
    }
    float[] outside = new float[3];
    Resampler.planes(img, 100, 100, 2, 2, 1, 1, outside, mean, scale);
    assertArrayClose(new float[] {-127 / 128f, -50f, -100f}, outside, 1e-6f);
  }

  @Test
  public void resizeRoundsToAnImage() {
    RgbImage out =
        Resampler.resize(
            grey(4, 4, 0, 40, 100, 100, 80, 120, 100, 100, 10, 10, 0, 0, 10, 10, 0, 201), 2, 2);
    assertEquals(60, out.sample(0, 0, 1));
    assertEquals(50, out.sample(1, 1, 2)); // 201/4 = 50.25
  }

  private static void assertArrayClose(float[] expected, float[] actual, float tolerance) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals("index " + i, expected[i], actual[i], tolerance);
    }
  }
}
