package org.facesearch.verification;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.junit.Test;

public class VerificationCalibrationTests {

  private static final VerificationCalibration THREE =
      new VerificationCalibration(
          List.of(
              new VerificationCalibration.Point(1e-2, 0.25, 0.01),
              new VerificationCalibration.Point(1e-3, 0.34, 0.02),
              new VerificationCalibration.Point(1e-5, 0.48, 0.10)),
          "hand-made");

  @Test
  public void calibratedRatesGiveTheirOwnThresholds() {
    assertEquals(0.25, THREE.threshold(1e-2), 0);
    assertEquals(0.34, THREE.threshold(1e-3), 0);
    assertEquals(0.48, THREE.threshold(1e-5), 0);
    assertEquals(0.02, THREE.fnmr(1e-3), 0);
  }

  @Test
  public void ratesBetweenPointsAreInterpolatedOnTheLogScale() {
    // 1e-4 is half way from 1e-3 to 1e-5 in log10: half way from 0.34 to 0.48.
    assertEquals(0.41, THREE.threshold(1e-4), 1e-12);
    assertEquals(0.06, THREE.fnmr(1e-4), 1e-12);
    // 10^-2.5 is half way between the first two points.
    assertEquals(0.295, THREE.threshold(Math.pow(10, -2.5)), 1e-12);
    // log10(2e-3) = -2.699: 69.9% of the way from 1e-2 to 1e-3.
    double share = (Math.log10(1e-2) - Math.log10(2e-3)) / (Math.log10(1e-2) - Math.log10(1e-3));
    assertEquals(0.25 + share * 0.09, THREE.threshold(2e-3), 1e-12);
  }

  @Test
  public void ratesOutsideTheRangeAreRefusedNamingIt() {
    assertEquals("1e-5 to 1e-2", THREE.range());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> THREE.threshold(1e-6));
    assertEquals(
        "false-match rate 1e-6 is outside the calibrated range 1e-5 to 1e-2", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> THREE.threshold(0.5));
    assertEquals(
        "false-match rate 5e-1 is outside the calibrated range 1e-5 to 1e-2", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> THREE.threshold(Double.NaN));
  }

  @Test
  public void ratesArePrintedAsPeopleWriteThem() {
    assertEquals("1e-4", VerificationCalibration.rate(1e-4));
    assertEquals("2.5e-5", VerificationCalibration.rate(2.5e-5));
    assertEquals("5e-3", VerificationCalibration.rate(0.005));
    assertEquals("1e-2", VerificationCalibration.rate(0.009999999));
    assertEquals("1.234e-6", VerificationCalibration.rate(1.2344e-6));
  }

  @Test
  public void inconsistentPointsAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new VerificationCalibration(
                    List.of(
                        new VerificationCalibration.Point(1e-3, 0.34, 0.02),
                        new VerificationCalibration.Point(1e-2, 0.25, 0.01)),
                    "s"));
    assertEquals(
        "point [1]: points must be listed by fmr, largest first; 0.01 follows 0.001",
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new VerificationCalibration(
                    List.of(
                        new VerificationCalibration.Point(1e-2, 0.34, 0.02),
                        new VerificationCalibration.Point(1e-3, 0.25, 0.01)),
                    "s"));
    assertEquals(
        "point [1]: a smaller fmr cannot have a lower threshold (0.25 after 0.34)", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new VerificationCalibration(
                    List.of(new VerificationCalibration.Point(1e-2, 1.5, 0.02)), "s"));
    assertEquals("point [0]: threshold must be a cosine in [-1, 1], got 1.5", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new VerificationCalibration(
                    List.of(new VerificationCalibration.Point(0, 0.3, 0.02)), "s"));
    assertEquals("point [0]: fmr must be between 0 and 1 (exclusive), got 0.0", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new VerificationCalibration(
                    List.of(new VerificationCalibration.Point(1e-2, 0.3, 2)), "s"));
    assertEquals("point [0]: fnmr must be in [0, 1], got 2.0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new VerificationCalibration(List.of(), "s"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new VerificationCalibration(
                List.of(new VerificationCalibration.Point(1e-2, 0.3, 0)), " "));
  }
}
