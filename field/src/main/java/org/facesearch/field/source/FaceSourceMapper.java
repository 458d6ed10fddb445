package org.facesearch.field.source;

import java.io.IOException;
import java.util.Collections;

import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.index.mapper.DocumentMapper;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MetadataFieldMapper;
import org.opensearch.index.mapper.ParseContext;
import org.opensearch.index.mapper.SourceFieldMapper;
import org.opensearch.index.mapper.TextSearchInfo;
import org.opensearch.index.mapper.ValueFetcher;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.search.lookup.SearchLookup;

/**
 * Keeps the faces' vectors out of the stored {@code _source}: after a document is parsed, it removes
 * {@code embedding} and {@code patches} from each face (fields without {@code source_vectors: true})
 * in the {@code _source} that {@link SourceFieldMapper} stored. As OpenSearch does when a mapping
 * filters {@code _source}, the whole original goes to {@code _recovery_source}, which operation-based
 * recovery of replicas reads and which merges drop once the shard's retention leases no longer need
 * the operation. It indexes nothing of its own.
 */
public final class FaceSourceMapper extends MetadataFieldMapper {

  public static final String NAME = "_face_source";

  public static final TypeParser PARSER = new FixedTypeParser(c -> new FaceSourceMapper());

  /** The (empty) field type: nothing is indexed under this name. */
  static final class FaceSourceFieldType extends MappedFieldType {
    static final FaceSourceFieldType INSTANCE = new FaceSourceFieldType();

    private FaceSourceFieldType() {
      super(NAME, false, false, false, TextSearchInfo.NONE, Collections.emptyMap());
    }

    @Override
    public String typeName() {
      return NAME;
    }

    @Override
    public ValueFetcher valueFetcher(QueryShardContext context, SearchLookup lookup, String format) {
      return (source) -> Collections.emptyList();
    }

    @Override
    public Query termQuery(Object value, QueryShardContext context) {
      return new MatchNoDocsQuery();
    }

    @Override
    public Query existsQuery(QueryShardContext context) {
      return new MatchNoDocsQuery();
    }
  }

  /** The face fields of the last mapping seen: one mapping serves many documents. */
  private record Cached(DocumentMapper mapper, FaceFields fields) {}

  private volatile Cached cached = new Cached(null, FaceFields.NONE);

  private FaceSourceMapper() {
    super(FaceSourceFieldType.INSTANCE);
  }

  @Override
  public void postParse(ParseContext context) throws IOException {
    FaceFields faces = fields(context.docMapper());
    if (faces.isEmpty()) {
      return;
    }
    IndexableField field = context.rootDoc().getField(SourceFieldMapper.NAME);
    if (!(field instanceof StoredField stored) || stored.binaryValue() == null) {
      return; // _source disabled
    }
    BytesRef bytes = stored.binaryValue();
    BytesReference source = BytesReference.fromByteBuffer(java.nio.ByteBuffer.wrap(bytes.bytes, bytes.offset, bytes.length));
    BytesReference stripped = FaceSource.strip(source, faces.paths());
    if (stripped == source) {
      return;
    }
    stored.setBytesValue(stripped.toBytesRef());
    if (context.rootDoc().getField(SourceFieldMapper.RECOVERY_SOURCE_NAME) == null && context.sourceToParse().source() != null) {
      // As SourceFieldMapper does for a filtered _source: the original serves operation-based recovery.
      BytesRef original = context.sourceToParse().source().toBytesRef();
      context.rootDoc().add(new StoredField(SourceFieldMapper.RECOVERY_SOURCE_NAME, original.bytes, original.offset, original.length));
      context.rootDoc().add(new NumericDocValuesField(SourceFieldMapper.RECOVERY_SOURCE_NAME, 1));
    }
  }

  private FaceFields fields(DocumentMapper mapper) {
    Cached last = cached;
    if (last.mapper() != mapper) {
      last = new Cached(mapper, FaceFields.of(mapper));
      cached = last;
    }
    return last.fields();
  }

  @Override
  protected String contentType() {
    return NAME;
  }
}
