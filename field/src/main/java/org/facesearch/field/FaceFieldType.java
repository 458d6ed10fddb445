package org.facesearch.field;

import java.util.Map;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.facesearch.field.vectors.Int8HnswFormat;
import org.facesearch.patches.PatchEncoding;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.SourceValueFetcher;
import org.opensearch.index.mapper.TextSearchInfo;
import org.opensearch.index.mapper.ValueFetcher;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.search.lookup.SearchLookup;

/**
 * The searchable side of a {@code face} field: the embedding lives in Lucene HNSW under the field's
 * own name, the patch map in binary doc values under {@code <name>.patches}, and {@code ers},
 * {@code detection_score} and {@code model} are ordinary sub-fields.
 */
public final class FaceFieldType extends MappedFieldType {

  public static final String CONTENT_TYPE = "face";

  private final int dims;
  private final int patchRows;
  private final int patchCols;
  private final int patchDims;
  private final PatchEncoding patchEncoding;
  private final EmbeddingEncoding embeddingEncoding;
  private final HnswOptions hnsw;
  private final KnnVectorsFormat vectorsFormat;
  private final boolean sourceVectors;

  FaceFieldType(
      String name,
      int dims,
      int patchRows,
      int patchCols,
      int patchDims,
      PatchEncoding patchEncoding,
      EmbeddingEncoding embeddingEncoding,
      HnswOptions hnsw,
      boolean sourceVectors,
      Map<String, String> meta) {
    super(name, true, false, false, TextSearchInfo.NONE, meta);
    this.dims = dims;
    this.patchRows = patchRows;
    this.patchCols = patchCols;
    this.patchDims = patchDims;
    this.patchEncoding = patchEncoding;
    this.embeddingEncoding = embeddingEncoding;
    this.hnsw = hnsw;
    this.sourceVectors = sourceVectors;
    this.vectorsFormat =
        embeddingEncoding == EmbeddingEncoding.INT8
            ? new Int8HnswFormat(hnsw.m(), hnsw.efConstruction())
            : new Lucene99HnswVectorsFormat(hnsw.m(), hnsw.efConstruction());
  }

  @Override
  public String typeName() {
    return CONTENT_TYPE;
  }

  /** Embedding dimensions. */
  public int dims() {
    return dims;
  }

  public int patchRows() {
    return patchRows;
  }

  public int patchCols() {
    return patchCols;
  }

  public int patchDims() {
    return patchDims;
  }

  public PatchEncoding patchEncoding() {
    return patchEncoding;
  }

  public EmbeddingEncoding embeddingEncoding() {
    return embeddingEncoding;
  }

  /** The HNSW format this field's segments are written with (see the plugin's codec). */
  public KnnVectorsFormat vectorsFormat() {
    return vectorsFormat;
  }

  /**
   * Whether the stored {@code _source} keeps this field's embedding and patches ({@code
   * source_vectors: true}); by default they are kept out and derived back for reindex and update.
   */
  public boolean sourceVectors() {
    return sourceVectors;
  }

  HnswOptions hnsw() {
    return hnsw;
  }

  /** Name of the binary doc values field that holds the encoded patch map. */
  public String patchesField() {
    return FaceLayout.patchesField(name());
  }

  /** Name of the recognizability (ERS) sub-field. */
  public String ersField() {
    return FaceLayout.ersField(name());
  }

  @Override
  public ValueFetcher valueFetcher(
      QueryShardContext context, SearchLookup searchLookup, String format) {
    if (format != null) {
      throw new IllegalArgumentException(
          "field [" + name() + "] of type [face] does not support custom formats");
    }
    return new SourceValueFetcher(name(), context) {
      @Override
      protected Object parseSourceValue(Object value) {
        // The face as a summary: never its embedding or patch map, whatever the source holds.
        if (value instanceof Map<?, ?> face) {
          Map<Object, Object> summary = new java.util.LinkedHashMap<>(face);
          summary.keySet().removeAll(org.facesearch.field.source.FaceSource.VECTOR_KEYS);
          return summary;
        }
        return null; // an element of a bare embedding array
      }
    };
  }

  @Override
  public Query existsQuery(QueryShardContext context) {
    return new FieldExistsQuery(name());
  }

  @Override
  public Query termQuery(Object value, QueryShardContext context) {
    throw new IllegalArgumentException(
        "field ["
            + name()
            + "] of type [face] does not support term queries; search it with the [face] query");
  }
}
