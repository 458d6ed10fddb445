package org.facesearch.evaluation.identification;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

/**
 * Each expected value below is worked out by hand from the definitions in docs/algorithms.md
 * section 7.
 */
public class RankingMetricsTests {
  private static final boolean T = true;
  private static final boolean F = false;

  @Test
  public void relevantFirstThenMiss() {
    // R = 2: top 2 = [T, F] -> R-Precision 1/2; MAP@R = (1/2) * (1/1) = 0.5.
    RankingMetrics.Values v = RankingMetrics.of(new boolean[] {T, F, T, F}, 2);
    assertEquals(1.0, v.precisionAt1(), 0);
    assertEquals(0.5, v.rPrecision(), 1e-12);
    assertEquals(0.5, v.mapAtR(), 1e-12);
  }

  @Test
  public void missFirst() {
    // R = 3: top 3 = [F, T, T] -> R-Precision 2/3; MAP@R = (1/3) * (1/2 + 2/3) = 7/18.
    RankingMetrics.Values v = RankingMetrics.of(new boolean[] {F, T, T, T}, 3);
    assertEquals(0.0, v.precisionAt1(), 0);
    assertEquals(2.0 / 3, v.rPrecision(), 1e-12);
    assertEquals(7.0 / 18, v.mapAtR(), 1e-12);
  }

  @Test
  public void perfectRanking() {
    RankingMetrics.Values v = RankingMetrics.of(new boolean[] {T, T, T, F, F}, 3);
    assertEquals(1.0, v.precisionAt1(), 0);
    assertEquals(1.0, v.rPrecision(), 1e-12);
    assertEquals(1.0, v.mapAtR(), 1e-12);
  }

  @Test
  public void onlyTheFirstRPositionsCount() {
    // R = 1 and the only relevant item is 4th: nothing in the top 1.
    RankingMetrics.Values v = RankingMetrics.of(new boolean[] {F, F, F, T}, 1);
    assertEquals(0.0, v.precisionAt1(), 0);
    assertEquals(0.0, v.rPrecision(), 0);
    assertEquals(0.0, v.mapAtR(), 0);
    // R = 4: top 4 = [T, F, F, T] -> R-Precision 2/4; MAP@R = (1/4) * (1/1 + 2/4) = 0.375.
    RankingMetrics.Values w = RankingMetrics.of(new boolean[] {T, F, F, T, T}, 4);
    assertEquals(0.5, w.rPrecision(), 1e-12);
    assertEquals(0.375, w.mapAtR(), 1e-12);
  }

  @Test
  public void positionsPastTheListAreMisses() {
    // A list of 1 with R = 3: R-Precision 1/3, MAP@R = (1/3) * 1.
    RankingMetrics.Values v = RankingMetrics.of(new boolean[] {T}, 3);
    assertEquals(1.0, v.precisionAt1(), 0);
    assertEquals(1.0 / 3, v.rPrecision(), 1e-12);
    assertEquals(1.0 / 3, v.mapAtR(), 1e-12);
    assertEquals(0.0, RankingMetrics.precisionAt1(new boolean[0]), 0);
  }

  @Test
  public void mapAtRPenalisesLateHitsMoreThanRPrecision() {
    // Same R-Precision (2/4), different order: [T, T, F, F] gives (1 + 1) / 4 = 0.5,
    // [F, F, T, T] gives (1/3 + 2/4) / 4 = 5/24.
    assertEquals(0.5, RankingMetrics.mapAtR(new boolean[] {T, T, F, F}, 4), 1e-12);
    assertEquals(5.0 / 24, RankingMetrics.mapAtR(new boolean[] {F, F, T, T}, 4), 1e-12);
    assertEquals(
        RankingMetrics.rPrecision(new boolean[] {T, T, F, F}, 4),
        RankingMetrics.rPrecision(new boolean[] {F, F, T, T}, 4),
        0);
  }

  @Test
  public void rMustBePositive() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> RankingMetrics.rPrecision(new boolean[] {T}, 0));
    assertEquals("R (relevant gallery items) must be at least 1, got 0", e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> RankingMetrics.mapAtR(new boolean[] {T}, -1));
  }

  @Test
  public void totalsAreMeanPercentages() {
    MetricTotals t = new MetricTotals();
    t.add(new RankingMetrics.Values(1, 0.5, 0.25));
    t.add(new RankingMetrics.Values(0, 1, 0.75));
    t.add(RankingMetrics.Values.MISS);
    t.add(new RankingMetrics.Values(1, 0.5, 1));
    assertEquals(4, t.count());
    assertEquals(50.0, t.precisionAt1(), 1e-12);
    assertEquals(50.0, t.rPrecision(), 1e-12);
    assertEquals(50.0, t.mapAtR(), 1e-12);
    assertThrows(IllegalStateException.class, () -> new MetricTotals().precisionAt1());
  }
}
