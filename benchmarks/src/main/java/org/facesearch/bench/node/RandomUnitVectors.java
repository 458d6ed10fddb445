package org.facesearch.bench.node;

import java.util.SplittableRandom;

/** Seeded random unit vectors: Gaussian components scaled to length 1 (uniform on the sphere). */
final class RandomUnitVectors {
  private RandomUnitVectors() {}

  static float[][] generate(int count, int dims, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] out = new float[count][dims];
    for (float[] v : out) {
      double norm = 0;
      for (int d = 0; d < dims; d++) {
        double g = gaussian(random);
        v[d] = (float) g;
        norm += g * g;
      }
      float scale = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < dims; d++) {
        v[d] *= scale;
      }
    }
    return out;
  }

  /**
   * Marsaglia's polar method (SplittableRandom has no nextGaussian before Java 17's RandomGenerator
   * default).
   */
  private static double gaussian(SplittableRandom random) {
    while (true) {
      double u = 2 * random.nextDouble() - 1;
      double w = 2 * random.nextDouble() - 1;
      double s = u * u + w * w;
      if (s > 0 && s < 1) {
        return u * Math.sqrt(-2 * Math.log(s) / s);
      }
    }
  }
}
