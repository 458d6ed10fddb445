package org.facesearch.recognizability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.EnumSet;
import java.util.Random;
import org.facesearch.image.RgbImage;
import org.facesearch.option.EnumOption;
import org.junit.Test;

/**
 * The single degradations against hand-computed values, and the direct recipe with some of its
 * steps against them.
 */
public class DegradationStepsTests {

  private static RgbImage gradient() {
    byte[] px = new byte[112 * 112 * 3];
    for (int y = 0; y < 112; y++) {
      for (int x = 0; x < 112; x++) {
        int o = (y * 112 + x) * 3;
        px[o] = (byte) (2 * x);
        px[o + 1] = (byte) (2 * y);
        px[o + 2] = (byte) ((x * y) % 256);
      }
    }
    return new RgbImage(112, 112, px);
  }

  @Test
  public void oneStepDrawsItsParameterFromTheRecipeRange() {
    RgbImage img = gradient();
    // Gaussian blur alone: sigma = 3 + 5 u with u the first draw of the generator.
    double sigma = 3 + 5 * new Random(11).nextDouble();
    assertArrayEquals(
        Degradations.gaussianBlur(img, sigma).pixels(),
        Degradations.heavy(img, new Random(11), EnumSet.of(Degradations.Step.GAUSSIAN_BLUR))
            .pixels());
    // Down-sampling alone: to 3 + nextInt(6) pixels square and back.
    int size = 3 + new Random(5).nextInt(6);
    assertArrayEquals(
        Degradations.downUp(img, size).pixels(),
        Degradations.heavy(img, new Random(5), EnumSet.of(Degradations.Step.DOWNSAMPLE)).pixels());
  }

  @Test
  public void twoStepsApplyInRecipeOrder() {
    RgbImage img = gradient();
    Random r = new Random(3);
    int size = 3 + r.nextInt(6);
    double sigma = 3 + 5 * r.nextDouble();
    RgbImage expected = Degradations.gaussianBlur(Degradations.downUp(img, size), sigma);
    // Asked in the other order: the recipe's order still holds.
    assertArrayEquals(
        expected.pixels(),
        Degradations.heavy(
                img,
                new Random(3),
                EnumSet.of(Degradations.Step.GAUSSIAN_BLUR, Degradations.Step.DOWNSAMPLE))
            .pixels());
  }

  @Test
  public void everyStepIsTheFullRecipe() {
    RgbImage img = gradient();
    assertArrayEquals(
        Degradations.heavy(img, new Random(9)).pixels(),
        Degradations.heavy(img, new Random(9), EnumSet.allOf(Degradations.Step.class)).pixels());
  }

  @Test
  public void stepNames() {
    assertEquals(
        Degradations.Step.MOTION_BLUR,
        EnumOption.parse("degradations", "motion_blur", Degradations.Step.class));
    assertEquals("motion_blur", Degradations.Step.MOTION_BLUR.id());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> EnumOption.parse("degradations", "sepia", Degradations.Step.class));
    assertThat(
        e.getMessage(),
        containsString(
            "[degradations] must be one of [rotation, affine, occlusion, downsample, gaussian_blur, motion_blur], got [sepia]"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Degradations.heavy(gradient(), new Random(1), EnumSet.noneOf(Degradations.Step.class)));
  }

  @Test
  public void summaryByHand() {
    ErsSummary s = ErsSummary.of(new double[] {0.5, 0.1, 0.3, 0.9, 0.7});
    assertEquals(5, s.n());
    assertEquals(0.5, s.mean(), 1e-12);
    assertEquals(0.5, s.p50(), 1e-12);
    assertEquals(0.1 + 0.2 * 0.2, s.p5(), 1e-12); // position 0.05 * 4 = 0.2 between 0.1 and 0.3
    assertEquals(0.7 + 0.8 * 0.2, s.p95(), 1e-12); // position 3.8 between 0.7 and 0.9
  }

  private static RgbImage filled(int w, int h, int r, int g, int b) {
    byte[] px = new byte[w * h * 3];
    for (int i = 0; i < px.length; i += 3) {
      px[i] = (byte) r;
      px[i + 1] = (byte) g;
      px[i + 2] = (byte) b;
    }
    return new RgbImage(w, h, px);
  }

  private static void set(RgbImage im, int x, int y, int v) {
    int o = (y * im.width() + x) * 3;
    im.pixels()[o] = (byte) v;
    im.pixels()[o + 1] = (byte) v;
    im.pixels()[o + 2] = (byte) v;
  }

  @Test
  public void gaussianBlurOfAnImpulse() {
    RgbImage im = filled(9, 9, 0, 0, 0);
    set(im, 4, 4, 255);
    RgbImage out = Degradations.gaussianBlur(im, 1);
    // Kernel radius 3: k(i) = exp(-i^2 / 2) / (1 + 2 (e^-0.5 + e^-2 + e^-4.5)) = 0.39905, 0.24203,
    // ...
    double sum = 1 + 2 * (Math.exp(-0.5) + Math.exp(-2) + Math.exp(-4.5));
    double k0 = 1 / sum;
    double k1 = Math.exp(-0.5) / sum;
    assertEquals(Math.round(255 * k0 * k0), out.sample(4, 4, 0));
    assertEquals(Math.round(255 * k0 * k1), out.sample(5, 4, 1));
    assertEquals(Math.round(255 * k1 * k1), out.sample(3, 5, 2));
    assertEquals(0, out.sample(0, 0, 0));
  }

  @Test
  public void motionBlurAlongALine() {
    RgbImage im = filled(9, 9, 0, 0, 0);
    for (int y = 0; y < 9; y++) {
      set(im, 4, y, 255);
    }
    RgbImage out = Degradations.motionBlur(im, 3, 0); // horizontal, samples at x - 1, x, x + 1
    for (int x = 0; x < 9; x++) {
      assertEquals("x = " + x, x >= 3 && x <= 5 ? 85 : 0, out.sample(x, 2, 0));
    }
    RgbImage vertical = Degradations.motionBlur(im, 3, 90); // along the line: unchanged
    assertArrayEquals(im.pixels(), vertical.pixels());
  }

  @Test
  public void flatImagesStayFlat() {
    RgbImage flat = filled(112, 112, 90, 120, 200);
    assertArrayEquals(flat.pixels(), Degradations.gaussianBlur(flat, 5).pixels());
    assertArrayEquals(flat.pixels(), Degradations.motionBlur(flat, 21, 33).pixels());
    assertArrayEquals(flat.pixels(), Degradations.downUp(flat, 16).pixels());
  }

  @Test
  public void rotationByHand() {
    RgbImage im = filled(4, 4, 0, 0, 0);
    set(im, 3, 0, 255); // top-right corner
    assertArrayEquals(im.pixels(), Degradations.rotate(im, 0).pixels());
    RgbImage r = Degradations.rotate(im, 90); // counter-clockwise on screen: top-right -> top-left
    assertEquals(255, r.sample(0, 0, 0));
    assertEquals(0, r.sample(3, 0, 0));
    // The identity affine map is the identity; a shift by whole pixels moves the corner.
    assertArrayEquals(im.pixels(), Degradations.affine(im, 1, 0, 0, 1, 0, 0).pixels());
    assertEquals(255, Degradations.affine(im, 1, 0, 0, 1, 0, 2).sample(3, 2, 0));
  }
}
