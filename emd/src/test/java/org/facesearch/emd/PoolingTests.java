package org.facesearch.emd;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

/** Adaptive average pooling to 4 x 4, against bins written out by hand. */
public class PoolingTests {
  /** Bins of 7 -> 4: floor(i*7/4) to ceil((i+1)*7/4), worked out by hand. */
  private static final int[][] BINS_7_TO_4 = {{0, 2}, {1, 4}, {3, 6}, {5, 7}};

  /** Bins of 5 -> 4: floor(i*5/4) to ceil((i+1)*5/4). */
  private static final int[][] BINS_5_TO_4 = {{0, 2}, {1, 3}, {2, 4}, {3, 5}};

  @Test
  public void binBoundaries() {
    for (int i = 0; i < 4; i++) {
      assertEquals(BINS_7_TO_4[i][0], AdaptivePooling.binStart(i, 7, 4));
      assertEquals(BINS_7_TO_4[i][1], AdaptivePooling.binEnd(i, 7, 4));
      assertEquals(BINS_5_TO_4[i][0], AdaptivePooling.binStart(i, 5, 4));
      assertEquals(BINS_5_TO_4[i][1], AdaptivePooling.binEnd(i, 5, 4));
      // An exact multiple: 8 -> 4 is plain 2 x 2 averaging.
      assertEquals(2 * i, AdaptivePooling.binStart(i, 8, 4));
      assertEquals(2 * i + 2, AdaptivePooling.binEnd(i, 8, 4));
    }
  }

  /** A rows x cols map of raw vectors, returned as unit cells plus norms. */
  private static double[][] rawMap(Random random, int cells, int dims) {
    double[][] raw = new double[cells][dims];
    for (double[] cell : raw) {
      double scale = 0.2 + 3 * random.nextDouble(); // norms vary, as in a real feature map
      for (int d = 0; d < dims; d++) {
        cell[d] = scale * random.nextGaussian();
      }
    }
    return raw;
  }

  private static FacePatches fromRaw(int rows, int cols, double[][] raw, boolean withNorms) {
    float[][] cells = new float[raw.length][];
    float[] norms = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      cells[i] = Reference.unit(raw[i]);
      norms[i] = (float) Math.sqrt(Reference.dot(raw[i], raw[i]));
    }
    float[] centre = Reference.unit(raw[0]); // any unit vector: pooling must leave it alone
    return FacePatches.of(rows, cols, cells, withNorms ? norms : null, centre, null);
  }

  /** Mean of the raw vectors in each hand-written bin, then L2-normalised. */
  private static double[][] bruteForce(
      double[][] raw, int cols, int[][] rowBins, int[][] colBins, double[] meanNorms) {
    int dims = raw[0].length;
    double[][] out = new double[16][];
    for (int br = 0; br < 4; br++) {
      for (int bc = 0; bc < 4; bc++) {
        double[] mean = new double[dims];
        int count = 0;
        for (int r = rowBins[br][0]; r < rowBins[br][1]; r++) {
          for (int c = colBins[bc][0]; c < colBins[bc][1]; c++) {
            count++;
            for (int d = 0; d < dims; d++) {
              mean[d] += raw[r * cols + c][d];
            }
          }
        }
        double norm = 0;
        for (int d = 0; d < dims; d++) {
          mean[d] /= count;
          norm += mean[d] * mean[d];
        }
        norm = Math.sqrt(norm);
        meanNorms[br * 4 + bc] = norm;
        for (int d = 0; d < dims; d++) {
          mean[d] /= norm;
        }
        out[br * 4 + bc] = mean;
      }
    }
    return out;
  }

  @Test
  public void sevenBySevenMatchesBruteForce() {
    Random random = new Random(11);
    double[][] raw = rawMap(random, 49, 5);
    FacePatches face = fromRaw(7, 7, raw, true);
    FacePatches pooled = face.pooled(4, 4);
    double[] meanNorms = new double[16];
    double[][] expected = bruteForce(raw, 7, BINS_7_TO_4, BINS_7_TO_4, meanNorms);
    assertEquals(4, pooled.rows());
    assertEquals(4, pooled.cols());
    assertEquals(5, pooled.dims());
    for (int i = 0; i < 16; i++) {
      assertArrayEquals("bin " + i, expected[i], Reference.toDouble(pooled.cell(i)), 1e-6);
      assertEquals("bin " + i, meanNorms[i], pooled.rawNorm(i), 1e-5 * meanNorms[i]);
    }
    // The centre (and embedding) are the map's, unchanged by pooling.
    assertTrue(face.centre() == pooled.centre());
    assertTrue(Grid.POOLED_4X4.apply(face).cellCount() == 16 && Grid.NATIVE.apply(face) == face);
  }

  @Test
  public void nonSquareMatchesBruteForce() {
    Random random = new Random(12);
    double[][] raw = rawMap(random, 35, 5);
    FacePatches pooled = fromRaw(7, 5, raw, true).pooled(4, 4);
    double[][] expected = bruteForce(raw, 5, BINS_7_TO_4, BINS_5_TO_4, new double[16]);
    for (int i = 0; i < 16; i++) {
      assertArrayEquals("bin " + i, expected[i], Reference.toDouble(pooled.cell(i)), 1e-6);
    }
  }

  @Test
  public void withoutNormsPoolsTheUnitCells() {
    Random random = new Random(13);
    double[][] raw = rawMap(random, 49, 5);
    FacePatches face = fromRaw(7, 7, raw, false);
    assertFalse(face.hasRawNorms());
    double[][] unit = new double[49][];
    for (int i = 0; i < 49; i++) {
      unit[i] = Reference.toDouble(face.cell(i));
    }
    double[][] expected = bruteForce(unit, 7, BINS_7_TO_4, BINS_7_TO_4, new double[16]);
    FacePatches pooled = face.pooled(4, 4);
    for (int i = 0; i < 16; i++) {
      assertArrayEquals("bin " + i, expected[i], Reference.toDouble(pooled.cell(i)), 1e-6);
    }
  }

  @Test
  public void cancellingBinStaysZero() {
    float[][] cells = {{1f, 0f}, {-1f, 0f}};
    FacePatches pooled = FacePatches.of(1, 2, cells, new float[] {2f, 2f}, null, null).pooled(1, 1);
    assertArrayEquals(new float[] {0f, 0f}, pooled.cell(0), 0f);
    assertEquals(0f, pooled.rawNorm(0), 0f);
  }

  @Test
  public void pooledScoringEqualsScoringPrePooledFaces() {
    Random random = new Random(14);
    Reference.Face query = Reference.randomFace(random, 7, 7, 32, 32);
    Reference.Face candidate = Reference.faceAround(random, 7, 7, 32, 32, query, null, 0.6);
    EmdParams pooledParams = EmdParams.builder().grid(Grid.POOLED_4X4).flows(5).build();
    EmdResult viaGrid = new EmdScorer(query.patches, pooledParams).score(candidate.patches, 0.5);
    EmdResult prePooled =
        new EmdScorer(
                query.patches.pooled(4, 4), pooledParams.toBuilder().grid(Grid.NATIVE).build())
            .score(candidate.patches.pooled(4, 4), 0.5);
    assertEquals(prePooled.emdSimilarity(), viaGrid.emdSimilarity(), 0.0);
    assertEquals(prePooled.flows(), viaGrid.flows());
    for (Flow f : viaGrid.flows()) {
      assertTrue(
          f.toString(),
          f.queryRow() < 4 && f.queryCol() < 4 && f.galleryRow() < 4 && f.galleryCol() < 4);
    }
  }
}
