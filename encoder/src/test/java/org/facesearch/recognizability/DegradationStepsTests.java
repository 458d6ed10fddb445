package org.facesearch.recognizability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.EnumSet;
import java.util.Random;

import org.facesearch.image.RgbImage;
import org.junit.Test;
import org.facesearch.option.EnumOption;

/** The direct recipe with some of its steps, against the single degradations it is made of. */
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
    assertArrayEquals(Degradations.gaussianBlur(img, sigma).pixels(),
        Degradations.heavy(img, new Random(11), EnumSet.of(Degradations.Step.GAUSSIAN_BLUR)).pixels());
    // Down-sampling alone: to 3 + nextInt(6) pixels square and back.
    int size = 3 + new Random(5).nextInt(6);
    assertArrayEquals(Degradations.downUp(img, size).pixels(),
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
    assertArrayEquals(expected.pixels(),
        Degradations.heavy(img, new Random(3), EnumSet.of(Degradations.Step.GAUSSIAN_BLUR, Degradations.Step.DOWNSAMPLE)).pixels());
  }

  @Test
  public void everyStepIsTheFullRecipe() {
    RgbImage img = gradient();
    assertArrayEquals(Degradations.heavy(img, new Random(9)).pixels(),
        Degradations.heavy(img, new Random(9), EnumSet.allOf(Degradations.Step.class)).pixels());
  }

  @Test
  public void stepNames() {
    assertEquals(Degradations.Step.MOTION_BLUR, EnumOption.parse("degradations", "motion_blur", Degradations.Step.class));
    assertEquals("motion_blur", Degradations.Step.MOTION_BLUR.id());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EnumOption.parse("degradations", "sepia", Degradations.Step.class));
    assertThat(e.getMessage(),
        containsString("[degradations] must be one of [rotation, affine, occlusion, downsample, gaussian_blur, motion_blur], got [sepia]"));
    assertThrows(IllegalArgumentException.class, () -> Degradations.heavy(gradient(), new Random(1), EnumSet.noneOf(Degradations.Step.class)));
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
}
