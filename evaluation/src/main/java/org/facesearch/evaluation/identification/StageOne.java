package org.facesearch.evaluation.identification;

import java.util.PriorityQueue;
import org.apache.lucene.util.VectorUtil;

/**
 * Stage 1 over the whole gallery: exact cosine (dot product of unit embeddings, Lucene's {@code
 * VectorUtil.dotProduct}, as the {@code face} query's exact re-scoring computes it) against every
 * gallery face, best first. This is exhaustive search: the HNSW graph the server searches can only
 * miss neighbours, never add them.
 */
final class StageOne {
  private final float[][] embeddings; // null: no face, not searchable

  StageOne(GalleryCache cache) {
    embeddings = new float[cache.size()][];
    for (int i = 0; i < cache.size(); i++) {
      embeddings[i] = cache.hasFace(i) ? cache.embedding(i) : null;
    }
  }

  StageOne(float[][] embeddings) {
    this.embeddings = embeddings;
  }

  /** The best {@code k} gallery items and their cosines, best first (ties: lower index first). */
  record Hits(int[] items, float[] scores) {
    int size() {
      return items.length;
    }
  }

  /**
   * The {@code k} items with the highest cosine to {@code query}, skipping {@code exclude} (-1:
   * none) and items without a face.
   */
  Hits top(float[] query, int k, int exclude) {
    // Min-heap on (score, -index): the root is the weakest kept hit.
    PriorityQueue<long[]> heap =
        new PriorityQueue<>(
            k + 1, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(b[1], a[1]));
    for (int i = 0; i < embeddings.length; i++) {
      if (i == exclude || embeddings[i] == null) {
        continue;
      }
      float s = VectorUtil.dotProduct(query, embeddings[i]);
      long key = sortableBits(s);
      if (heap.size() < k) {
        heap.add(new long[] {key, i});
      } else {
        long[] weakest = heap.peek();
        if (key > weakest[0] || (key == weakest[0] && i < weakest[1])) {
          heap.poll();
          heap.add(new long[] {key, i});
        }
      }
    }
    int n = heap.size();
    int[] items = new int[n];
    float[] scores = new float[n];
    for (int j = n - 1; j >= 0; j--) {
      long[] e = heap.poll();
      items[j] = (int) e[1];
      scores[j] = VectorUtil.dotProduct(query, embeddings[items[j]]);
    }
    return new Hits(items, scores);
  }

  /** Orders floats as their values (for non-NaN input) when compared as longs. */
  private static long sortableBits(float f) {
    int bits = Float.floatToIntBits(f);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }
}
