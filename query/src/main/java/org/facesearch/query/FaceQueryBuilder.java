package org.facesearch.query;

import org.facesearch.queryface.FaceInput;
import org.facesearch.queryface.QueryFace;
import org.facesearch.queryface.QueryFaces;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.facesearch.field.FaceFieldType;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.common.logging.HeaderWarning;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.MatchNoneQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilderVisitor;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.index.query.QueryShardException;
import org.opensearch.index.query.RangeQueryBuilder;

/**
 * The {@code face} query (stage 1): the {@code k} faces nearest to the query face by cosine, from a
 * {@code face} field's HNSW graph, with any filter applied inside the graph search. Query images are
 * encoded once, on the coordinating node, during the rewrite; the shards only see the embedding.
 */
public final class FaceQueryBuilder extends AbstractQueryBuilder<FaceQueryBuilder> {

  public static final String NAME = "face";
  public static final int DEFAULT_K = 100;
  static final int MAX_CANDIDATES = 10_000;

  private final String field;
  private final FaceInput input;
  /** The node's query face encoder (not part of the query: not written, not compared). */
  private final QueryFaces queryFaces;
  private int k = DEFAULT_K;
  private Integer numCandidates;
  private QueryBuilder filter;
  private Float minErs;
  private Float queryMinErs;
  private UnrecognizableQueryPolicy onUnrecognizable = UnrecognizableQueryPolicy.ERROR;
  private QueryFace face;
  private Supplier<QueryFace> pendingFace;

  /**
   * @param queryFaces encodes the query face during the rewrite: the node's, which the plugin hands
   *     to the query's parser and stream reader
   */
  public FaceQueryBuilder(String field, FaceInput input, QueryFaces queryFaces) {
    if (field == null || field.isEmpty()) {
      throw new IllegalArgumentException("[face] query needs a [field]");
    }
    this.field = field;
    this.input = Objects.requireNonNull(input);
    this.queryFaces = Objects.requireNonNull(queryFaces);
  }

  public FaceQueryBuilder(StreamInput in, QueryFaces queryFaces) throws IOException {
    super(in);
    this.queryFaces = Objects.requireNonNull(queryFaces);
    field = in.readString();
    input = FaceInput.readFrom(in);
    k = in.readVInt();
    numCandidates = in.readOptionalVInt();
    filter = in.readOptionalNamedWriteable(QueryBuilder.class);
    minErs = in.readOptionalFloat();
    queryMinErs = in.readOptionalFloat();
    onUnrecognizable = in.readEnum(UnrecognizableQueryPolicy.class);
    face = in.readOptionalWriteable(QueryFace::readFrom);
  }

  @Override
  protected void doWriteTo(StreamOutput out) throws IOException {
    if (pendingFace != null) {
      throw new IllegalStateException("face query must be rewritten before it is sent");
    }
    out.writeString(field);
    input.writeTo(out);
    out.writeVInt(k);
    out.writeOptionalVInt(numCandidates);
    out.writeOptionalNamedWriteable(filter);
    out.writeOptionalFloat(minErs);
    out.writeOptionalFloat(queryMinErs);
    out.writeEnum(onUnrecognizable);
    out.writeOptionalWriteable(face);
  }

  public String field() {
    return field;
  }

  public FaceInput input() {
    return input;
  }

  /** The encoded query face, once the query was rewritten. */
  public QueryFace face() {
    return face;
  }

  public int k() {
    return k;
  }

  public FaceQueryBuilder k(int k) {
    if (k < 1 || k > MAX_CANDIDATES) {
      throw new IllegalArgumentException("[k] must be between 1 and " + MAX_CANDIDATES + ", got [" + k + "]");
    }
    this.k = k;
    return this;
  }

  /** Candidates each shard's graph search explores; at least k (default: 2k, at most 10000). */
  public int numCandidates() {
    return numCandidates != null ? numCandidates : Math.min(MAX_CANDIDATES, Math.max(k, 2 * k));
  }

  public FaceQueryBuilder numCandidates(int n) {
    if (n < 1 || n > MAX_CANDIDATES) {
      throw new IllegalArgumentException("[num_candidates] must be between 1 and " + MAX_CANDIDATES + ", got [" + n + "]");
    }
    this.numCandidates = n;
    return this;
  }

  public FaceQueryBuilder filter(QueryBuilder filter) {
    this.filter = filter;
    return this;
  }

