package org.facesearch.bench.node;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.VectorUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one graph-search comparison of a 512-d embedding with Lucene's kernels, data in the
 * CPU's first-level cache: float32 dot product (the float graph) against the unsigned 8-bit dot
 * product (the int8 graph). When the vectors fit in the caches this ratio decides which graph
 * searches faster; the int8 graph's advantage is reading a quarter of the memory.
 *
 * <p>Run: {@code benchmarks/run jmh VectorKernels -f 1 -wi 3 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VectorKernels {
  private float[] queryFloats;
  private float[] docFloats;
  private byte[] queryBytes;
  private byte[] docBytes;

  @Setup
  public void setUp() {
    Random random = new Random(7);
    queryFloats = new float[512];
    docFloats = new float[512];
    queryBytes = new byte[512];
    docBytes = new byte[512];
    for (int i = 0; i < 512; i++) {
      queryFloats[i] = (float) random.nextGaussian();
      docFloats[i] = (float) random.nextGaussian();
      queryBytes[i] = (byte) random.nextInt(256);
      docBytes[i] = (byte) random.nextInt(256);
    }
  }

  @Benchmark
  public float float32Dot() {
    return VectorUtil.dotProduct(queryFloats, docFloats);
  }

  @Benchmark
  public int uint8Dot() {
    return VectorUtil.uint8DotProduct(queryBytes, docBytes);
  }

  @Benchmark
  public int int7Dot() {
    return VectorUtil.dotProduct(queryBytes, docBytes);
  }
}
