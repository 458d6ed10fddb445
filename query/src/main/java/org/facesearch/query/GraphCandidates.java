package org.facesearch.query;

import java.io.IOException;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * The HNSW search of one shard for its nearest candidates (the filter applied inside the graph
 * search), kept as the graph's own scored documents. Lucene hands the merged hits of a vector query
 * back only wrapped in another query, which would cost a second collection pass to read; this query
 * keeps them as Lucene merges them.
 */
final class GraphCandidates extends KnnFloatVectorQuery {

  /**
   * The per-field format name Lucene records for float32 HNSW graphs (what {@code
   * embedding_encoding: float32} writes).
   */
  private static final String FLOAT_GRAPH_FORMAT = "Lucene99HnswVectorsFormat";

  private ScoreDoc[] found = new ScoreDoc[0];

  private GraphCandidates(String field, float[] vector, int numCandidates, Query filter) {
    super(field, vector, numCandidates, filter);
  }

  /**
   * The graph's best {@code numCandidates} documents (global doc ids) with their graph scores, in
   * no particular order.
   */
  static ScoreDoc[] search(
      IndexSearcher searcher, String field, float[] vector, int numCandidates, Query filter)
      throws IOException {
    GraphCandidates query = new GraphCandidates(field, vector, numCandidates, filter);
    query.rewrite(searcher);
    return query.found;
  }

  @Override
  protected TopDocs mergeLeafResults(TopDocs[] perLeafResults) {
    // Called again when Lucene re-enters the search of some segments; the last merge is the answer.
    TopDocs merged = super.mergeLeafResults(perLeafResults);
    found = merged.scoreDocs;
    return merged;
  }

  /**
   * How far a graph score, read back as a cosine ({@code 2 * score - 1}), can be from the exact
   * cosine that {@link FaceKnnQuery} computes, or infinity when it cannot be bounded (quantized
   * graphs, or a segment of an unexpected format): then every candidate must be re-scored.
   *
   * <p>A float32 dot-product graph scores {@code (1 + dot) / 2} from the stored floats, but sums
   * the 512 products in another order than {@link org.apache.lucene.util.VectorUtil#dotProduct}
   * (its own SIMD kernel over the mapped file). Each of two float dot products of unit vectors is
   * within {@code dims * 2^-24} of the true value whatever the order of summation, and turning the
   * dot into a score and back rounds once more (below {@code 2^-24}); this bound is twice their
   * sum.
   */
  static float cosineError(IndexSearcher searcher, String field, int dims) {
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(field);
      if (info == null || !info.hasVectorValues()) {
        continue;
      }
      if (info.getVectorSimilarityFunction() != VectorSimilarityFunction.DOT_PRODUCT
          || !FLOAT_GRAPH_FORMAT.equals(
              info.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY))) {
        return Float.POSITIVE_INFINITY;
      }
    }
    return (dims + 1) * 0x1p-22f;
  }
}
