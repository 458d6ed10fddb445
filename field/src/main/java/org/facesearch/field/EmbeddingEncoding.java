package org.facesearch.field;

import java.util.Locale;

/** How the HNSW graph holds embeddings: raw floats, or 8-bit scalar-quantized (scores recomputed exactly). */
public enum EmbeddingEncoding {
  FLOAT32,
  INT8;

  public String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static EmbeddingEncoding fromName(String name) {
    for (EmbeddingEncoding e : values()) {
      if (e.displayName().equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("[embedding_encoding] must be one of [float32, int8], got [" + name + "]");
  }
}
