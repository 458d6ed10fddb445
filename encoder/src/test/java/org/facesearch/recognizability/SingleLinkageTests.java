package org.facesearch.recognizability;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.facesearch.vectors.UnitVectors;
import org.junit.Test;

public class SingleLinkageTests {

  private static List<float[]> line(float... xs) {
    List<float[]> out = new ArrayList<>();
    for (float x : xs) {
      out.add(new float[] {x});
    }
    return out;
  }

  @Test
  public void chainsOfShortStepsFormOneCluster() {
    // 0 - 0.9 - 1.8 chain (steps 0.9 <= 1) although 0 and 1.8 are 1.8 apart; 3.0 - 3.5 a second
    // cluster (1.8 to 3.0 is 1.2); 10 alone.
    assertArrayEquals(
        new int[] {0, 0, 0, 1, 1, 2},
        SingleLinkage.clusters(line(0f, 0.9f, 1.8f, 3.0f, 3.5f, 10f), 1.0));
    // Labels follow the lowest member index, whatever the input order.
    assertArrayEquals(
        new int[] {0, 1, 0, 2, 1}, SingleLinkage.clusters(line(3.5f, 0f, 3.0f, 10f, 0.9f), 1.0));
  }

  @Test
  public void aDistanceEqualToTheCutLinks() {
    assertArrayEquals(new int[] {0, 0}, SingleLinkage.clusters(line(0f, 1f), 1.0));
    assertArrayEquals(new int[] {0, 1}, SingleLinkage.clusters(line(0f, 1f), 0.999));
    assertArrayEquals(
        "cut 0 links only identical points",
        new int[] {0, 1, 0},
        SingleLinkage.clusters(line(2f, 3f, 2f), 0));
  }

  @Test
  public void emptyAndSingleInputs() {
    assertArrayEquals(new int[0], SingleLinkage.clusters(List.of(), 1.0));
    assertArrayEquals(new int[] {0}, SingleLinkage.clusters(line(5f), 1.0));
  }

  @Test
  public void refusesBadInput() {
    assertThrows(IllegalArgumentException.class, () -> SingleLinkage.clusters(line(0f), -1));
    assertThrows(
        IllegalArgumentException.class, () -> SingleLinkage.clusters(line(0f), Double.NaN));
    assertThrows(
        IllegalArgumentException.class,
        () -> SingleLinkage.clusters(line(0f), Double.POSITIVE_INFINITY));
    assertThrows(
        IllegalArgumentException.class,
        () -> SingleLinkage.clusters(List.of(new float[] {0}, new float[] {0, 1}), 1));
    assertThrows(
        IllegalArgumentException.class, () -> SingleLinkage.clusters(line(0f, Float.NaN), 1));
  }

