package org.facesearch.bench.emd;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.emd.EmdParams;
import org.facesearch.emd.EmdResult;
import org.facesearch.emd.EmdScorer;
import org.facesearch.emd.FacePatches;
import org.facesearch.emd.PatchDotProduct;
import org.facesearch.emd.Weighting;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stage-2 cost per query: re-rank {@code candidates} faces of {@code grid x grid x dims} unit
 * patches against one query on one thread, building the per-query scorer inside the measured
 * operation as the rescorer does. {@code rescoreBlocked}, {@code rescoreVectorUtil} and {@code
 * rescoreScalar} differ only in the kernel for the patch similarity matrix: the default
 * register-blocked Panama matrix product, one Lucene SIMD {@code VectorUtil.dotProduct} per pair,
 * and a plain loop; their ratios are what SIMD buys end to end. {@code patchDots*} time the
 * similarity matrices alone with Lucene's and a plain dot product, and {@code
 * rescoreBlockedOneIteration} everything with Sinkhorn cut to one iteration.
 *
 * <p>{@code data=random}: independent random unit patches (the brief's case; Sinkhorn converges in
 * one or two iterations because all similarities are near 0). {@code data=related}: each candidate
 * is the query plus noise, as for a true match, where Sinkhorn needs many more iterations; the mean
 * iteration count is printed at the end of each trial.
 *
 * <p>{@code rescoreCovered}: the settings for covered faces (issue 7): weighting {@code
 * recognizability} with the query's lower three rows covered, {@code centre_patches} and alpha 0.5
 * (what {@code alpha: auto} gives such a query).
 *
 * <p>Run: {@code benchmarks/run jmh EmdRescoreBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EmdRescoreBenchmark {
  @Param({"random", "related"})
  public String data;

  @Param({"7"})
  public int grid;

  @Param({"512"})
  public int dims;

  @Param({"100"})
  public int candidates;

  private FacePatches query;
  private FacePatches[] gallery;
  private double[] cosines;
  private final EmdParams params = EmdParams.defaults();
  private final EmdParams oneIteration =
      EmdParams.builder().weighting(Weighting.UNIFORM).maxIterations(1).build();
  private float[] matrix;
  private FacePatches coveredQuery;
  private final EmdParams covered =
      EmdParams.builder()
          .weighting(Weighting.RECOGNIZABILITY)
          .centrePatches(true)
          .alpha(0.5)
          .build();

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(42);
    query = face(random, null);
    gallery = new FacePatches[candidates];
    cosines = new double[candidates];
    for (int i = 0; i < candidates; i++) {
      gallery[i] = face(random, "related".equals(data) ? query : null);
      cosines[i] = VectorUtil.dotProduct(query.embedding(), gallery[i].embedding());
    }
    matrix = new float[grid * grid * grid * grid];
    float[] occlusion = new float[grid * grid];
    for (int c = 0; c < occlusion.length; c++) {
      occlusion[c] = c / grid >= grid - 3 ? 1f : 0f;
    }
    coveredQuery = query.withOcclusion(occlusion);
    EmdScorer scorer = new EmdScorer(query, this.params);
    long iterations = 0;
    int converged = 0;
    for (FacePatches candidate : gallery) {
      EmdResult r = scorer.score(candidate, 0.0);
      iterations += r.iterations();
      converged += r.converged() ? 1 : 0;
    }
    System.out.printf(
        "%n[data=%s] mean Sinkhorn iterations %.1f, converged %d of %d%n",
        data, (double) iterations / candidates, converged, candidates);
  }

  /** Unit patches; around {@code base}'s patches (noise of norm about 1) when given. */
  private FacePatches face(Random random, FacePatches base) {
    int cells = grid * grid;
    float[][] patches = new float[cells][];
    double[] mean = new double[dims];
    for (int c = 0; c < cells; c++) {
      double[] x = new double[dims];
      for (int d = 0; d < dims; d++) {
        double noise = random.nextGaussian() / Math.sqrt(dims);
        x[d] = base == null ? noise : base.cell(c)[d] + noise;
        mean[d] += x[d];
      }
      patches[c] = unit(x);
    }
    double[] e = new double[512];
    for (int d = 0; d < e.length; d++) {
      e[d] = random.nextGaussian();
    }
    return FacePatches.of(grid, grid, patches, null, unit(mean), unit(e));
  }

  private static float[] unit(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return VectorUtil.l2normalize(f);
  }

  @Benchmark
  public double rescoreBlocked() {
    return rescore(PatchDotProduct.BLOCKED, params);
  }

  @Benchmark
  public double rescoreCovered() {
    EmdScorer scorer = new EmdScorer(coveredQuery, covered, PatchDotProduct.BLOCKED);
    double sum = 0;
    for (int i = 0; i < gallery.length; i++) {
      sum += scorer.score(gallery[i], cosines[i]).score();
    }
    return sum;
  }

  /** Sinkhorn cut to one iteration with uniform weights: about the cost of everything else. */
  @Benchmark
  public double rescoreBlockedOneIteration() {
    return rescore(PatchDotProduct.BLOCKED, oneIteration);
  }

  @Benchmark
  public double rescoreVectorUtil() {
    return rescore(PatchDotProduct.VECTOR_UTIL, params);
  }

  @Benchmark
  public double rescoreScalar() {
    return rescore(PatchDotProduct.SCALAR, params);
  }

  private double rescore(PatchDotProduct kernel, EmdParams params) {
    EmdScorer scorer = new EmdScorer(query, params, kernel);
    double sum = 0;
    for (int i = 0; i < gallery.length; i++) {
      sum += scorer.score(gallery[i], cosines[i]).score();
    }
    return sum;
  }

  @Benchmark
  public float patchDotsVectorUtil() {
    float sum = 0;
    int cells = grid * grid;
    for (FacePatches candidate : gallery) {
      int o = 0;
      for (int s = 0; s < cells; s++) {
        float[] g = candidate.cell(s);
        for (int m = 0; m < cells; m++) {
          matrix[o++] = VectorUtil.dotProduct(g, query.cell(m));
        }
      }
      sum += matrix[o - 1];
    }
    return sum;
  }

  @Benchmark
  public float patchDotsScalar() {
    float sum = 0;
    int cells = grid * grid;
    for (FacePatches candidate : gallery) {
      int o = 0;
      for (int s = 0; s < cells; s++) {
        float[] g = candidate.cell(s);
        for (int m = 0; m < cells; m++) {
          float[] q = query.cell(m);
          float dot = 0f;
          for (int d = 0; d < q.length; d++) {
            dot += g[d] * q[d];
          }
          matrix[o++] = dot;
        }
      }
      sum += matrix[o - 1];
    }
    return sum;
  }
}
