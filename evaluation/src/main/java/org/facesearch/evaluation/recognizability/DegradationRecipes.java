package org.facesearch.evaluation.recognizability;

import java.util.Random;
import org.facesearch.image.RgbImage;
import org.facesearch.recognizability.Degradations;

/**
 * The recognizability evidence's degradation recipes, built from the product's single degradations
 * ({@link Degradations}; the product itself ships only {@link Degradations#heavy}, the direct
 * UI-centroid recipe):
 *
 * <ul>
 *   <li>{@link #random}: one degradation per face, of one of five kinds chosen uniformly, with a
 *       severity from mild to extreme: down-sampling to 6-32 px square and back; Gaussian blur,
 *       sigma 1-7 px; motion blur 5-41 px; an occluding grey rectangle over 25-75% of the crop;
 *       rotation by 15-120 degrees either way plus a shear up to 0.4. These make the "mix of clean
 *       and degraded faces" for clustering and the mixed verification sets.
 *   <li>{@link #heavyOne}: one of the six steps of the direct recipe per face, at an extreme
 *       setting, only to show how much the direct centroid depends on its recipe.
 *   <li>{@link #halfOccluded}: the upper or lower half covered in mid grey.
 * </ul>
 */
final class DegradationRecipes {
  private DegradationRecipes() {}

  /** The kinds {@link #random} draws from. */
  enum Kind {
    DOWNSAMPLE,
    BLUR,
    MOTION,
    OCCLUSION,
    WARP
  }

  /** A degraded face and how it was degraded. */
  record Degraded(RgbImage image, Kind kind, double severity) {}

  /**
   * One random degradation of random severity, see the class description; severity is in 0..1 (1 =
   * the extreme end of the range).
   */
  static Degraded random(RgbImage img, Random r) {
    Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
    double s = r.nextDouble();
    RgbImage out =
        switch (kind) {
          case DOWNSAMPLE -> Degradations.downUp(img, (int) Math.round(32 - s * 26));
          case BLUR -> Degradations.gaussianBlur(img, 1 + 6 * s);
          case MOTION ->
              Degradations.motionBlur(img, (int) Math.round(5 + 36 * s), uniform(r, 0, 180));
          case OCCLUSION -> Degradations.occludeFraction(img, 0.25 + 0.5 * s, r);
          case WARP -> {
            RgbImage rotated = Degradations.rotate(img, sign(r) * (15 + 105 * s));
            double shear = uniform(r, -0.4, 0.4);
            yield Degradations.affine(rotated, 1, shear, 0, 1, 0, 0);
          }
        };
    return new Degraded(out, kind, s);
  }

  /**
   * One of the six degradations of the direct recipe per face (chosen uniformly) at an extreme
   * setting: rotation by 90-180 degrees either way; an affine warp with shear 0.6-1.0 and scale
   * 0.4-0.6 on one axis; a grey rectangle over 70-90%; down-sampling to 3-6 px; Gaussian blur,
   * sigma 8-14 px; motion blur 41-81 px.
   */
  static RgbImage heavyOne(RgbImage img, Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> Degradations.rotate(img, sign(r) * uniform(r, 90, 180));
      case 1 ->
          Degradations.affine(
              img, uniform(r, 0.4, 0.6), sign(r) * uniform(r, 0.6, 1.0), 0, 1, 0, 0);
      case 2 -> Degradations.occludeFraction(img, uniform(r, 0.7, 0.9), r);
      case 3 -> Degradations.downUp(img, 3 + r.nextInt(4));
      case 4 -> Degradations.gaussianBlur(img, uniform(r, 8, 14));
      default -> Degradations.motionBlur(img, 41 + r.nextInt(41), uniform(r, 0, 180));
    };
  }

  /** The lower ({@code upper = false}) or upper half of the image covered in mid grey (128). */
  static RgbImage halfOccluded(RgbImage img, boolean upper) {
    int h = img.height() / 2;
    return Degradations.occlude(
        img, 0, upper ? 0 : img.height() - h, img.width(), h, 128, 128, 128);
  }

  private static double uniform(Random r, double lo, double hi) {
    return lo + (hi - lo) * r.nextDouble();
  }

  private static int sign(Random r) {
    return r.nextBoolean() ? 1 : -1;
  }
}
