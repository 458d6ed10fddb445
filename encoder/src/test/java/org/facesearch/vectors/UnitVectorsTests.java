package org.facesearch.vectors;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.Random;
import org.junit.Test;

/** Unit vectors by hand and against a double-precision computation. */
public class UnitVectorsTests {

  @Test
  public void threeFourFive() {
    float[] v = {3, 4};
    assertEquals(5f, UnitVectors.length(v), 0f);
    assertEquals(5f, UnitVectors.normalise(v), 0f);
    assertArrayEquals(new float[] {0.6f, 0.8f}, v, 1e-7f);
    assertArrayEquals(
        new float[] {0.6f, 0.8f}, UnitVectors.unitCopy(new float[] {-0f + 3, 4}), 1e-7f);
    assertArrayEquals(new float[] {0.6f, -0.8f}, UnitVectors.unit(new double[] {3, -4}), 1e-7f);
  }

  @Test
  public void zeroHasNoDirection() {
    float[] zero = new float[4];
    assertEquals(0f, UnitVectors.normalise(zero), 0f);
    assertArrayEquals(new float[4], zero, 0f);
    assertNull(UnitVectors.unitCopy(new float[4]));
    assertNull(UnitVectors.unit(new double[4]));
    assertNull(UnitVectors.unitCopy(new float[] {1, Float.NaN}));
    assertNull(UnitVectors.unitCopy(new float[] {1, Float.POSITIVE_INFINITY}));
  }

  @Test
  public void givenVectorsOfAnyScaleKeepTheirDirection() {
    // Float squares of these overflow (1e30) or vanish (1e-30); the double sum does not.
    assertArrayEquals(
        new float[] {0.6f, 0.8f}, UnitVectors.unitCopy(new float[] {3e30f, 4e30f}), 1e-7f);
    assertArrayEquals(
        new float[] {0.6f, 0.8f}, UnitVectors.unitCopy(new float[] {3e-30f, 4e-30f}), 1e-7f);
  }

  @Test
  public void agreesWithDoublePrecision() {
    Random random = new Random(42);
    for (int round = 0; round < 100; round++) {
      float[] v = new float[512];
      double sum = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (random.nextGaussian() * 10);
        sum += (double) v[i] * v[i];
      }
      double length = Math.sqrt(sum);
      float[] expected = new float[v.length];
      for (int i = 0; i < v.length; i++) {
        expected[i] = (float) (v[i] / length);
      }
      assertArrayEquals(expected, UnitVectors.unitCopy(v), 1e-7f);
      float[] inPlace = v.clone();
      assertEquals(length, UnitVectors.normalise(inPlace), 1e-5 * length);
      assertArrayEquals(expected, inPlace, 1e-6f);
    }
  }
}
