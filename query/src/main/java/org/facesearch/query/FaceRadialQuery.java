package org.facesearch.query;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.ConjunctionUtils;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.facesearch.field.FaceLayout;

/**
 * Stage 1 by threshold on one shard: every face whose cosine to the query is at least {@code
 * minSimilarity}, however many, found through each segment's HNSW graph (the filter applied inside
 * the search) and scored by the exact cosine from the stored float vectors, as the top-k form
 * scores them ({@link FaceKnnQuery}).
 *
 * <p>The graph search collects every face whose graph score clears the threshold lowered by how far
 * a graph score can be from the exact cosine ({@link GraphCandidates#cosineError} for float32
 * graphs, {@link #QUANTIZED_MARGIN} for quantized ones), and walks on through faces down to {@link
 * #TRAVERSAL_SLACK} below that: so a face just above the threshold whose graph score rounds below
 * it is still found, and the exact cosine then keeps exactly the faces at or above the threshold. A
 * filtered segment whose graph search would visit more faces than the filter lets through is
 * scanned exactly instead, as Lucene's {@code FloatVectorSimilarityQuery} does.
 */
final class FaceRadialQuery extends Query {

  /**
   * How far below the (lowered) threshold, in cosine, the graph search walks on once it has found
   * the query's neighbourhood ({@link ThresholdCollector}): a face above the threshold whose graph
   * links all lead through faces just below it is still reached. On the clustered gallery of
   * FaceRadialQueryTests every face above the threshold is found with or without it; it is kept for
   * galleries whose people are less tightly linked, at little cost.
   */
  static final float TRAVERSAL_SLACK = 0.05f;

  /**
   * For quantized (int8) graphs, how far below the threshold a graph cosine is still taken as a
   * candidate: their scores are within a few hundredths of the exact cosine (FaceRadialQueryTests
   * measures it), and candidates are re-scored exactly.
   */
  static final float QUANTIZED_MARGIN = 0.05f;

  /**
   * How many best faces the walk explores around before it keeps only to faces near the threshold
   * ({@link ThresholdCollector}).
   */
  static final int NEIGHBOURHOOD = 100;

  /**
   * The most faces one shard returns: a threshold that matches more is refused rather than
   * exhausting the heap.
   */
  static final int MAX_HITS = 1_000_000;

  private final String field;
  private final float[] vector;
  private final float minSimilarity;
  private final Query filter;
  private final int maxHits;
  private final float traversalSlack;
  private final String thresholdNote;

  /**
   * @param thresholdNote how the threshold was chosen, for explanations ("the threshold at
   *     false-match rate 1e-4 of model m"), or null when the user gave the cosine
   */
  FaceRadialQuery(
      String field, float[] unitVector, float minSimilarity, Query filter, String thresholdNote) {
    this(field, unitVector, minSimilarity, filter, thresholdNote, MAX_HITS, TRAVERSAL_SLACK);
  }

  /** With another bound on the hits and another traversal slack (tests measure them). */
  FaceRadialQuery(
      String field,
      float[] unitVector,
      float minSimilarity,
      Query filter,
      String thresholdNote,
      int maxHits,
      float traversalSlack) {
    this.field = field;
    this.vector = unitVector;
    this.minSimilarity = minSimilarity;
    this.filter = filter;
    this.thresholdNote = thresholdNote;
    this.maxHits = maxHits;
    this.traversalSlack = traversalSlack;
  }

  String field() {
    return field;
  }

  /** The unit query vector (the array held, not a copy). */
  float[] vector() {
    return vector;
  }

  float minSimilarity() {
    return minSimilarity;
  }