  public FaceQueryBuilder minErs(float value) {
    this.minErs = unitInterval("min_ers", value);
    return this;
  }

  public FaceQueryBuilder queryMinErs(float value) {
    this.queryMinErs = unitInterval("query_min_ers", value);
    return this;
  }

  public FaceQueryBuilder onUnrecognizable(UnrecognizableQueryPolicy policy) {
    this.onUnrecognizable = Objects.requireNonNull(policy);
    return this;
  }

  private static float unitInterval(String option, float value) {
    if (!(value >= 0f && value <= 1f)) {
      throw new IllegalArgumentException("[" + option + "] must be between 0 and 1, got [" + value + "]");
    }
    return value;
  }

  private FaceQueryBuilder copyWith(QueryFace encoded, Supplier<QueryFace> pending, QueryBuilder rewrittenFilter) {
    FaceQueryBuilder copy = new FaceQueryBuilder(field, input, queryFaces);
    copy.k = k;
    copy.numCandidates = numCandidates;
    copy.filter = rewrittenFilter;
    copy.minErs = minErs;
    copy.queryMinErs = queryMinErs;
    copy.onUnrecognizable = onUnrecognizable;
    copy.face = encoded;
    copy.pendingFace = pending;
    copy.boost(boost()).queryName(queryName());
    return copy;
  }

