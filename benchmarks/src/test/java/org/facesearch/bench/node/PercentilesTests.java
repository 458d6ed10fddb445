package org.facesearch.bench.node;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

/** Nearest-rank percentiles and the median, each expected value worked out by hand. */
public class PercentilesTests {
  @Test
  public void nearestRankOnTenValues() {
    // Given unsorted, in nanoseconds: 1..10 ms. Nearest rank of p: ceil(p/100 * 10).
    long[] nanos = new long[10];
    for (int i = 0; i < 10; i++) {
      nanos[i] = (10 - i) * 1_000_000L;
    }
    Percentiles p = new Percentiles(nanos);
    assertEquals(5.0, p.ms(50), 0); // rank 5
    assertEquals(10.0, p.ms(99), 0); // rank ceil(9.9) = 10
    assertEquals(9.0, p.ms(90), 0); // rank 9
    assertEquals(1.0, p.ms(0), 0); // rank 0 clamps to the smallest
    assertEquals(10.0, p.ms(100), 0);
    assertEquals(5.5, p.mean(), 1e-12);
    assertEquals(10, p.count());
  }

  @Test
  public void p99OfTwoHundredIsTheSecondLargest() {
    // ceil(0.99 * 200) = 198: the 198th smallest of 1..200 ms.
    double[] ms = new double[200];
    for (int i = 0; i < ms.length; i++) {
      ms[i] = i + 1;
    }
    assertEquals(198.0, new Percentiles(ms).ms(99), 0);
  }

  @Test
  public void medianOfOddAndEvenCounts() {
    assertEquals(3.0, new Percentiles(new double[] {5, 1, 3}).median(), 0);
    // Even: mean of the two middle values (2 and 4), unlike the nearest-rank 50th percentile (2).
    Percentiles even = new Percentiles(new double[] {4, 1, 9, 2});
    assertEquals(3.0, even.median(), 0);
    assertEquals(2.0, even.ms(50), 0);
  }

  @Test
  public void noSamplesIsAnError() {
    Percentiles empty = new Percentiles(new double[0]);
    assertThrows(IllegalStateException.class, () -> empty.ms(50));
    assertThrows(IllegalStateException.class, empty::median);
  }
}
