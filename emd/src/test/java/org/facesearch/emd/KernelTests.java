package org.facesearch.emd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

/**
 * The dot-product kernels and both Sinkhorn arithmetic implementations against plain double loops,
 * on sizes that hit every tiling edge and vector tail.
 */
public class KernelTests {
  private static final int[] DIMS = {1, 3, 8, 15, 16, 17, 31, 64, 100, 512};
  private static final int[] COUNTS = {1, 2, 3, 4, 5, 7, 9, 16, 17, 33, 48, 49, 50, 64};

  private static float[][] randomCells(Random random, int count, int dims) {
    float[][] cells = new float[count][];
    for (int i = 0; i < count; i++) {
      cells[i] = Reference.unit(Reference.gaussian(random, dims));
    }
    return cells;
  }

  @Test
  public void everyPatchKernelMatchesDoubleLoops() {
    Random random = new Random(21);
    for (int dims : DIMS) {
      for (int rows : COUNTS) {
        int cols = COUNTS[random.nextInt(COUNTS.length)];
        float[][] g = randomCells(random, rows, dims);
        float[][] q = randomCells(random, cols, dims);
        for (PatchDotProduct kernel : PatchDotProduct.values()) {
          PreparedQuery prepared = kernel.prepare(q, cols);
          assertEquals(cols, prepared.count());
          float[] out = new float[rows * cols + 1];
          out[rows * cols] = 42f; // must not be touched
          prepared.similarities(g, rows, out);
          float[] dots = new float[cols + 1];
          dots[cols] = 42f;
          prepared.dotsWithQuery(g[0], dots);
          float[] dotsOfRows = new float[rows];
          kernel.dots(q[0], g, rows, dotsOfRows);
          for (int s = 0; s < rows; s++) {
            for (int m = 0; m < cols; m++) {
              double expected = Reference.dot(Reference.toDouble(g[s]), Reference.toDouble(q[m]));
              assertEquals(
                  kernel + " " + dims + "d " + rows + "x" + cols,
                  expected,
                  out[s * cols + m],
                  1e-5);
              if (s == 0) {
                assertEquals(kernel + " dotsWithQuery", expected, dots[m], 1e-5);
              }
              if (m == 0) {
                assertEquals(kernel + " dots", expected, dotsOfRows[s], 1e-5);
              }
            }
          }
          assertEquals(42f, out[rows * cols], 0f);
          assertEquals(42f, dots[cols], 0f);
        }
      }
    }
  }

  private static DenseOps[] allOps() {
    // The Panama kernels with exp lane by lane: what runs where the JDK's vector exp fails.
    return VectorSupport.ENABLED
        ? new DenseOps[] {DenseOps.DEFAULT, new ScalarDenseOps(), new PanamaDenseOps(false)}
        : new DenseOps[] {DenseOps.DEFAULT, new ScalarDenseOps()};
  }

  @Test
  public void denseOpsMatchDoubleLoops() {
    Random random = new Random(22);
    for (DenseOps ops : allOps()) {
      String name = ops.getClass().getSimpleName();
      for (int rows : COUNTS) {
        for (int cols : COUNTS) {
          int stride = ops.padded(cols);
          assertTrue(stride >= cols);
          float[] sim = new float[rows * cols];
          for (int i = 0; i < sim.length; i++) {
            sim[i] = (float) (2 * random.nextDouble() - 1);
          }
          float[] minMax = new float[2];
          ops.range(sim, sim.length, minMax);
          float min = Float.POSITIVE_INFINITY;
          float max = Float.NEGATIVE_INFINITY;
          for (float x : sim) {
            min = Math.min(min, x);
            max = Math.max(max, x);
          }
          assertEquals(name, min, minMax[0], 0f);
          assertEquals(name, max, minMax[1], 0f);

          double[] simOut = new double[rows * stride];
          double[] kernel = new double[rows * stride];
          java.util.Arrays.fill(simOut, Double.NaN); // stale values must be overwritten
          java.util.Arrays.fill(kernel, Double.NaN);
          ops.exponentiate(sim, rows, cols, 0.75, 20.0, simOut, kernel, stride);
          for (int s = 0; s < rows; s++) {
            for (int m = 0; m < stride; m++) {
              double x = m < cols ? sim[s * cols + m] : 0.0;
              double k = m < cols ? Math.exp((x - 0.75) * 20.0) : 0.0;
              assertEquals(name, x, simOut[s * stride + m], 0.0);
              assertEquals(name, k, kernel[s * stride + m], 1e-14 * k);
            }
          }

          // Matrix (cols columns, each padded to the stride) times a vector of length cols.
          double[] x = new double[cols];
          for (int j = 0; j < cols; j++) {
            x[j] = random.nextDouble();
          }
          double[] byColumn = new double[cols * stride];
          for (int i = 0; i < byColumn.length; i++) {
            byColumn[i] = (i % stride) < cols ? random.nextDouble() : 0.0;
          }
          double[] out = new double[stride];
          java.util.Arrays.fill(out, Double.NaN);
          ops.multiply(byColumn, stride, x, cols, out);
          for (int i = 0; i < stride; i++) {
            double expected = 0;
            for (int j = 0; j < cols; j++) {
              expected += x[j] * byColumn[j * stride + i];
            }
            assertEquals(name, expected, out[i], 1e-12);
          }

          double[] den = new double[cols];
          double[] num = new double[cols];
          double[] quotient = new double[cols];
          for (int i = 0; i < cols; i++) {
            num[i] = random.nextDouble();
            den[i] = 0.5 + random.nextDouble();
          }
          ops.divide(num, den, quotient, cols);
          double maxErr = 0;
          for (int i = 0; i < cols; i++) {
            assertEquals(name, num[i] / den[i], quotient[i], 1e-15);
            maxErr = Math.max(maxErr, Math.abs(num[i] * den[i] - x[i]));
          }
          assertEquals(name, maxErr, ops.maxError(num, den, x, cols), 1e-15);

          double[] r = new double[rows];
          double[] c = new double[stride];
          for (int i = 0; i < rows; i++) {
            r[i] = random.nextDouble();
          }
          for (int i = 0; i < cols; i++) {
            c[i] = random.nextDouble();
          }
          double flow = 0;
          for (int s = 0; s < rows; s++) {
            for (int m = 0; m < cols; m++) {
              flow += r[s] * kernel[s * stride + m] * c[m] * simOut[s * stride + m];
            }
          }
          assertEquals(
              name,
              flow,
              ops.flowSimilarity(kernel, simOut, rows, stride, r, c),
              1e-9 * Math.max(1, Math.abs(flow)));
        }
      }
    }
  }

  @Test
  public void usesTheVectorApiWhenPresent() {
    // The test JVM runs with --add-modules jdk.incubator.vector, as OpenSearch does.
    boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    boolean expected =
        module && PanamaBlockedQuery.preferredBitSize() >= VectorSupport.MIN_BIT_SIZE;
    assertEquals(expected, VectorSupport.ENABLED);
    assertEquals(expected, DenseOps.DEFAULT instanceof PanamaDenseOps);
  }

  @Test
  public void maxErrorPropagatesNaN() {
    for (DenseOps ops : allOps()) {
      double[] a = {1, Double.NaN, 3};
      double[] b = {1, 1, 1};
      assertTrue(Double.isNaN(ops.maxError(a, b, b, 3)));
    }
  }
}