  @Override
  protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
    if (pendingFace != null) {
      QueryFace encoded = pendingFace.get();
      return encoded == null ? this : gate(copyWith(encoded, null, filter));
    }
    if (face == null) {
      return copyWith(null, queryFaces.register(context, input), filter);
    }
    QueryBuilder rewrittenFilter = filter == null ? null : filter.rewrite(context);
    return rewrittenFilter != filter ? copyWith(face, null, rewrittenFilter) : this;
  }

  /** Applies the recognizability gate to a freshly encoded query. */
  private QueryBuilder gate(FaceQueryBuilder encoded) {
    QueryFace f = encoded.face;
    Float threshold = queryMinErs != null ? queryMinErs : f.ersThreshold();
    if (threshold == null || !f.unrecognizable(threshold) || onUnrecognizable == UnrecognizableQueryPolicy.IGNORE) {
      return encoded;
    }
    String reason = String.format(Locale.ROOT,
        "the query face is unrecognizable: its ERS %.3f is below the threshold %.3f", f.ers(), threshold);
    if (onUnrecognizable == UnrecognizableQueryPolicy.ERROR) {
      OpenSearchStatusException e = new OpenSearchStatusException(
          reason + " (set [on_unrecognizable_query] to [empty] or [ignore] to search anyway)", RestStatus.BAD_REQUEST);
      e.addMetadata("opensearch.query_ers", Float.toString(f.ers()));
      e.addMetadata("opensearch.query_min_ers", Float.toString(threshold));
      throw e;
    }
    HeaderWarning.addWarning("[face] query on [{}] returned no hits: {}", field, reason);
    return new MatchNoneQueryBuilder();
  }

  @Override
  protected Query doToQuery(QueryShardContext context) throws IOException {
    if (face == null) {
      throw new IllegalStateException("face query was not rewritten before execution");
    }
    MappedFieldType type = context.fieldMapper(field);
    if (type == null) {
      throw new QueryShardException(context, "[face] query: no field [" + field + "] in the mapping");
    }
    if (!(type instanceof FaceFieldType faceType)) {
      throw new QueryShardException(context, "[face] query: field [" + field + "] is of type [" + type.typeName() + "], not [face]");
    }
    if (face.embedding().length != faceType.dims()) {
      throw new QueryShardException(context,
          "[face] query: the embedding has " + face.embedding().length + " values but [" + field + "] has " + faceType.dims() + " dims");
    }
    BooleanQuery.Builder filters = new BooleanQuery.Builder();
    boolean filtered = false;
    if (filter != null) {
      filters.add(filter.toQuery(context), BooleanClause.Occur.FILTER);
      filtered = true;
    }
    if (minErs != null) {
      filters.add(new RangeQueryBuilder(faceType.ersField()).gte(minErs).toQuery(context), BooleanClause.Occur.FILTER);
      filtered = true;
    }
    if (numCandidates() < k) {
      throw new QueryShardException(context, "[num_candidates] (" + numCandidates() + ") must be at least [k] (" + k + ")");
    }
    return new FaceKnnQuery(field, face.embedding(), k, numCandidates(), filtered ? filters.build() : null);
  }

  @Override
  public void visit(QueryBuilderVisitor visitor) {
    visitor.accept(this);
    if (filter != null) {
      filter.visit(visitor.getChildVisitor(BooleanClause.Occur.FILTER));
    }
  }

  @Override
  public String getWriteableName() {
    return NAME;
  }

  @Override
  protected void doXContent(XContentBuilder builder, Params params) throws IOException {
    builder.startObject(NAME);
    builder.field("field", field);
    input.toXContent(builder);
    builder.field("k", k).field("num_candidates", numCandidates());
    if (filter != null) {
      builder.field("filter", filter);
    }
    if (minErs != null) {
      builder.field("min_ers", minErs);
    }
    if (queryMinErs != null) {
      builder.field("query_min_ers", queryMinErs);
    }
    builder.field("on_unrecognizable_query", onUnrecognizable.displayName());
    printBoostAndQueryName(builder);
    builder.endObject();
  }

  /** Parses the body of a {@code face} query, naming any unknown or invalid option. */
  public static FaceQueryBuilder fromXContent(XContentParser parser, QueryFaces queryFaces) throws IOException {
    String field = null;
    FaceInput.Parser input = new FaceInput.Parser();
    Integer k = null;
    Integer numCandidates = null;
    QueryBuilder filter = null;
    Float minErs = null;
    Float queryMinErs = null;
    String onUnrecognizable = null;
    float boost = DEFAULT_BOOST;
    String queryName = null;
    try {
      for (XContentParser.Token t = parser.nextToken(); t != XContentParser.Token.END_OBJECT; t = parser.nextToken()) {
        if (t != XContentParser.Token.FIELD_NAME) {
          throw new ParsingException(parser.getTokenLocation(), "[face] query: expected a field name, got [" + t + "]");
        }
        String key = parser.currentName();
        parser.nextToken();
        if (FaceInput.isInputKey(key)) {
          input.read(key, parser);
          continue;
        }
        switch (key) {
          case "field" -> field = parser.text();
          case "k" -> k = parser.intValue(false);
          case "num_candidates" -> numCandidates = parser.intValue(false);
          case "filter" -> filter = parseInnerQueryBuilder(parser);
          case "min_ers" -> minErs = parser.floatValue(false);
          case "query_min_ers" -> queryMinErs = parser.floatValue(false);
          case "on_unrecognizable_query" -> onUnrecognizable = parser.text();
          case "boost" -> boost = parser.floatValue(false);
          case "_name" -> queryName = parser.text();
          default -> throw new ParsingException(parser.getTokenLocation(), "[face] query does not support [" + key + "]");
        }
      }
      if (field == null) {
        throw new IllegalArgumentException("[face] query needs a [field]");
      }
      FaceQueryBuilder query = new FaceQueryBuilder(field, input.build(), queryFaces);
      if (k != null) {
        query.k(k);
      }
      if (numCandidates != null) {
        query.numCandidates(numCandidates);
      }
      if (numCandidates != null && query.numCandidates() < query.k()) {
        throw new IllegalArgumentException("[num_candidates] (" + numCandidates + ") must be at least [k] (" + query.k() + ")");
      }
      query.filter(filter);
      if (minErs != null) {
        query.minErs(minErs);
      }
      if (queryMinErs != null) {
        query.queryMinErs(queryMinErs);
      }
      if (onUnrecognizable != null) {
        query.onUnrecognizable(UnrecognizableQueryPolicy.fromName(onUnrecognizable));
      }
      query.boost(boost).queryName(queryName);
      return query;
    } catch (IllegalArgumentException e) {
      throw new ParsingException(parser.getTokenLocation(), "[face] query: " + e.getMessage(), e);
    }
  }

  @Override
  protected boolean doEquals(FaceQueryBuilder o) {
    return field.equals(o.field) && input.equals(o.input) && k == o.k && Objects.equals(numCandidates, o.numCandidates)
        && Objects.equals(filter, o.filter) && Objects.equals(minErs, o.minErs) && Objects.equals(queryMinErs, o.queryMinErs)
        && onUnrecognizable == o.onUnrecognizable && Objects.equals(face, o.face);
  }

  @Override
  protected int doHashCode() {
    return Objects.hash(field, input, k, numCandidates, filter, minErs, queryMinErs, onUnrecognizable, face);
  }
}
