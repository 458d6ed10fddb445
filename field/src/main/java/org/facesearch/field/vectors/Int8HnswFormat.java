package org.facesearch.field.vectors;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.codecs.hnsw.FlatVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104ScalarQuantizedVectorsReader;
import org.apache.lucene.codecs.lucene99.Lucene99FlatVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsReader;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * The HNSW format of {@code embedding_encoding: int8}: Lucene's own 8-bit optimized scalar
 * quantization (the files are exactly those of {@code Lucene104HnswScalarQuantizedVectorsFormat}
 * with {@code UNSIGNED_BYTE}), searched with a scorer that loads a whole batch of neighbours before
 * scoring them ({@link PrefetchingQuantizedScorer}).
 *
 * <p>Why a format of our own: Lucene's quantized scorer reads and scores one neighbour at a time,
 * so once the vectors outgrow the CPU caches every neighbour waits for memory in turn, and the int8
 * graph searched slower than the float one it is meant to beat (Lucene's float scorer reads several
 * vectors at once). The scorer is fixed inside Lucene's format, so it can only be replaced by
 * naming a format. Segments written with it need this plugin to be read, as any index with a {@code
 * face} field does anyway; segments written by Lucene's format (before this one existed) stay
 * readable through Lucene's.
 */
public final class Int8HnswFormat extends KnnVectorsFormat {

  /** The name recorded in each segment for the fields written with this format. */
  public static final String NAME = "FaceInt8Hnsw";

  private static final PrefetchingQuantizedScorer SCORER =
      new PrefetchingQuantizedScorer(FlatVectorScorerUtil.getLucene99FlatVectorsScorer());
  private static final FlatVectorsFormat RAW =
      new Lucene99FlatVectorsFormat(FlatVectorScorerUtil.getLucene99FlatVectorsScorer());

  private final int m;
  private final int efConstruction;

  /** For reading (the graph's parameters are in the segment); SPI needs it. */
  public Int8HnswFormat() {
    this(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);
  }

  /**
   * For writing a graph with {@code m} links per node and {@code efConstruction} candidates while
   * building.
   */
  public Int8HnswFormat(int m, int efConstruction) {
    super(NAME);
    this.m = m;
    this.efConstruction = efConstruction;
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return LuceneQuantization.hnswWriter(
        state,
        m,
        efConstruction,
        RAW,
        LuceneQuantization.int8Writer(state, RAW.fieldsWriter(state), SCORER));
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return new Lucene99HnswVectorsReader(
        state, new Lucene104ScalarQuantizedVectorsReader(state, RAW.fieldsReader(state), SCORER));
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return 1024;
  }

  @Override
  public String toString() {
    return NAME + "(m=" + m + ", ef_construction=" + efConstruction + ", encoding=UNSIGNED_BYTE)";
  }
}
