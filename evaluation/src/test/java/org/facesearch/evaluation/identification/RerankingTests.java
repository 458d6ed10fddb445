package org.facesearch.evaluation.identification;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class RerankingTests {

  @Test
  public void windowIsSortedAndTheRestKeepsStageOneOrder() {
    // Positions 0..2 re-scored 0.1, 0.9, 0.5; positions 3 and 4 stay below in their order.
    assertArrayEquals(
        new int[] {1, 2, 0, 3, 4}, Reranking.order(5, 3, new double[] {0.1, 0.9, 0.5}));
  }

  @Test
  public void tiesKeepStageOneOrder() {
    assertArrayEquals(new int[] {2, 0, 1, 3}, Reranking.order(4, 3, new double[] {0.5, 0.5, 0.7}));
    assertArrayEquals(new int[] {0, 1, 2}, Reranking.order(3, 3, new double[] {0.2, 0.2, 0.2}));
  }

  @Test
  public void windowLargerThanTheList() {
    assertArrayEquals(new int[] {1, 0}, Reranking.order(2, 100, new double[] {0.1, 0.2}));
    assertThrows(
        IllegalArgumentException.class, () -> Reranking.order(3, 3, new double[] {0.1, 0.2}));
  }

  @Test
  public void ceilingPutsTheWindowsRelevantItemsFirst() {
    boolean[] rel = {false, true, false, true, true};
    // Window 4: relevant positions 1 and 3 first, then 0 and 2; position 4 is below the window and
    // stays.
    int[] order = Reranking.ceiling(rel, 4);
    assertArrayEquals(new int[] {1, 3, 0, 2, 4}, order);
    assertArrayEquals(
        new boolean[] {true, true, false, false, true}, Reranking.permute(rel, order));
  }
}
