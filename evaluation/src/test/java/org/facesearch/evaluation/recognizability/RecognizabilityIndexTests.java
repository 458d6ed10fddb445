package org.facesearch.evaluation.recognizability;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.junit.Test;

public class RecognizabilityIndexTests {

  // Gallery: A = (1, 0, 0) and (0.6, 0.8, 0); B = (0, 0, 1). UI centroid (0, 2, 0) -> (0, 1, 0).
  private static final RecognizabilityIndex INDEX =
      RecognizabilityIndex.of(
          List.of(new float[] {1, 0, 0}, new float[] {0, 0, 1}, new float[] {0.6f, 0.8f, 0}),
          List.of("A", "B", "A"),
          new float[] {0, 2, 0});

  @Test
  public void prototypesAreNormalisedIdentityMeans() {
    // (1.6, 0.8, 0) / sqrt(3.2)
    assertArrayEquals(new float[] {0.894427f, 0.447214f, 0}, INDEX.prototype("A"), 1e-6f);
    assertArrayEquals(new float[] {0, 0, 1}, INDEX.prototype("B"), 0f);
    assertNull(INDEX.prototype("C"));
    assertEquals(List.of("A", "B"), INDEX.labels());
  }

  @Test
  public void componentsByHand() {
    RecognizabilityIndex.Components a = INDEX.components(new float[] {1, 0, 0}, "A");
    assertEquals(1 - 0.894427, a.dP(), 1e-6);
    assertEquals(1, a.dN(), 1e-9);
    assertEquals(1, a.dUI(), 1e-9);
    // (0, 0.6, 0.8) as B: own prototype cos 0.8; nearest other (A) cos 0.6 * 0.447214; UI cos 0.6.
    RecognizabilityIndex.Components b = INDEX.components(new float[] {0, 3, 4}, "B");
    assertEquals(0.2, b.dP(), 1e-6);
    assertEquals(1 - 0.6 * 0.447214, b.dN(), 1e-6);
    assertEquals(0.4, b.dUI(), 1e-6);
  }

  @Test
  public void refusesWhatItCannotMeasure() {
    assertThrows(
        IllegalArgumentException.class, () -> INDEX.components(new float[] {1, 0, 0}, "C"));
    assertThrows(IllegalArgumentException.class, () -> INDEX.components(new float[] {1, 0}, "A"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RecognizabilityIndex.of(List.of(new float[] {1, 0}), List.of("A"), new float[] {0, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RecognizabilityIndex.of(
                List.of(new float[] {1, 0}, new float[] {0, 1}), List.of("A"), new float[] {0, 1}));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RecognizabilityIndex.of(
                List.of(new float[] {1, 0}, new float[] {0, 1}),
                List.of("A", "B"),
                new float[] {0, 1, 0}));
  }
}
