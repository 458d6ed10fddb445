package org.facesearch.query;

import java.util.Arrays;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

/**
 * The outcome of a face search on one shard: a fixed set of documents (global doc ids, sorted) with
 * their cosine scores. Scores are cosines and may be negative for dissimilar faces; the boost
 * multiplies them.
 */
final class FaceHitsQuery extends Query {

  private final String field;
  private final int[] docs;
  private final float[] scores;
  private final Object readerKey;
  private final String description;

  FaceHitsQuery(String field, int[] sortedDocs, float[] scores, Object readerKey) {
    this(
        field,
        sortedDocs,
        scores,
        readerKey,
        "cosine similarity of the embeddings in [" + field + "]");
  }

  /**
   * @param description what a hit's score is, as its explanation says
   */
  FaceHitsQuery(
      String field, int[] sortedDocs, float[] scores, Object readerKey, String description) {
    this.field = field;
    this.docs = sortedDocs;
    this.scores = scores;
    this.readerKey = readerKey;
    this.description = description;
  }

  int size() {
    return docs.length;
  }

  /** The hits' global doc ids, ascending. */
  int[] docs() {
    return docs;
  }

  /** The hits' cosines, in the order of {@link #docs()}. */
  float[] scores() {
    return scores;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    if (searcher.getIndexReader().getContext().id() != readerKey) {
      throw new IllegalStateException("face hits were computed for another index reader");
    }
    return new Weight(this) {
      @Override
      public Explanation explain(LeafReaderContext context, int doc) {
        int i = Arrays.binarySearch(docs, context.docBase + doc);
        if (i < 0) {
          return Explanation.noMatch("not among the nearest faces of [" + field + "]");
        }
        Explanation cosine = Explanation.match(scores[i], description);
        return boost == 1f
            ? cosine
            : Explanation.match(
                scores[i] * boost, "cosine * boost", cosine, Explanation.match(boost, "boost"));
      }

      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext context) {
        int from = lowerBound(context.docBase);
        int to = lowerBound(context.docBase + context.reader().maxDoc());
        if (from == to) {
          return null;
        }
        Scorer scorer = new HitsScorer(context.docBase, from, to, boost);
        return new ScorerSupplier() {
          @Override
          public Scorer get(long leadCost) {
            return scorer;
          }

          @Override
          public long cost() {
            return to - from;
          }
        };
      }

      @Override
      public boolean isCacheable(LeafReaderContext ctx) {
        return false; // the hits depend on the query vector, not only on the segment
      }
    };
  }

  private int lowerBound(int doc) {
    int i = Arrays.binarySearch(docs, doc);
    return i >= 0 ? i : -i - 1;
  }

  /** Iterates the hits of one segment. */
  private final class HitsScorer extends Scorer {
    private final int docBase;
    private final int from;
    private final int to;
    private final float boost;
    private int index;

    HitsScorer(int docBase, int from, int to, float boost) {
      this.docBase = docBase;
      this.from = from;
      this.to = to;
      this.boost = boost;
      this.index = from - 1;
    }

    @Override
    public int docID() {
      if (index < from) {
        return -1;
      }
      return index >= to ? DocIdSetIterator.NO_MORE_DOCS : docs[index] - docBase;
    }

    @Override
    public float score() {
      return scores[index] * boost;
    }

    @Override
    public float getMaxScore(int upTo) {
      return Float.POSITIVE_INFINITY;
    }

    @Override
    public DocIdSetIterator iterator() {
      return new DocIdSetIterator() {
        @Override
        public int docID() {
          return HitsScorer.this.docID();
        }

        @Override
        public int nextDoc() {
          index++;
          return docID();
        }

        @Override
        public int advance(int target) {
          int i = Arrays.binarySearch(docs, index < from ? from : index, to, target + docBase);
          index = i >= 0 ? i : -i - 1;
          return docID();
        }

        @Override
        public long cost() {
          return to - from;
        }
      };
    }
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String f) {
    return "face_hits(" + field + ", " + docs.length + " docs)";
  }

  @Override
  public boolean equals(Object o) {
    return sameClassAs(o)
        && field.equals(((FaceHitsQuery) o).field)
        && Arrays.equals(docs, ((FaceHitsQuery) o).docs)
        && Arrays.equals(scores, ((FaceHitsQuery) o).scores);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), field, Arrays.hashCode(docs), Arrays.hashCode(scores));
  }
}
