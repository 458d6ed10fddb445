package org.facesearch.evaluation.recognizability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.util.VectorUtil;
import org.facesearch.evaluation.Lfw;

/**
 * LFW pairs as indices into the list of distinct images they use, so that per-image values
 * (embeddings, ERS, degradations) live in plain arrays.
 */
record PairSet(List<Path> images, int[] a, int[] b, boolean[] same) {

  /** The pairs whose two images both had a face; the rest are counted in {@code dropped()}. */
  static PairSet of(List<Lfw.Pair> pairs, Map<Path, ?> encoded) {
    Map<Path, Integer> index = new HashMap<>();
    List<Path> images = new ArrayList<>();
    List<int[]> kept = new ArrayList<>();
    List<Boolean> same = new ArrayList<>();
    for (Lfw.Pair p : pairs) {
      if (!encoded.containsKey(p.a()) || !encoded.containsKey(p.b())) {
        continue;
      }
      int ia =
          index.computeIfAbsent(
              p.a(),
              k -> {
                images.add(k);
                return images.size() - 1;
              });
      int ib =
          index.computeIfAbsent(
              p.b(),
              k -> {
                images.add(k);
                return images.size() - 1;
              });
      kept.add(new int[] {ia, ib});
      same.add(p.same());
    }
    int[] a = new int[kept.size()];
    int[] b = new int[kept.size()];
    boolean[] s = new boolean[kept.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = kept.get(i)[0];
      b[i] = kept.get(i)[1];
      s[i] = same.get(i);
    }
    return new PairSet(List.copyOf(images), a, b, s);
  }

  int size() {
    return a.length;
  }

  /** Cosine similarity of each pair from per-image unit embeddings. */
  double[] scores(List<float[]> embeddings) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = VectorUtil.dotProduct(embeddings.get(a[i]), embeddings.get(b[i]));
    }
    return out;
  }
}
