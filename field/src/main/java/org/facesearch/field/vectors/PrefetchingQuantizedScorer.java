package org.facesearch.field.vectors;

import java.io.IOException;
import org.apache.lucene.codecs.hnsw.FlatVectorsScorer;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorScorer;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.RandomAccessInput;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.quantization.OptimizedScalarQuantizer;

/**
 * Lucene's scorer for 8-bit quantized vectors, with two changes to how a graph search scores a
 * node's neighbours: every cache line of every neighbour's record is read first, all of them
 * independent loads the CPU keeps in flight together; then each neighbour is scored with Lucene's
 * formula (dot product, the similarity of {@code face} fields), term for term, from one positional
 * read of its record instead of two seeks and a copy. Scores are Lucene's, bit for bit
 * (Int8HnswFormatTests compares them); only the waiting for memory overlaps.
 *
 * <p>A record is the quantized vector followed by its corrective terms (three floats and an int),
 * {@code size * recordBytes} bytes from the start of the values' slice. Other encodings or
 * similarities, values of any other shape, or storage that cannot be read at a position get
 * Lucene's scorer as is.
 */
final class PrefetchingQuantizedScorer extends Lucene104ScalarQuantizedVectorScorer {
  private static final int CORRECTIVE_BYTES = 3 * Float.BYTES + Integer.BYTES;
  private static final int CACHE_LINE = 64;
  private static final float SCALE = 1f / ((1 << 8) - 1);

  PrefetchingQuantizedScorer(FlatVectorsScorer rawScorer) {
    super(rawScorer);
  }

  @Override
  public RandomVectorScorer getRandomVectorScorer(
      VectorSimilarityFunction similarity, KnnVectorValues values, float[] target)
      throws IOException {
    Int8Values quantized = LuceneQuantization.int8(values);
    if (quantized != null && quantized.slice() instanceof RandomAccessInput records) {
      long recordBytes = quantized.vectorByteLength() + CORRECTIVE_BYTES;
      IndexInput slice = quantized.slice();
      if (slice.length() == recordBytes * quantized.size()
          && similarity == VectorSimilarityFunction.DOT_PRODUCT) {
        float[] query = target.clone(); // the quantizer writes into its input
        byte[] quantizedQuery = new byte[quantized.dimension()];
        OptimizedScalarQuantizer.QuantizationResult corrections =
            quantized
                .quantizer()
                .scalarQuantize(query, quantizedQuery, (byte) 8, quantized.centroid());
        return new Prefetching(
            quantized.values(),
            records,
            recordBytes,
            quantizedQuery,
            corrections,
            quantized.centroidDP());
      }
    }
    return super.getRandomVectorScorer(similarity, values, target);
  }

  /** The neighbours' records loaded together, then scored one by one. */
  static final class Prefetching extends RandomVectorScorer.AbstractRandomVectorScorer {
    private final RandomAccessInput records;
    private final long recordBytes;
    private final byte[] query;
    private final byte[] doc;
    private final float ay;
    private final float ly;
    private final float y1;
    private final float queryAdditional;
    private final float centroidDot;

    /** Written so that the JIT cannot drop the loads that bring the records into the cache. */
    long sink;

    Prefetching(
        KnnVectorValues values,
        RandomAccessInput records,
        long recordBytes,
        byte[] query,
        OptimizedScalarQuantizer.QuantizationResult q,
        float centroidDot) {
      super(values);
      this.records = records;
      this.recordBytes = recordBytes;
      this.query = query;
      this.doc = new byte[query.length];
      this.ay = q.lowerInterval();
      this.ly = (q.upperInterval() - ay) * SCALE;
      this.y1 = q.quantizedComponentSum();
      this.queryAdditional = q.additionalCorrection();
      this.centroidDot = centroidDot;
    }

    /**
     * Lucene's score for 8-bit vectors ({@code Lucene104ScalarQuantizedVectorScorer}, dot product),
     * term for term and in its order, from one read of the record.
     */
    @Override
    public float score(int node) throws IOException {
      long at = node * recordBytes;
      records.readBytes(at, doc, 0, doc.length);
      at += doc.length;
      float ax = Float.intBitsToFloat(records.readInt(at));
      float lx = (Float.intBitsToFloat(records.readInt(at + 4)) - ax) * SCALE;
      float additional = Float.intBitsToFloat(records.readInt(at + 8));
      float x1 = records.readInt(at + 12);
      float dot = VectorUtil.uint8DotProduct(query, doc);
      float score = ax * ay * doc.length + ay * lx * x1 + ax * ly * y1 + lx * ly * dot;
      score += queryAdditional + additional - centroidDot;
      score = Math.clamp(score, -1, 1);
      return (1f + score) / 2f;
    }

    @Override
    public float bulkScore(int[] nodes, float[] scores, int numNodes) throws IOException {
      long touched = 0;
      for (int i = 0; i < numNodes; i++) {
        long start = nodes[i] * recordBytes;
        long end = start + recordBytes - Long.BYTES;
        for (long at = start; at < end; at += CACHE_LINE) {
          touched ^= records.readLong(at);
        }
        touched ^= records.readLong(end);
      }
      sink = touched;
      float max = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < numNodes; i++) {
        scores[i] = score(nodes[i]);
        max = Math.max(max, scores[i]);
      }
      return max;
    }
  }
}
