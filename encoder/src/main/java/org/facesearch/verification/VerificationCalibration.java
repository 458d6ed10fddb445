package org.facesearch.verification;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A model's verification calibration: the cosine threshold at which two faces of different people
 * are taken for one person at a given rate (the false-match rate, FMR), measured on impostor pairs
 * of a labelled set, with the rate at which two faces of one person then fail to match (the false
 * non-match rate, FNMR). It turns a false-match rate a user asks for into the cosine the search and
 * the 1:1 comparison apply.
 *
 * <p>Between two calibrated rates the threshold (and the FNMR) is interpolated linearly in the
 * logarithm of the rate, the scale on which thresholds change smoothly; a rate outside the
 * calibrated range is refused, never extrapolated.
 */
public final class VerificationCalibration {

  /**
   * One calibrated point: at threshold {@code threshold}, a share {@code fmr} of impostor pairs
   * match and {@code fnmr} of genuine pairs do not.
   */
  public record Point(double fmr, double threshold, double fnmr) {}

  private final List<Point> points;
  private final String source;

  /**
   * @param points by false-match rate, largest first (strictly), each rate in (0, 1), thresholds in
   *     [-1, 1] that do not fall as the rate falls, each FNMR in [0, 1]
   * @param source how the calibration was made (free text, required)
   * @throws IllegalArgumentException naming the point that breaks a rule
   */
  public VerificationCalibration(List<Point> points, String source) {
    if (points == null || points.isEmpty()) {
      throw new IllegalArgumentException("a verification calibration needs at least one point");
    }
    if (source == null || source.isBlank()) {
      throw new IllegalArgumentException(
          "a verification calibration must say how it was made (source)");
    }
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      if (!(p.fmr() > 0 && p.fmr() < 1)) {
        throw new IllegalArgumentException(
            "point [" + i + "]: fmr must be between 0 and 1 (exclusive), got " + p.fmr());
      }
      if (!(p.threshold() >= -1 && p.threshold() <= 1)) {
        throw new IllegalArgumentException(
            "point [" + i + "]: threshold must be a cosine in [-1, 1], got " + p.threshold());
      }
      if (!(p.fnmr() >= 0 && p.fnmr() <= 1)) {
        throw new IllegalArgumentException(
            "point [" + i + "]: fnmr must be in [0, 1], got " + p.fnmr());
      }
      if (i > 0) {
        Point before = points.get(i - 1);
        if (!(p.fmr() < before.fmr())) {
          throw new IllegalArgumentException(
              "point ["
                  + i
                  + "]: points must be listed by fmr, largest first; "
                  + p.fmr()
                  + " follows "
                  + before.fmr());
        }
        if (p.threshold() < before.threshold()) {
          throw new IllegalArgumentException(
              "point ["
                  + i
                  + "]: a smaller fmr cannot have a lower threshold ("
                  + p.threshold()
                  + " after "
                  + before.threshold()
                  + ")");
        }
      }
    }
    this.points = List.copyOf(points);
    this.source = source;
  }

  /** The calibrated points, largest false-match rate first. */
  public List<Point> points() {
    return points;
  }

  /** How the calibration was made. */
  public String source() {
    return source;
  }

  /** The largest calibrated false-match rate. */
  public double maxFmr() {
    return points.get(0).fmr();
  }

  /** The smallest calibrated false-match rate. */
  public double minFmr() {
    return points.get(points.size() - 1).fmr();
  }

  /** {@code "1e-6 to 1e-2"}: the calibrated range, as messages give it. */
  public String range() {
    return rate(minFmr()) + " to " + rate(maxFmr());
  }

  /**
   * The cosine threshold at false-match rate {@code fmr}.
   *
   * @throws IllegalArgumentException when {@code fmr} is outside the calibrated range (the message
   *     names the range)
   */
  public double threshold(double fmr) {
    return interpolate(fmr, true);
  }

  /**
   * The false non-match rate at false-match rate {@code fmr} on the calibration's genuine pairs.
   */
  public double fnmr(double fmr) {
    return interpolate(fmr, false);
  }

  private double interpolate(double fmr, boolean threshold) {
    check(fmr);
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      if (fmr == p.fmr()) {
        return threshold ? p.threshold() : p.fnmr();
      }
      if (i + 1 < points.size() && fmr < p.fmr() && fmr > points.get(i + 1).fmr()) {
        Point q = points.get(i + 1);
        double share =
            (Math.log(p.fmr()) - Math.log(fmr)) / (Math.log(p.fmr()) - Math.log(q.fmr()));
        double a = threshold ? p.threshold() : p.fnmr();
        double b = threshold ? q.threshold() : q.fnmr();
        return a + share * (b - a);
      }
    }
    throw new IllegalStateException(
        "false-match rate " + fmr + " lies between no two calibrated points of " + range());
  }

  /** Refuses a false-match rate outside the calibrated range, naming the range. */
  public void check(double fmr) {
    if (!(fmr >= minFmr() && fmr <= maxFmr())) {
      throw new IllegalArgumentException(
          "false-match rate " + rate(fmr) + " is outside the calibrated range " + range());
    }
  }

  /** A rate as people write it: {@code 1e-4}, {@code 2.5e-5}, {@code 0.5} stays {@code 5e-1}. */
  public static String rate(double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    int exponent = (int) Math.floor(Math.log10(value));
    double mantissa = value / Math.pow(10, exponent);
    if (mantissa >= 9.9995) { // rounding carried into the next power of ten
      mantissa /= 10;
      exponent++;
    }
    String digits =
        String.format(Locale.ROOT, "%.3f", mantissa).replaceAll("0+$", "").replaceAll("\\.$", "");
    return digits + "e" + exponent;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerificationCalibration c
        && points.equals(c.points)
        && source.equals(c.source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(points, source);
  }

  @Override
  public String toString() {
    return "VerificationCalibration{" + points.size() + " points, " + range() + "}";
  }
}
