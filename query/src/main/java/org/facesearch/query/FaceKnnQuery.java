package org.facesearch.query;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.facesearch.field.FaceLayout;

/**
 * Stage 1 on one shard: the HNSW search for {@code numCandidates} nearest faces (the filter applied
 * inside the graph search), then the exact cosine from the stored float vectors, keeping the best
 * {@code k}. Hits are ranked and scored by the exact cosine, so int8-quantized graphs rank as
 * float32 ones do and a score never depends on how the graph approximated it.
 *
 * <p>Only candidates that can still reach the best {@code k} are re-read: a float32 graph's scores
 * are the cosines to within a rounding bound ({@link GraphCandidates#cosineError}), so a candidate
 * whose graph cosine is more than twice that bound below the k-th best cannot overtake any of the k
 * above it, and the result equals re-scoring every candidate. Quantized graphs bound nothing: every
 * candidate is re-scored.
 */
final class FaceKnnQuery extends Query {

  private static final Comparator<ScoreDoc> BEST_FIRST =
      // Equal scores in doc order, as Lucene ranks ties.
      (a, b) ->
          a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc);

  private final String field;
  private final float[] vector;
  private final int k;
  private final int numCandidates;
  private final Query filter;

  FaceKnnQuery(String field, float[] unitVector, int k, int numCandidates, Query filter) {
    this.field = field;
    this.vector = unitVector;
    this.k = k;
    this.numCandidates = numCandidates;
    this.filter = filter;
  }

  String field() {
    return field;
  }

  /** The unit query vector (the array held, not a copy). */
  float[] vector() {
    return vector;
  }

  int k() {
    return k;
  }

  int numCandidates() {
    return numCandidates;
  }

  /** The filter applied inside the graph search, or null. */
  Query filter() {
    return filter;
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    ScoreDoc[] candidates = GraphCandidates.search(searcher, field, vector, numCandidates, filter);
    ScoreDoc[] contenders =
        contenders(candidates, GraphCandidates.cosineError(searcher, field, vector.length));
    ScoreDoc[] exact = exactCosines(searcher.getIndexReader().leaves(), contenders);
    Arrays.sort(exact, BEST_FIRST);
    ScoreDoc[] top = Arrays.copyOf(exact, Math.min(k, exact.length));
    Arrays.sort(top, (a, b) -> Integer.compare(a.doc, b.doc));
    int[] docs = new int[top.length];
    float[] scores = new float[top.length];
    for (int i = 0; i < top.length; i++) {
      docs[i] = top[i].doc;
      scores[i] = top[i].score;
    }
    return new FaceHitsQuery(field, docs, scores, searcher.getIndexReader().getContext().id());
  }

  /**
   * The candidates whose exact cosine may be among the best {@code k}: those whose graph cosine
   * ({@code 2 * score - 1}) is within {@code 2 * error} of the k-th best graph cosine. If the exact
   * cosines are within {@code error} of the graph's, every other candidate is below all of the k
   * best by graph score, so it cannot be in the exact top k.
   */
  ScoreDoc[] contenders(ScoreDoc[] candidates, float error) {
    if (candidates.length <= k || error == Float.POSITIVE_INFINITY) {
      return candidates;
    }
    ScoreDoc[] byGraph = candidates.clone();
    Arrays.sort(byGraph, BEST_FIRST); // Lucene merges them best first already: a linear pass
    float bar = (2 * byGraph[k - 1].score - 1) - 2 * error;
    int n = k;
    while (n < byGraph.length && 2 * byGraph[n].score - 1 >= bar) {
      n++;
    }
    return Arrays.copyOf(byGraph, n);
  }

  /**
   * The exact cosine of each candidate, read from the stored float vectors. Candidates are visited
   * in doc order so that each segment's vectors are opened once and walked forwards with one
   * iterator (opening them per candidate cost more than the dot products).
   */
  private ScoreDoc[] exactCosines(List<LeafReaderContext> leaves, ScoreDoc[] candidates)
      throws IOException {
    ScoreDoc[] byDoc = candidates.clone();
    Arrays.sort(byDoc, (a, b) -> Integer.compare(a.doc, b.doc));
    ScoreDoc[] exact = new ScoreDoc[byDoc.length];
    LeafReaderContext leaf = null;
    FaceLayout.StoredFaces faces = null;
    for (int i = 0; i < byDoc.length; i++) {
      int doc = byDoc[i].doc;
      if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
        leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        faces = FaceLayout.read(leaf.reader(), field);
      }
      exact[i] = new ScoreDoc(doc, faces.cosine(doc - leaf.docBase, vector));
    }
    return exact;
  }

  @Override
  public void visit(QueryVisitor visitor) {
    if (visitor.acceptField(field)) {
      visitor.visitLeaf(this);
    }
  }

  @Override
  public String toString(String f) {
    return "face("
        + field
        + ", k="
        + k
        + ", num_candidates="
        + numCandidates
        + (filter == null ? "" : ", filter=" + filter)
        + ")";
  }

  @Override
  public boolean equals(Object o) {
    if (!sameClassAs(o)) {
      return false;
    }
    FaceKnnQuery other = (FaceKnnQuery) o;
    return field.equals(other.field)
        && k == other.k
        && numCandidates == other.numCandidates
        && Arrays.equals(vector, other.vector)
        && Objects.equals(filter, other.filter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), field, k, numCandidates, Arrays.hashCode(vector), filter);
  }
}
