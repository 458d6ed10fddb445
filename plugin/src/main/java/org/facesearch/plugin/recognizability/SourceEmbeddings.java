package org.facesearch.plugin.recognizability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The face embeddings a document's {@code _source} holds at a field path: a face object (as the
 * {@code face_embedding} processor writes it, {@code {"embedding": [...], ...}}) or a bare array,
 * and every face where the path crosses arrays of objects (a {@code nested} list of faces).
 */
final class SourceEmbeddings {

  private SourceEmbeddings() {}

  /**
   * Every embedding at {@code path} (dot-separated), in document order; empty when the document has
   * none there.
   *
   * @throws IllegalArgumentException when a value there is not a face or an embedding has another
   *     length
   */
  static List<float[]> extract(Map<String, Object> source, String path, int dims) {
    List<float[]> out = new ArrayList<>();
    collect(source, path.split("\\."), 0, dims, out);
    return out;
  }

  private static void collect(Object value, String[] path, int depth, int dims, List<float[]> out) {
    if (value == null) {
      return;
    }
    if (depth == path.length) {
      face(value, dims, out);
      return;
    }
    if (value instanceof List<?> list) {
      for (Object element : list) {
        collect(element, path, depth, dims, out);
      }
    } else if (value instanceof Map<?, ?> map) {
      collect(map.get(path[depth]), path, depth + 1, dims, out);
    }
  }

  private static void face(Object value, int dims, List<float[]> out) {
    if (value instanceof Map<?, ?> face) {
      Object embedding = face.get("embedding");
      if (embedding != null) {
        out.add(vector(embedding, dims));
      }
    } else if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Number) {
      out.add(vector(list, dims));
    } else if (value instanceof List<?> list) {
      for (Object element : list) {
        face(element, dims, out);
      }
    } else {
      throw new IllegalArgumentException("is not a face object or an embedding: " + value);
    }
  }

  private static float[] vector(Object value, int dims) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("[embedding] is not an array of numbers");
    }
    if (list.size() != dims) {
      throw new IllegalArgumentException(
          "the embedding has " + list.size() + " numbers but the model has " + dims + " dims");
    }
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw new IllegalArgumentException("[embedding][" + i + "] is not a number");
      }
      v[i] = n.floatValue();
    }
    return v;
  }
}
