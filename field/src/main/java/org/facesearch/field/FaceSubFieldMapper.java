package org.facesearch.field;

import java.io.IOException;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SortField;
import org.facesearch.field.codec.FaceIndexSettings;
import org.opensearch.common.util.BigArrays;
import org.opensearch.core.indices.breaker.CircuitBreakerService;
import org.opensearch.index.fielddata.IndexFieldData;
import org.opensearch.index.fielddata.IndexFieldData.XFieldComparatorSource;
import org.opensearch.index.fielddata.IndexFieldDataCache;
import org.opensearch.index.fielddata.LeafFieldData;
import org.opensearch.index.fielddata.ScriptDocValues;
import org.opensearch.index.fielddata.SortedBinaryDocValues;
import org.opensearch.index.fielddata.plain.BytesBinaryIndexFieldData;
import org.opensearch.index.mapper.FieldMapper;
import org.opensearch.index.mapper.KeywordFieldMapper;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.index.mapper.NumberFieldMapper;
import org.opensearch.index.mapper.ParseContext;
import org.opensearch.index.mapper.SourceValueFetcher;
import org.opensearch.index.mapper.TextSearchInfo;
import org.opensearch.index.mapper.ValueFetcher;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.script.AggregationScript;
import org.opensearch.search.DocValueFormat;
import org.opensearch.search.MultiValueMode;
import org.opensearch.search.aggregations.support.FieldContext;
import org.opensearch.search.aggregations.support.ValueType;
import org.opensearch.search.aggregations.support.ValuesSource;
import org.opensearch.search.aggregations.support.ValuesSourceType;
import org.opensearch.search.lookup.SearchLookup;
import org.opensearch.search.sort.BucketedSort;
import org.opensearch.search.sort.SortOrder;

/**
 * A sub-field of a face ({@code <face>.ers}, {@code .detection_score}, {@code .model}, {@code
 * .patches}): registered with the mapping so that queries, sorts and aggregations find it, while
 * {@link FaceLayout} writes its Lucene fields. OpenSearch reads a sub-field's values for the {@code
 * fields} option from its parent's place in {@code _source} (the face object), so each type here
 * picks its own key out of that object.
 *
 * <p>{@code <face>.patches} is a door that stays shut: no aggregation, script, sort or {@code
 * fields} value ever reads a patch map, and {@code docvalue_fields} returns it (base64) only in an
 * index with {@code index.face.raw_features_readable: true}.
 */
final class FaceSubFieldMapper extends FieldMapper {

  static FaceSubFieldMapper patches(
      String simpleName, Mapper.BuilderContext context, boolean readable) {
    return new FaceSubFieldMapper(
        simpleName, new PatchesFieldType(context.path().pathAsText(simpleName), readable));
  }

  /**
   * A float sub-field (points and doc values), as a default {@code float} mapping would index it.
   */
  static FaceSubFieldMapper number(String simpleName, Mapper.BuilderContext context) {
    String name = context.path().pathAsText(simpleName);
    return new FaceSubFieldMapper(
        simpleName,
        new NumberFieldMapper.NumberFieldType(
            name,
            NumberFieldMapper.NumberType.FLOAT,
            true,
            false,
            true,
            false,
            false,
            null,
            Map.of()) {
          @Override
          public ValueFetcher valueFetcher(
              QueryShardContext context, SearchLookup searchLookup, String format) {
            return new FaceKeyFetcher(name(), simpleName, context);
          }
        });
  }

  /**
   * A keyword sub-field (terms and doc values), as a default {@code keyword} mapping would index
   * it.
   */
  static FaceSubFieldMapper keyword(String simpleName, Mapper.BuilderContext context) {
    return new FaceSubFieldMapper(
        simpleName,
        new KeywordFieldMapper.KeywordFieldType(context.path().pathAsText(simpleName)) {
          @Override
          public ValueFetcher valueFetcher(
              QueryShardContext context, SearchLookup searchLookup, String format) {
            return new FaceKeyFetcher(name(), simpleName, context);
          }
        });
  }

  /** Reads one key of the face objects at the parent's source path. */
  private static final class FaceKeyFetcher extends SourceValueFetcher {
    private final String key;

    FaceKeyFetcher(String field, String key, QueryShardContext context) {
      super(field, context);
      this.key = key;
    }

    @Override
    protected Object parseSourceValue(Object value) {
      return value instanceof Map<?, ?> face ? face.get(key) : null;
    }
  }

  /** The field type: doc values only, readable through docvalue_fields after the index's opt-in. */
  static final class PatchesFieldType extends MappedFieldType {
    private final boolean readable;

    PatchesFieldType(String name, boolean readable) {
      super(name, false, false, true, TextSearchInfo.NONE, Collections.emptyMap());
      this.readable = readable;
    }

