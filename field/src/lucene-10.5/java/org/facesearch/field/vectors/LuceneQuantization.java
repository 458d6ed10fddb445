package org.facesearch.field.vectors;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorsFormat;
import org.apache.lucene.codecs.hnsw.FlatVectorsWriter;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorScorer;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsWriter;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * The Lucene 10.5 API of 8-bit quantized HNSW vectors, which the int8 format and its scorer use.
 * Lucene moved these types between releases: the build compiles the copy of this class that matches
 * the Lucene inside ${opensearch.version} (field/src/lucene-<version>/java); the copies differ in
 * imports and constructor arguments only.
 */
public final class LuceneQuantization {

  private LuceneQuantization() {}

  /** Lucene's 8-bit (unsigned byte) scalar-quantized flat vectors, over the raw float vectors. */
  static FlatVectorsWriter int8Writer(
      SegmentWriteState state, FlatVectorsWriter raw, Lucene104ScalarQuantizedVectorScorer scorer)
      throws IOException {
    return new Lucene104ScalarQuantizedVectorsWriter(
        state, ScalarEncoding.UNSIGNED_BYTE, raw, scorer);
  }

  /** Lucene's HNSW graph over quantized flat vectors, merged on the calling thread. */
  static KnnVectorsWriter hnswWriter(
      SegmentWriteState state,
      int m,
      int efConstruction,
      FlatVectorsFormat rawFormat,
      FlatVectorsWriter quantized)
      throws IOException {
    return new Lucene99HnswVectorsWriter(state, m, efConstruction, rawFormat, quantized, 1, null);
  }

  /**
   * Lucene's own scalar-quantized HNSW format with {@code bits} (8 or 7) per dimension; at 8 bits
   * it writes the same files as {@link Int8HnswFormat} (the tests compare them, the benchmarks
   * measure both).
   */
  public static KnnVectorsFormat lucenesQuantizedFormat(int bits, int m, int efConstruction) {
    ScalarEncoding encoding =
        switch (bits) {
          case 8 -> ScalarEncoding.UNSIGNED_BYTE;
          case 7 -> ScalarEncoding.SEVEN_BIT;
          default -> throw new IllegalArgumentException("bits must be 8 or 7, got " + bits);
        };
    return new Lucene104HnswScalarQuantizedVectorsFormat(encoding, m, efConstruction);
  }

  /**
   * The segment's 8-bit quantized vectors as the prefetching scorer reads them, or null for any
   * other values.
   */
  static Int8Values int8(KnnVectorValues values) throws IOException {
    if (values instanceof QuantizedByteVectorValues q
        && q.getScalarEncoding() == ScalarEncoding.UNSIGNED_BYTE) {
      return new Int8Values(
          q,
          q.getSlice(),
          q.getVectorByteLength(),
          q.size(),
          q.dimension(),
          q.getQuantizer(),
          q.getCentroid(),
          q.getCentroidDP());
    }
    return null;
  }
}