  /** The filter applied inside the graph search, or null. */
  Query filter() {
    return filter;
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    float error = GraphCandidates.cosineError(searcher, field, vector.length);
    float graphCosine =
        minSimilarity - (error == Float.POSITIVE_INFINITY ? QUANTIZED_MARGIN : error);
    Weight filterWeight =
        filter == null
            ? null
            : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    Hits hits = new Hits();
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      search(leaf, filterWeight, graphCosine, hits);
    }
    String description =
        String.format(
            Locale.ROOT,
            "cosine similarity of the embeddings in [%s], at least min_similarity %s%s",
            field,
            minSimilarity,
            thresholdNote == null ? "" : " (" + thresholdNote + ")");
    return new FaceHitsQuery(
        field,
        Arrays.copyOf(hits.docs, hits.size),
        Arrays.copyOf(hits.scores, hits.size),
        searcher.getIndexReader().getContext().id(),
        description);
  }

  /** Adds the faces of one segment at or above the threshold, with their exact cosines. */
  private void search(LeafReaderContext leaf, Weight filterWeight, float graphCosine, Hits hits)
      throws IOException {
    LeafReader reader = leaf.reader();
    FloatVectorValues values = reader.getFloatVectorValues(field);
    if (values == null || values.size() == 0) {
      return;
    }
    AcceptDocs accept;
    long visitLimit;
    if (filterWeight == null) {
      accept = AcceptDocs.fromLiveDocs(reader.getLiveDocs(), reader.maxDoc());
      visitLimit = Long.MAX_VALUE;
    } else {
      if (filterWeight.scorer(leaf) == null) {
        return;
      }
      accept =
          AcceptDocs.fromIteratorSupplier(
              () -> {
                Scorer scorer = filterWeight.scorer(leaf);
                return scorer == null ? DocIdSetIterator.empty() : scorer.iterator();
              },
              reader.getLiveDocs(),
              reader.maxDoc());
      visitLimit = accept.cost();
      if (visitLimit == 0) {
        return;
      }
    }
    // The graph's candidates include faces just below the threshold (its margin): bound them at
    // twice
    // the faces allowed, so that only a threshold that really matches too many is refused.
    ThresholdCollector collector =
        new ThresholdCollector(
            score(graphCosine),
            score(graphCosine - traversalSlack),
            NEIGHBOURHOOD,
            visitLimit,
            (int) Math.min(Integer.MAX_VALUE, 2L * maxHits),
            tooManyCandidates());
    reader.searchNearestVectors(field, vector, collector, accept);
    FaceLayout.StoredFaces faces = FaceLayout.read(reader, field);
    if (collector.earlyTerminated()) {
      // The filter lets through fewer faces than the graph search would visit: compare with each of
      // them.
      DocIdSetIterator it =
          ConjunctionUtils.intersectIterators(List.of(accept.iterator(), values.iterator()));
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        hits.addIfAbove(
            leaf.docBase + doc, faces.cosine(doc, vector), minSimilarity, maxHits, tooMany());
      }
      return;
    }
    int[] found = collector.docs();
    Arrays.sort(found); // doc values and vectors are read forwards
    for (int doc : found) {
      hits.addIfAbove(
          leaf.docBase + doc, faces.cosine(doc, vector), minSimilarity, maxHits, tooMany());
    }
  }

  private String tooManyCandidates() {
    return String.format(
        Locale.ROOT,
        "[face] query: more than %d faces in one shard have a cosine at or near min_similarity %s; "
            + "raise [min_similarity] or narrow the search with [filter]",
        2L * maxHits,
        minSimilarity);
  }

  private String tooMany() {
    return String.format(
        Locale.ROOT,
        "[face] query: more than %d faces in one shard have a cosine of at least min_similarity %s; "
            + "raise [min_similarity] or narrow the search with [filter]",
        maxHits,
        minSimilarity);
  }

  /** Lucene's score of a dot product between unit vectors, for a cosine. */
  private static float score(float cosine) {
    return Math.max(0f, (1f + cosine) / 2f);
  }

  /**
   * The faces kept so far: global doc ids and exact cosines, in doc order (segments are visited in
   * order, and each segment's faces in doc order).
   */
  private static final class Hits {
    int[] docs = new int[64];
    float[] scores = new float[64];
    int size;

    void addIfAbove(int doc, float cosine, float threshold, int maxHits, String tooMany) {
      if (cosine < threshold) {
        return;
      }
      if (size == maxHits) {
        throw new IllegalArgumentException(tooMany);
      }
      if (size == docs.length) {
        docs = Arrays.copyOf(docs, size * 2);
        scores = Arrays.copyOf(scores, size * 2);
      }
      docs[size] = doc;
      scores[size] = cosine;
      size++;
    }
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
        + ", min_similarity="
        + minSimilarity
        + (filter == null ? "" : ", filter=" + filter)
        + ")";
  }

  @Override
  public boolean equals(Object o) {
    if (!sameClassAs(o)) {
      return false;
    }
    FaceRadialQuery other = (FaceRadialQuery) o;
    return field.equals(other.field)
        && Float.compare(minSimilarity, other.minSimilarity) == 0
        && maxHits == other.maxHits
        && Float.compare(traversalSlack, other.traversalSlack) == 0
        && Arrays.equals(vector, other.vector)
        && Objects.equals(filter, other.filter)
        && Objects.equals(thresholdNote, other.thresholdNote);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        classHash(),
        field,
        minSimilarity,
        maxHits,
        traversalSlack,
        Arrays.hashCode(vector),
        filter,
        thresholdNote);
  }
}
