package org.facesearch.recognizability;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import org.junit.Test;

public class RecognizabilityTests {

  @Test
  public void ersIsOneMinusTheCosineToTheCentroidCappedAtOne() {
    float[] centroid = {1, 0, 0};
    assertEquals(0f, Recognizability.ers(centroid, new float[] {1, 0, 0}), 1e-7f);
    assertEquals(0.4f, Recognizability.ers(centroid, new float[] {0.6f, 0.8f, 0}), 1e-6f);
    assertEquals(1f, Recognizability.ers(centroid, new float[] {0, 1, 0}), 1e-7f);
    assertEquals(
        "opposite to the centroid is capped at 1",
        1f,
        Recognizability.ers(centroid, new float[] {-1, 0, 0}),
        1e-7f);
  }

  @Test
  public void templateWeighsQualifyingFacesByErs() {
    // Hand-checked: 0.9 * (1, 0) + 0.6 * (0, 1) = (0.9, 0.6), normalised (0.8321, 0.5547); (0.1) is
    // dropped.
    float[] t =
        Recognizability.template(
            List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {-1, 0}),
            List.of(0.9f, 0.6f, 0.1f),
            0.5f);
    assertArrayEquals(new float[] {0.83205f, 0.55470f}, t, 1e-5f);
  }

  @Test
  public void templateWithNoRecognizableFaceIsNull() {
    assertNull(Recognizability.template(List.of(new float[] {1, 0}), List.of(0.2f), 0.5f));
  }
}