  /**
   * Naive agglomerative clustering, the definition: merge the two closest clusters while their
   * single-link distance is <= cut.
   */
  private static int[] agglomerative(List<float[]> points, double cut) {
    int n = points.size();
    List<List<Integer>> clusters = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clusters.add(new ArrayList<>(List.of(i)));
    }
    while (true) {
      double best = Double.POSITIVE_INFINITY;
      int bi = -1;
      int bj = -1;
      for (int a = 0; a < clusters.size(); a++) {
        for (int b = a + 1; b < clusters.size(); b++) {
          for (int i : clusters.get(a)) {
            for (int j : clusters.get(b)) {
              double d = distance(points.get(i), points.get(j));
              if (d < best) {
                best = d;
                bi = a;
                bj = b;
              }
            }
          }
        }
      }
      if (bi < 0 || best > cut) {
        break;
      }
      clusters.get(bi).addAll(clusters.remove(bj));
    }
    return canonical(clusters, n);
  }

  /** Union-find over every pair at distance <= cut. */
  private static int[] unionFind(List<float[]> points, double cut) {
    int n = points.size();
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (distance(points.get(i), points.get(j)) <= cut) {
          parent[find(parent, i)] = find(parent, j);
        }
      }
    }
    List<List<Integer>> clusters = new ArrayList<>();
    List<Integer> roots = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int r = find(parent, i);
      int k = roots.indexOf(r);
      if (k < 0) {
        roots.add(r);
        clusters.add(new ArrayList<>());
        k = clusters.size() - 1;
      }
      clusters.get(k).add(i);
    }
    return canonical(clusters, n);
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      i = parent[i];
    }
    return i;
  }

  /** Labels numbered by each cluster's lowest member. */
  private static int[] canonical(List<List<Integer>> clusters, int n) {
    int[] owner = new int[n];
    for (int c = 0; c < clusters.size(); c++) {
      for (int i : clusters.get(c)) {
        owner[i] = c;
      }
    }
    int[] relabel = new int[clusters.size()];
    java.util.Arrays.fill(relabel, -1);
    int[] out = new int[n];
    int next = 0;
    for (int i = 0; i < n; i++) {
      if (relabel[owner[i]] < 0) {
        relabel[owner[i]] = next++;
      }
      out[i] = relabel[owner[i]];
    }
    return out;
  }

  private static double distance(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += Math.pow((double) a[i] - b[i], 2);
    }
    return Math.sqrt(s);
  }

  /** True when no pair lies within 1e-9 of the cut (where rounding could legitimately disagree). */
  private static boolean clearOfCut(List<float[]> points, double cut) {
    for (int i = 0; i < points.size(); i++) {
      for (int j = i + 1; j < points.size(); j++) {
        if (Math.abs(distance(points.get(i), points.get(j)) - cut) < 1e-9) {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  public void matchesNaiveAgglomerativeClusteringOnRandomBlobs() {
    Random random = new Random(42);
    int checked = 0;
    int multi = 0;
    for (int round = 0; round < 60; round++) {
      int dims = 1 + random.nextInt(6);
      int n = 5 + random.nextInt(35);
      int blobs = 1 + random.nextInt(5);
      float[][] centres = new float[blobs][dims];
      for (float[] c : centres) {
        for (int d = 0; d < dims; d++) {
          c[d] = (float) (random.nextGaussian() * 3);
        }
      }
      List<float[]> points = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        float[] c = centres[random.nextInt(blobs)];
        float[] p = new float[dims];
        for (int d = 0; d < dims; d++) {
          p[d] = (float) (c[d] + random.nextGaussian() * 0.6);
        }
        points.add(p);
      }
      double cut = 0.3 + random.nextDouble() * 1.5;
      if (!clearOfCut(points, cut)) {
        continue;
      }
      int[] expected = agglomerative(points, cut);
      assertArrayEquals("round " + round, expected, SingleLinkage.clusters(points, cut));
      checked++;
      if (java.util.Arrays.stream(expected).max().getAsInt() > 0
          && java.util.Arrays.stream(expected).max().getAsInt() < n - 1) {
        multi++;
      }
    }
    assertTrue("enough rounds checked: " + checked, checked >= 55);
    assertTrue("rounds with non-trivial clusterings: " + multi, multi >= 20);
  }

  @Test
  public void matchesUnionFindOnUnitEmbeddings() {
    // 512-d unit vectors around a few directions, like face embeddings; cut 1.0 (cosine 0.5).
    Random random = new Random(7);
    for (int round = 0; round < 5; round++) {
      int dims = 512;
      float[][] directions = new float[4][];
      for (int k = 0; k < directions.length; k++) {
        directions[k] = UnitVectors.unitCopy(gaussian(random, dims, 1));
      }
      List<float[]> points = new ArrayList<>();
      for (int i = 0; i < 150; i++) {
        float[] noise = gaussian(random, dims, (0.03 + 0.05 * random.nextDouble()));
        float[] d = directions[random.nextInt(directions.length)];
        float[] p = new float[dims];
        for (int j = 0; j < dims; j++) {
          p[j] = d[j] + noise[j];
        }
        points.add(UnitVectors.unitCopy(p));
      }
      assertTrue(clearOfCut(points, 1.0));
      int[] expected = unionFind(points, 1.0);
      assertArrayEquals(expected, SingleLinkage.clusters(points, 1.0));
      int clusters = java.util.Arrays.stream(expected).max().getAsInt() + 1;
      assertTrue(
          "round " + round + " has " + clusters + " clusters",
          clusters > 1 && clusters < points.size());
    }
  }

  private static float[] gaussian(Random random, int dims, double sigma) {
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) (random.nextGaussian() * sigma);
    }
    return v;
  }

  @Test
  public void earlyExitAgreesWithTheFullSum() {
    float[] a = new float[200];
    float[] b = new float[200];
    b[199] = 2; // the only difference is in the last block: no early exit may decide before it
    assertEquals(false, SingleLinkage.withinSquared(a, b, 3.99));
    assertEquals(true, SingleLinkage.withinSquared(a, b, 4.0));
  }
}