    @Override
    public String typeName() {
      return "face_patches";
    }

    @Override
    public ValueFetcher valueFetcher(
        QueryShardContext context, SearchLookup searchLookup, String format) {
      return lookup -> List.of(); // never through the fields option, whatever _source holds
    }

    @Override
    public DocValueFormat docValueFormat(String format, ZoneId timeZone) {
      return DocValueFormat.BINARY;
    }

    @Override
    public IndexFieldData.Builder fielddataBuilder(
        String fullyQualifiedIndexName, Supplier<SearchLookup> searchLookup) {
      if (!readable) {
        throw new IllegalArgumentException(
            "["
                + name()
                + "] holds a face's patch map, which aggregations, scripts and sorts never read; "
                + "docvalue_fields may return it only in an index with ["
                + FaceIndexSettings.RAW_FEATURES_READABLE.getKey()
                + "] set to true");
      }
      return (IndexFieldDataCache cache, CircuitBreakerService breakers) ->
          new PatchesFieldData(name());
    }

    @Override
    public Query existsQuery(QueryShardContext context) {
      return new FieldExistsQuery(name());
    }

    @Override
    public Query termQuery(Object value, QueryShardContext context) {
      throw new IllegalArgumentException(
          "[" + name() + "] holds a face's patch map and cannot be searched");
    }
  }

  /**
   * Doc values for docvalue_fields only: aggregations (values source), sorts and scripts are
   * refused.
   */
  static final class PatchesFieldData implements IndexFieldData<LeafFieldData> {
    private final String name;
    private final BytesBinaryIndexFieldData values;

    PatchesFieldData(String name) {
      this.name = name;
      this.values = new BytesBinaryIndexFieldData(name, new NotAggregatable(name));
    }

    @Override
    public String getFieldName() {
      return name;
    }

    @Override
    public ValuesSourceType getValuesSourceType() {
      return values.getValuesSourceType();
    }

    @Override
    public LeafFieldData load(LeafReaderContext context) {
      LeafFieldData leaf = values.load(context);
      return new LeafFieldData() {
        @Override
        public ScriptDocValues<?> getScriptValues() {
          throw new IllegalArgumentException(
              "[" + name + "] holds a face's patch map, which scripts never read");
        }

        @Override
        public SortedBinaryDocValues getBytesValues() {
          return leaf.getBytesValues();
        }

        @Override
        public long ramBytesUsed() {
          return leaf.ramBytesUsed();
        }

        @Override
        public void close() {
          leaf.close();
        }
      };
    }

    @Override
    public LeafFieldData loadDirect(LeafReaderContext context) {
      return load(context);
    }

    @Override
    public SortField sortField(
        Object missingValue,
        MultiValueMode sortMode,
        XFieldComparatorSource.Nested nested,
        boolean reverse) {
      throw new IllegalArgumentException(
          "[" + name + "] holds a face's patch map, which sorts never read");
    }

    @Override
    public BucketedSort newBucketedSort(
        BigArrays bigArrays,
        Object missingValue,
        MultiValueMode sortMode,
        XFieldComparatorSource.Nested nested,
        SortOrder sortOrder,
        DocValueFormat format,
        int bucketSize,
        BucketedSort.ExtraData extra) {
      throw new IllegalArgumentException(
          "[" + name + "] holds a face's patch map, which sorts never read");
    }
  }

  /** The values source type of patch maps: every aggregation over them is refused. */
  private record NotAggregatable(String field) implements ValuesSourceType {
    private IllegalArgumentException refused() {
      return new IllegalArgumentException(
          "[" + field + "] holds a face's patch map, which aggregations never read");
    }

    @Override
    public ValuesSource getEmpty() {
      throw refused();
    }

    @Override
    public ValuesSource getScript(AggregationScript.LeafFactory script, ValueType scriptValueType) {
      throw refused();
    }

    @Override
    public ValuesSource getField(FieldContext fieldContext, AggregationScript.LeafFactory script) {
      throw refused();
    }

    @Override
    public ValuesSource replaceMissing(
        ValuesSource valuesSource,
        Object rawMissing,
        DocValueFormat docValueFormat,
        LongSupplier now) {
      throw refused();
    }

    @Override
    public String typeName() {
      return "face_patches";
    }
  }

  private FaceSubFieldMapper(String simpleName, MappedFieldType type) {
    super(
        simpleName,
        new org.apache.lucene.document.FieldType(),
        type,
        MultiFields.empty(),
        CopyTo.empty());
  }

  @Override
  protected void parseCreateField(ParseContext context) throws IOException {
    throw new IllegalArgumentException(
        "[" + name() + "] is written by its face field, never on its own");
  }

  @Override
  protected void mergeOptions(FieldMapper other, List<String> conflicts) {}

  @Override
  protected String contentType() {
    return fieldType().typeName();
  }
}
