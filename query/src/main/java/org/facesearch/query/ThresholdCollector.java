package org.facesearch.query;

import java.util.Arrays;
import org.apache.lucene.search.AbstractKnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.hnsw.NeighborQueue;

/**
 * Collects, during one segment's HNSW search, every document whose graph score is at least {@code
 * resultBar}, however many. Scores are Lucene's vector scores ({@code (1 + cosine) / 2} for the dot
 * product of unit vectors).
 *
 * <p>How far the search walks: first as a top-k search for the {@code neighbourhood} best faces
 * would (anything better than the worst of the best {@code neighbourhood} seen so far is explored),
 * then on through every face down to {@code traversalBar} (below the result bar: a face above the
 * threshold may be reached only through one just below it). The first part matters: the graph's
 * upper levels hand the search an entry point that is only roughly near the query, often a face of
 * another person below the threshold; a search that explored only faces above the threshold would
 * stop there and find nothing (Lucene's {@code FloatVectorSimilarityQuery} explores down from the
 * entry point with a bar that falls the longer it finds nothing, to the same end).
 *
 * <p>An {@link IllegalArgumentException} stops the search once more than {@code maxHits} documents
 * are collected.
 */
final class ThresholdCollector extends AbstractKnnCollector {

  /**
   * Never use Lucene's filtered graph searcher: a threshold search explores by score, not by a
   * result count.
   */
  private static final KnnSearchStrategy UNFILTERED_WALK = new KnnSearchStrategy.Hnsw(0);

  private final float resultBar;
  private final float traversalBar;

  /**
   * The best faces seen, at most {@code neighbourhoodSize} (the first part of the walk), worst on
   * top.
   */
  private final NeighborQueue neighbourhood;

  private final int neighbourhoodSize;
  private final int maxHits;
  private final String tooMany;
  private int[] docs = new int[64];
  private float[] scores = new float[64];
  private int size;

  /**
   * @param tooMany the message of the exception thrown when more than {@code maxHits} are collected
   */
  ThresholdCollector(
      float resultBar,
      float traversalBar,
      int neighbourhood,
      long visitLimit,
      int maxHits,
      String tooMany) {
    super(neighbourhood, visitLimit, UNFILTERED_WALK);
    if (!(traversalBar <= resultBar)) {
      throw new IllegalArgumentException(
          "the traversal bar " + traversalBar + " is above the result bar " + resultBar);
    }
    if (neighbourhood < 1) {
      throw new IllegalArgumentException(
          "the neighbourhood must hold at least one face, got " + neighbourhood);
    }
    this.resultBar = resultBar;
    this.traversalBar = traversalBar;
    this.neighbourhood = new NeighborQueue(neighbourhood, false);
    this.neighbourhoodSize = neighbourhood;
    this.maxHits = maxHits;
    this.tooMany = tooMany;
  }

  @Override
  public boolean collect(int docId, float similarity) {
    float bar = minCompetitiveSimilarity();
    neighbourhood.insertWithOverflow(docId, similarity);
    if (similarity >= resultBar) {
      if (size == maxHits) {
        throw new IllegalArgumentException(tooMany);
      }
      if (size == docs.length) {
        docs = Arrays.copyOf(docs, size * 2);
        scores = Arrays.copyOf(scores, size * 2);
      }
      docs[size] = docId;
      scores[size] = similarity;
      size++;
    }
    return minCompetitiveSimilarity() > bar;
  }

  /**
   * The lower of the traversal bar and the worst of the best faces seen (nothing until that many
   * were seen).
   */
  @Override
  public float minCompetitiveSimilarity() {
    if (neighbourhood.size() < neighbourhoodSize) {
      return Float.NEGATIVE_INFINITY;
    }
    return Math.min(traversalBar, neighbourhood.topScore());
  }

  @Override
  public int numCollected() {
    return size;
  }

  /** The documents collected (segment doc ids, in the order found). */
  int[] docs() {
    return Arrays.copyOf(docs, size);
  }

  /** Their graph scores, in the order of {@link #docs()}. */
  float[] scores() {
    return Arrays.copyOf(scores, size);
  }

  @Override
  public TopDocs topDocs() {
    ScoreDoc[] out = new ScoreDoc[size];
    for (int i = 0; i < size; i++) {
      out[i] = new ScoreDoc(docs[i], scores[i]);
    }
    TotalHits.Relation relation =
        earlyTerminated()
            ? TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO
            : TotalHits.Relation.EQUAL_TO;
    return new TopDocs(new TotalHits(visitedCount(), relation), out);
  }
}
