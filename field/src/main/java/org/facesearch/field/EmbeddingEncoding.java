package org.facesearch.field;

import org.facesearch.option.EnumOption;

/**
 * How the HNSW graph holds embeddings: raw floats, or 8-bit scalar-quantized (scores recomputed
 * exactly).
 */
public enum EmbeddingEncoding {
  FLOAT32,
  INT8;

  /** The name in mappings ({@code float32}, {@code int8}), parsed with {@link EnumOption}. */
  public String displayName() {
    return EnumOption.wireName(this);
  }
}
