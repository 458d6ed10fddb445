package org.facesearch.recognizability;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class UiCentroidsTests {

  private static float[] at(double degrees) {
    double r = Math.toRadians(degrees);
    return new float[] {(float) Math.cos(r), (float) Math.sin(r)};
  }

  @Test
  public void meanNormalisesEachEmbeddingThenTheMean() {
    // Hand-checked: (3, 4) -> (0.6, 0.8); (0, 2) -> (0, 1); sum (0.6, 1.8), length sqrt(3.6).
    assertArrayEquals(
        new float[] {0.316228f, 0.948683f},
        UiCentroids.mean(List.of(new float[] {3, 4}, new float[] {0, 2})),
        1e-6f);
    assertArrayEquals(new float[] {0, 1, 0}, UiCentroids.mean(List.of(new float[] {0, 5, 0})), 0f);
  }

  @Test
  public void meanRefusesWhatHasNoDirection() {
    assertThrows(IllegalArgumentException.class, () -> UiCentroids.mean(List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> UiCentroids.mean(List.of(new float[] {0, 0})));
    assertThrows(
        IllegalArgumentException.class,
        () -> UiCentroids.mean(List.of(new float[] {1, Float.NaN})));
    assertThrows(
        IllegalArgumentException.class,
        () -> UiCentroids.mean(List.of(new float[] {1, 0}, new float[] {-1, 0})));
    assertThrows(
        IllegalArgumentException.class,
        () -> UiCentroids.mean(List.of(new float[] {1, 0}, new float[] {1, 0, 0})));
  }

  @Test
  public void largestClusterChainsAndAveragesItsMembers() {
    // Unit vectors at angle t apart are 2 sin(t / 2) apart: <= 1 exactly when t <= 60 degrees.
    // 0, 50, 100 and 150 degrees chain into one cluster (each step 50); 250 and 290 form another
    // (40 apart; 250 is 100 from 150 and 290 is 70 from 0).
    List<float[]> faces = List.of(at(250), at(0), at(100), at(290), at(50), at(150));
    UiCentroids.LargestCluster c = UiCentroids.largestCluster(faces, UiCentroids.DEFAULT_CUT);
    assertArrayEquals(new int[] {1, 2, 4, 5}, c.members());
    assertEquals(2, c.clusters());
    assertEquals(2, c.runnerUp());
    // Mean of 0, 50, 100, 150 degrees points at 75 degrees (symmetric).
    assertArrayEquals(at(75), c.centroid(), 1e-6f);
  }

  @Test
  public void largestClusterTieTakesTheClusterWithTheLowestIndex() {
    List<float[]> faces = List.of(at(180), at(0), at(10), at(190));
    UiCentroids.LargestCluster c = UiCentroids.largestCluster(faces, 1.0);
    assertArrayEquals(new int[] {0, 3}, c.members());
    assertEquals("a tie shows as runner-up == size", 2, c.runnerUp());
    assertArrayEquals(at(185), c.centroid(), 1e-6f);
  }

  @Test
  public void largestClusterNormalisesInputsAndMatchesTheDirectMeanOfItsMembers() {
    // Scaled copies: the clustering must see unit vectors (3 * at(0) is 2 away from at(30)
    // otherwise).
    List<float[]> faces = new ArrayList<>(List.of(new float[] {3, 0}, at(30), at(200)));
    UiCentroids.LargestCluster c = UiCentroids.largestCluster(faces, 1.0);
    assertArrayEquals(new int[] {0, 1}, c.members());
    assertArrayEquals(UiCentroids.mean(List.of(at(0), at(30))), c.centroid(), 1e-7f);
    assertEquals(0, UiCentroids.largestCluster(List.of(at(5)), 1.0).runnerUp());
    assertThrows(IllegalArgumentException.class, () -> UiCentroids.largestCluster(List.of(), 1.0));
    assertThrows(IllegalArgumentException.class, () -> UiCentroids.largestCluster(faces, -0.5));
  }

  @Test
  public void cosineDistanceByHand() {
    assertEquals(0, UiCentroids.cosineDistance(new float[] {1, 0}, new float[] {2, 0}), 1e-12);
    assertEquals(1 - 0.6, UiCentroids.cosineDistance(new float[] {1, 0}, new float[] {3, 4}), 1e-7);
    assertEquals(2, UiCentroids.cosineDistance(new float[] {1, 0}, new float[] {-1, 0}), 1e-12);
    assertThrows(
        IllegalArgumentException.class,
        () -> UiCentroids.cosineDistance(new float[] {0, 0}, new float[] {1, 0}));
  }
}
