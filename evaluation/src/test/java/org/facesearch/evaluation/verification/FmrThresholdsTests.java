package org.facesearch.evaluation.verification;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

public class FmrThresholdsTests {

  @Test
  public void thresholdLetsThroughTheAllowedShareOfImpostors() {
    // 1000 impostor scores i / 1024 (exact in binary): at FMR 1e-2 the 10 highest (990 / 1024 and
    // up) match.
    float[] scores = new float[1000];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = i / 1024f;
    }
    double t = FmrThresholds.threshold(scores, 1e-2);
    assertEquals(
        0.9664, t,
        1e-12); // half way between 989 / 1024 and 990 / 1024 (0.96630859375), rounded up to 4
    // decimals
    assertEquals(10, FmrThresholds.atLeast(scores, t));
    assertEquals(0.01, FmrThresholds.rateAtLeast(scores, t), 0);
    assertEquals(1, FmrThresholds.atLeast(scores, FmrThresholds.threshold(scores, 1e-3)));
    // Fewer than one false match allowed: not measurable.
    assertTrue(Double.isNaN(FmrThresholds.threshold(scores, 1e-4)));
  }

  @Test
  public void countsAgreeWithAPlainScan() {
    Random random = new Random(3);
    float[] scores = new float[20_000];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (float) (random.nextGaussian() * 0.1);
    }
    float[] sorted = FmrThresholds.sorted(scores);
    for (double fmr : FmrThresholds.TARGETS) {
      double t = FmrThresholds.threshold(sorted, fmr);
      if (Double.isNaN(t)) {
        assertTrue(fmr * scores.length < 1);
        continue;
      }
      long above = 0;
      for (float s : scores) {
        above += s >= t ? 1 : 0;
      }
      assertEquals(above, FmrThresholds.atLeast(sorted, t));
      assertTrue("FMR " + fmr + ": " + above + " above", above <= Math.floor(fmr * scores.length));
      assertTrue(
          "FMR " + fmr + ": " + above + " above", above >= Math.floor(fmr * scores.length) - 1);
      assertEquals(1 - (double) above / scores.length, FmrThresholds.rateBelow(sorted, t), 1e-12);
    }
  }

  @Test
  public void theSplitIsAStableHalvingOfThePeople() {
    // The first byte of SHA-256("Aaron_Eckhart") is 0x27 (odd), of SHA-256("Colin_Powell") 0xc2
    // (even), as sha256sum computes them.
    assertEquals(false, CalibrateVerification.calibrationHalf("Aaron_Eckhart"));
    assertEquals(true, CalibrateVerification.calibrationHalf("Colin_Powell"));
  }
}
