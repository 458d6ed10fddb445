package org.facesearch.field.source;

import java.util.Collections;
import java.util.function.Predicate;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;
import org.facesearch.field.FaceLayout;
import org.opensearch.common.settings.Settings;
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
 * Keeps a document's faces whole for operation-based recovery of replicas. The face codec removes
 * faces' vectors from the stored {@code _source} as it writes a segment ({@link FaceSourceFormat});
 * OpenSearch replays recent operations to a recovering replica from Lucene, reading {@code
 * _recovery_source} where a document has one (as it does when a mapping filters {@code _source}).
 * So in an index the face codec may write, this adds the original source as {@code
 * _recovery_source} to each document that holds faces' vectors; merges drop it once the shard's
 * retention leases no longer need the operation. It indexes nothing of its own.
 */
public final class FaceSourceMapper extends MetadataFieldMapper {

  public static final String NAME = "_face_source";

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
    public ValueFetcher valueFetcher(
        QueryShardContext context, SearchLookup lookup, String format) {
      return source -> Collections.emptyList();
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

  /**
   * The mapper's parser.
   *
   * @param faceCodec whether an index with these settings is written by the face codec
   */
  public static TypeParser parser(Predicate<Settings> faceCodec) {
    return new FixedTypeParser(c -> new FaceSourceMapper(faceCodec.test(c.getSettings())));
  }

  /** The face fields of the last mapping seen: one mapping serves many documents. */
  private record Cached(DocumentMapper mapper, FaceFields fields) {}

  private final boolean faceCodec;
  private volatile Cached cached = new Cached(null, FaceFields.NONE);

  private FaceSourceMapper(boolean faceCodec) {
    super(FaceSourceFieldType.INSTANCE);
    this.faceCodec = faceCodec;
  }

  @Override
  public void postParse(ParseContext context) {
    if (!faceCodec || context.rootDoc().getField(SourceFieldMapper.RECOVERY_SOURCE_NAME) != null) {
      return; // no codec strips this index's _source, or SourceFieldMapper kept the original
      // already
    }
    if (!(context.rootDoc().getField(SourceFieldMapper.NAME) instanceof StoredField)
        || context.sourceToParse().source() == null) {
      return; // _source disabled
    }
    FaceFields faces = fields(context.docMapper());
    if (faces.isEmpty() || !holdsVectors(context, faces)) {
      return;
    }
    BytesRef original = context.sourceToParse().source().toBytesRef();
    context
        .rootDoc()
        .add(
            new StoredField(
                SourceFieldMapper.RECOVERY_SOURCE_NAME,
                original.bytes,
                original.offset,
                original.length));
    context.rootDoc().add(new NumericDocValuesField(SourceFieldMapper.RECOVERY_SOURCE_NAME, 1));
  }

  /** Whether a face of the document (or of one of its nested documents) has an embedding. */
  private static boolean holdsVectors(ParseContext context, FaceFields faces) {
    if (holdsVectors(context.rootDoc(), faces)) {
      return true;
    }
    for (ParseContext.Document doc : context.nonRootDocuments()) {
      if (holdsVectors(doc, faces)) {
        return true;
      }
    }
    return false;
  }

  private static boolean holdsVectors(ParseContext.Document doc, FaceFields faces) {
    for (String path : faces.paths()) {
      if (doc.getField(FaceLayout.embeddingField(path)) != null) {
        return true;
      }
    }
    return false;
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
