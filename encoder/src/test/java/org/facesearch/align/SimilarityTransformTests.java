package org.facesearch.align;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

public class SimilarityTransformTests {

  private static double[] mapAll(SimilarityTransform t, double[] pts) {
    double[] out = new double[pts.length];
    for (int i = 0; i < pts.length; i += 2) {
      double[] q = t.apply(pts[i], pts[i + 1]);
      out[i] = q[0];
      out[i + 1] = q[1];
    }
    return out;
  }

  @Test
  public void recoversAKnownTransformExactly() {
    Random random = new Random(3);
    for (int trial = 0; trial < 100; trial++) {
      double scale = 0.1 + random.nextDouble() * 5;
      double angle = (random.nextDouble() - 0.5) * 2 * Math.PI * 0.99;
      SimilarityTransform truth =
          new SimilarityTransform(
              scale * Math.cos(angle),
              scale * Math.sin(angle),
              random.nextDouble() * 200 - 100,
              random.nextDouble() * 200 - 100);
      double[] src = new double[10];
      for (int i = 0; i < 10; i++) {
        src[i] = random.nextDouble() * 250;
      }
      SimilarityTransform est = SimilarityTransform.estimate(src, mapAll(truth, src));
      assertEquals(scale, est.scale(), 1e-9 * scale);
      assertEquals(angle, est.rotation(), 1e-9);
      assertEquals(truth.tx(), est.tx(), 1e-7);
      assertEquals(truth.ty(), est.ty(), 1e-7);
    }
  }

  /**
   * With noise there is no exact fit: compare with an independent least-squares solve, the 4 x 4
   * normal equations of the unknowns (a, b, tx, ty) solved by Gaussian elimination.
   */
  @Test
  public void matchesTheNormalEquationsOnNoisyPoints() {
    Random random = new Random(11);
    for (int trial = 0; trial < 50; trial++) {
      double[] src = new double[10];
      double[] dst = new double[10];
      for (int i = 0; i < 10; i++) {
        src[i] = random.nextDouble() * 200;
        dst[i] = random.nextDouble() * 112;
      }
      double[][] ata = new double[4][4];
      double[] atb = new double[4];
      for (int i = 0; i < 5; i++) {
        double x = src[2 * i];
        double y = src[2 * i + 1];
        // rows of the design matrix for u = a x - b y + tx and v = b x + a y + ty
        double[][] rows = {{x, -y, 1, 0}, {y, x, 0, 1}};
        double[] rhs = {dst[2 * i], dst[2 * i + 1]};
        for (int r = 0; r < 2; r++) {
          for (int p = 0; p < 4; p++) {
            atb[p] += rows[r][p] * rhs[r];
            for (int q = 0; q < 4; q++) {
              ata[p][q] += rows[r][p] * rows[r][q];
            }
          }
        }
      }
      double[] sol = solve(ata, atb);
      SimilarityTransform est = SimilarityTransform.estimate(src, dst);
      assertEquals(sol[0], est.a(), 1e-9);
      assertEquals(sol[1], est.b(), 1e-9);
      assertEquals(sol[2], est.tx(), 1e-6);
      assertEquals(sol[3], est.ty(), 1e-6);
    }
  }

  @Test
  public void neverReflects() {
    // Mirror image of a point set: the best similarity has a positive determinant (a^2 + b^2 > 0
    // always) and cannot reproduce the mirror, so a residual remains.
    double[] src = {0, 0, 10, 0, 0, 5, 7, 9, 3, 4};
    double[] mirrored = new double[10];
    for (int i = 0; i < 10; i += 2) {
      mirrored[i] = -src[i];
      mirrored[i + 1] = src[i + 1];
    }
    SimilarityTransform t = SimilarityTransform.estimate(src, mirrored);
    double[] fit = mapAll(t, src);
    double residual = 0;
    for (int i = 0; i < 10; i++) {
      residual += (fit[i] - mirrored[i]) * (fit[i] - mirrored[i]);
    }
    assertTrue("a reflection is not a similarity: residual " + residual, residual > 10);
  }

  @Test
  public void inverseUndoesTheTransform() {
    SimilarityTransform t = new SimilarityTransform(1.3, -0.4, 12, -7);
    SimilarityTransform inv = t.inverse();
    double[] p = t.apply(33, 71);
    double[] back = inv.apply(p[0], p[1]);
    assertEquals(33, back[0], 1e-9);
    assertEquals(71, back[1], 1e-9);
    assertEquals(1 / t.scale(), inv.scale(), 1e-12);
  }

  @Test(expected = IllegalArgumentException.class)
  public void coincidentPointsHaveNoTransform() {
    SimilarityTransform.estimate(new double[] {1, 1, 1, 1, 1, 1}, new double[] {0, 0, 1, 1, 2, 2});
  }

  private static double[] solve(double[][] m, double[] b) {
    int n = b.length;
    double[][] a = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n] = b[i];
    }
    for (int c = 0; c < n; c++) {
      int pivot = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
          pivot = r;
        }
      }
      double[] tmp = a[c];
      a[c] = a[pivot];
      a[pivot] = tmp;
      for (int r = 0; r < n; r++) {
        if (r != c) {
          double f = a[r][c] / a[c][c];
          for (int k = c; k <= n; k++) {
            a[r][k] -= f * a[c][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a[i][n] / a[i][i];
    }
    return x;
  }
}
