package org.facesearch.query;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.facesearch.body.BodyParser;
import org.facesearch.body.Values;
import org.facesearch.field.FaceFieldType;
import org.facesearch.queryface.FaceInput;
import org.facesearch.queryface.QueryFace;
import org.facesearch.queryface.QueryFaces;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.common.logging.HeaderWarning;
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
 * The {@code face} query (stage 1): the {@code k} faces nearest to the query face by cosine, or
 * every face at least {@code min_similarity} similar (a cosine, or a false-match rate turned into
 * one by the model's verification calibration), from a {@code face} field's HNSW graph, with any
 * filter applied inside the graph search. Query images are encoded, and false-match rates resolved,
 * once, on the coordinating node, during the rewrite; the shards only see the embedding and the
 * cosine.
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

  /**
   * The threshold form: every face at least this similar, in place of the k nearest; null for top
   * k.
   */
  private MinSimilarity minSimilarity;

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
    minSimilarity = in.readOptionalWriteable(MinSimilarity::readFrom);
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
    out.writeOptionalWriteable(minSimilarity);
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
      throw new IllegalArgumentException(
          "[k] must be between 1 and " + MAX_CANDIDATES + ", got [" + k + "]");
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
      throw new IllegalArgumentException(
          "[num_candidates] must be between 1 and " + MAX_CANDIDATES + ", got [" + n + "]");
    }
    this.numCandidates = n;
    return this;
  }

  /**
   * Adds a filter, applied inside the graph search (so that {@code k} filtered faces are found):
   * the only one, or combined with the one already there. A null filter changes nothing.
   */
  @Override
  public FaceQueryBuilder filter(QueryBuilder filter) {
    if (filter != null) {
      this.filter = this.filter == null ? filter : this.filter.filter(filter);
    }
    return this;
  }

  /** The filter applied inside the graph search, or null. */
  public QueryBuilder filter() {
    return filter;
  }

  /** Only gallery faces with at least this ERS, or null for all. */
  public Float minErs() {
    return minErs;
  }

  /** The query's own recognizability threshold, or null for the model's. */
  public Float queryMinErs() {
    return queryMinErs;
  }

  public UnrecognizableQueryPolicy onUnrecognizable() {
    return onUnrecognizable;
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

  /** The threshold form's threshold, or null for the top-k form. */
  public MinSimilarity minSimilarity() {
    return minSimilarity;
  }

  /**
   * Makes this the threshold form: every face at least {@code threshold} similar, however many
   * ({@code k} and {@code num_candidates} then do not apply).
   */
  public FaceQueryBuilder minSimilarity(MinSimilarity threshold) {
    this.minSimilarity = threshold;
    return this;
  }

  private static float unitInterval(String option, float value) {
    if (!(value >= 0f && value <= 1f)) {
      throw new IllegalArgumentException(
          "[" + option + "] must be between 0 and 1, got [" + value + "]");
    }
    return value;
  }

  private FaceQueryBuilder copyWith(
      QueryFace encoded, Supplier<QueryFace> pending, QueryBuilder rewrittenFilter) {
    FaceQueryBuilder copy = new FaceQueryBuilder(field, input, queryFaces);
    copy.k = k;
    copy.numCandidates = numCandidates;
    copy.filter = rewrittenFilter;
    copy.minErs = minErs;
    copy.queryMinErs = queryMinErs;
    copy.onUnrecognizable = onUnrecognizable;
    copy.minSimilarity = minSimilarity;
    copy.face = encoded;
    copy.pendingFace = pending;
    copy.boost(boost()).queryName(queryName());
    return copy;
  }

  @Override
  protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
    if (minSimilarity != null && !minSimilarity.resolved()) {
      // On the coordinating node, before anything is encoded: a rate outside the calibrated range
      // is refused at once.
      MinSimilarity resolved = minSimilarity.resolve(queryFaces.verification(input.model()));
      queryFaces.respondWithHeader(MinSimilarity.HEADER, resolved.header(field));
      FaceQueryBuilder copy = copyWith(face, pendingFace, filter);
      copy.minSimilarity = resolved;
      return copy;
    }
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
    if (threshold == null
        || !f.unrecognizable(threshold)
        || onUnrecognizable == UnrecognizableQueryPolicy.IGNORE) {
      return encoded;
    }
    String reason =
        String.format(
            Locale.ROOT,
            "the query face is unrecognizable: its ERS %.3f is below the threshold %.3f",
            f.ers(),
            threshold);
    if (onUnrecognizable == UnrecognizableQueryPolicy.ERROR) {
      OpenSearchStatusException e =
          new OpenSearchStatusException(
              reason + " (set [on_unrecognizable_query] to [empty] or [ignore] to search anyway)",
              RestStatus.BAD_REQUEST);
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
      throw new QueryShardException(
          context, "[face] query: no field [" + field + "] in the mapping");
    }
    if (!(type instanceof FaceFieldType faceType)) {
      throw new QueryShardException(
          context,
          "[face] query: field [" + field + "] is of type [" + type.typeName() + "], not [face]");
    }
    if (face.embedding().length != faceType.dims()) {
      throw new QueryShardException(
          context,
          "[face] query: the embedding has "
              + face.embedding().length
              + " values but ["
              + field
              + "] has "
              + faceType.dims()
              + " dims");
    }
    BooleanQuery.Builder filters = new BooleanQuery.Builder();
    boolean filtered = false;
    if (filter != null) {
      filters.add(filter.toQuery(context), BooleanClause.Occur.FILTER);
      filtered = true;
    }
    if (minErs != null) {
      filters.add(
          new RangeQueryBuilder(faceType.ersField()).gte(minErs).toQuery(context),
          BooleanClause.Occur.FILTER);
      filtered = true;
    }
    if (minSimilarity != null) {
      return new FaceRadialQuery(
          field,
          face.embedding(),
          minSimilarity.threshold(),
          filtered ? filters.build() : null,
          minSimilarity.note());
    }
    if (numCandidates() < k) {
      throw new QueryShardException(
          context, "[num_candidates] (" + numCandidates() + ") must be at least [k] (" + k + ")");
    }
    return new FaceKnnQuery(
        field, face.embedding(), k, numCandidates(), filtered ? filters.build() : null);
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
    if (minSimilarity != null) {
      minSimilarity.toXContent(builder, "min_similarity");
    } else {
      builder.field("k", k);
    }
    if (numCandidates != null) {
      // Only when given: the default follows k, and the query must read back equal to itself.
      builder.field("num_candidates", numCandidates);
    }
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

  /** The options of a face query's body, collected before the query is built. */
  private static final class Body {
    private String field;
    private final FaceInput.Builder input = new FaceInput.Builder();
    private Integer k;
    private Integer numCandidates;
    private QueryBuilder filter;
    private Float minErs;
    private Float queryMinErs;
    private UnrecognizableQueryPolicy onUnrecognizable;
    private MinSimilarity minSimilarity;
    private float boost = DEFAULT_BOOST;
    private String queryName;

    private FaceQueryBuilder build(QueryFaces queryFaces) {
      if (field == null) {
        throw new IllegalArgumentException("[field] is required");
      }
      FaceQueryBuilder query = new FaceQueryBuilder(field, input.build(), queryFaces);
      if (minSimilarity != null) {
        if (k != null) {
          throw new IllegalArgumentException(
              "give [k] (the nearest faces) or [min_similarity] (every face at least that similar), not both");
        }
        if (numCandidates != null) {
          throw new IllegalArgumentException(
              "[num_candidates] goes with [k]: a [min_similarity] search walks the graph as far as the threshold reaches");
        }
        query.minSimilarity(minSimilarity);
      }
      if (k != null) {
        query.k(k);
      }
      if (numCandidates != null) {
        query.numCandidates(numCandidates);
        if (numCandidates < query.k()) {
          throw new IllegalArgumentException(
              "[num_candidates] (" + numCandidates + ") must be at least [k] (" + query.k() + ")");
        }
      }
      query.filter(filter);
      if (minErs != null) {
        query.minErs(minErs);
      }
      if (queryMinErs != null) {
        query.queryMinErs(queryMinErs);
      }
      if (onUnrecognizable != null) {
        query.onUnrecognizable(onUnrecognizable);
      }
      query.boost(boost).queryName(queryName);
      return query;
    }
  }

  private static final BodyParser<Body> PARSER = new BodyParser<>(NAME, "[face] query");

  static {
    PARSER.string("field", (b, v) -> b.field = v);
    FaceInput.declare(PARSER, b -> b.input);
    PARSER.integer("k", (b, v) -> b.k = v);
    PARSER.integer("num_candidates", (b, v) -> b.numCandidates = v);
    PARSER.declare("min_similarity", MinSimilarity::read, (b, v) -> b.minSimilarity = v);
    PARSER.declare("filter", FaceQueryBuilder::readFilter, (b, v) -> b.filter = v);
    PARSER.number("min_ers", (b, v) -> b.minErs = v.floatValue());
    PARSER.number("query_min_ers", (b, v) -> b.queryMinErs = v.floatValue());
    PARSER.choice(
        "on_unrecognizable_query",
        UnrecognizableQueryPolicy.class,
        (b, v) -> b.onUnrecognizable = v);
    PARSER.number("boost", (b, v) -> b.boost = v.floatValue());
    PARSER.string("_name", (b, v) -> b.queryName = v);
  }

  private static QueryBuilder readFilter(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
      throw Values.wrongType(parser, option, "an object (a query)");
    }
    return parseInnerQueryBuilder(parser);
  }

  /**
   * Parses the body of a {@code face} query; an unknown option, a value of the wrong type or out of
   * range is a {@link org.opensearch.core.common.ParsingException} (HTTP 400) naming the option.
   */
  public static FaceQueryBuilder fromXContent(XContentParser parser, QueryFaces queryFaces)
      throws IOException {
    return PARSER.parse(parser, new Body(), body -> body.build(queryFaces));
  }

  @Override
  protected boolean doEquals(FaceQueryBuilder o) {
    return field.equals(o.field)
        && input.equals(o.input)
        && k == o.k
        && Objects.equals(numCandidates, o.numCandidates)
        && Objects.equals(filter, o.filter)
        && Objects.equals(minErs, o.minErs)
        && Objects.equals(queryMinErs, o.queryMinErs)
        && onUnrecognizable == o.onUnrecognizable
        && Objects.equals(minSimilarity, o.minSimilarity)
        && Objects.equals(face, o.face);
  }

  @Override
  protected int doHashCode() {
    return Objects.hash(
        field,
        input,
        k,
        numCandidates,
        filter,
        minErs,
        queryMinErs,
        onUnrecognizable,
        minSimilarity,
        face);
  }
}
