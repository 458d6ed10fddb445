package org.facesearch.bench.node;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Brute-force top k and recall on hand-checked cases. */
public class ExactNeighboursTests {
  @Test
  public void topKByInnerProductBestFirst() {
    // Query (1, 0): inner products 0.6, -1, 0.8, 0, 1 -> order 4, 2, 0, 3, 1.
    float[][] vectors = {{0.6f, 0.8f}, {-1, 0}, {0.8f, 0.6f}, {0, 1}, {1, 0}};
    int[][] top = ExactNeighbours.topK(vectors, new float[][] {{1, 0}, {0, 1}}, 3);
    assertArrayEquals(new int[] {4, 2, 0}, top[0]);
    // Query (0, 1): 0.8, 0, 0.6, 1, 0 -> 3, 0, 2.
    assertArrayEquals(new int[] {3, 0, 2}, top[1]);
  }

  @Test
  public void recallIsTheMeanShareOfTrueNeighboursFound() {
    int[][] truth = {{1, 2, 3, 4}, {5, 6, 7, 8}};
    // First query: 3 of 4 found (order does not matter, 9 is not a neighbour); second: 1 of 4.
    int[][] found = {{4, 9, 2, 1}, {8, 0, 10, 11}};
    assertEquals((0.75 + 0.25) / 2, ExactNeighbours.recall(truth, found), 1e-12);
    assertEquals(1.0, ExactNeighbours.recall(truth, truth), 0);
  }
}
