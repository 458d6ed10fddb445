package org.facesearch.rescore;

import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;
import org.facesearch.body.BodyParser;
import org.facesearch.body.Values;
import org.facesearch.emd.AutoAlpha;
import org.facesearch.emd.EmdParams;
import org.facesearch.emd.FacePatches;
import org.facesearch.emd.Grid;
import org.facesearch.emd.Weighting;
import org.facesearch.field.FaceFieldType;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.facesearch.queryface.FaceInput;
import org.facesearch.queryface.QueryFace;
import org.facesearch.queryface.QueryFaces;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.search.rescore.RescoreContext;
import org.opensearch.search.rescore.RescorerBuilder;

/**
 * The {@code face_emd} rescorer (stage 2): re-ranks the window by {@code alpha * EMD + (1 - alpha)
 * * cosine}. The query face comes from the {@code face} query of the same request (the plugin hands
 * it over, so the user sends the image once), or from this rescorer's own {@code image}, {@code
 * images} or {@code embedding} when stage 1 was another query. Images are encoded on the
 * coordinating node during the rewrite, through the same cache as the query, so once per request.
 */
public final class FaceEmdRescorerBuilder extends RescorerBuilder<FaceEmdRescorerBuilder> {

  public static final String NAME = "face_emd";

  /**
   * Window when a request gives none: stage 2's top k in docs/algorithms.md (OpenSearch's own is
   * 10).
   */
  public static final int DEFAULT_WINDOW_SIZE = 100;

  /** The {@code alpha} value that chooses alpha per query face ({@link AutoAlpha}). */
  public static final String AUTO = "auto";

  private final String field;
  private final EmdParams params;

  /**
   * {@code alpha: auto}: alpha comes from the query face ({@link AutoAlpha}), not from {@link
   * #params}.
   */
  private final boolean autoAlpha;

  /** The node's query face encoder (not part of the rescorer: not written, not compared). */
  private final QueryFaces queryFaces;

  /** The node's bound on stage-2 work (not part of the rescorer: not written, not compared). */
  private final RescoreLimits limits;

  private FaceInput input;
  private QueryFace face;
  private Supplier<QueryFace> pendingFace;

  public FaceEmdRescorerBuilder(
      String field, EmdParams params, FaceInput input, QueryFaces queryFaces) {
    this(field, params, false, input, queryFaces);
  }

  /**
   * @param autoAlpha whether alpha is chosen per query ({@code alpha: auto}); {@code
   *     params.alpha()} is then unused
   * @param queryFaces encodes the query face during the rewrite: the node's, which the plugin hands
   *     to the rescorer's parser and stream reader
   */
  public FaceEmdRescorerBuilder(
      String field, EmdParams params, boolean autoAlpha, FaceInput input, QueryFaces queryFaces) {
    this(
        field,
        params,
        autoAlpha,
        input,
        queryFaces,
        new RescoreLimits(RescoreLimits.DEFAULT_MAX_WORK));
  }

  /**
   * @param limits the node's bound on stage-2 work, which the plugin keeps equal to its setting
   */
  public FaceEmdRescorerBuilder(
      String field,
      EmdParams params,
      boolean autoAlpha,
      FaceInput input,
      QueryFaces queryFaces,
      RescoreLimits limits) {
    if (field == null || field.isEmpty()) {
      throw new IllegalArgumentException("[face_emd] needs a [field]");
    }
    this.field = field;
    // With alpha chosen per query the fixed alpha is unused: kept at its default, so that two
    // rescorers that rank alike are equal (and read back equal from their XContent).
    this.params =
        autoAlpha
            ? params.toBuilder().alpha(EmdParams.DEFAULT_ALPHA).build()
            : Objects.requireNonNull(params);
    this.autoAlpha = autoAlpha;
    this.input = input;
    this.queryFaces = Objects.requireNonNull(queryFaces);
    this.limits = Objects.requireNonNull(limits);
    windowSize(DEFAULT_WINDOW_SIZE);
  }

  public FaceEmdRescorerBuilder(StreamInput in, QueryFaces queryFaces) throws IOException {
    this(in, queryFaces, new RescoreLimits(RescoreLimits.DEFAULT_MAX_WORK));
  }

  public FaceEmdRescorerBuilder(StreamInput in, QueryFaces queryFaces, RescoreLimits limits)
      throws IOException {
    super(in);
    this.queryFaces = Objects.requireNonNull(queryFaces);
    this.limits = Objects.requireNonNull(limits);
    field = in.readString();
    params =
        EmdParams.builder()
            .alpha(in.readDouble())
            .weighting(in.readEnum(Weighting.class))
            .grid(in.readEnum(Grid.class))
            .epsilon(in.readDouble())
            .maxIterations(in.readVInt())
            .tolerance(in.readDouble())
            .flows(in.readVInt())
            .centrePatches(in.readBoolean())
            .build();
    autoAlpha = in.readBoolean();
    input = in.readOptionalWriteable(FaceInput::readFrom);
    face = in.readOptionalWriteable(QueryFace::readFrom);
  }

  @Override
  protected void doWriteTo(StreamOutput out) throws IOException {
    if (pendingFace != null) {
      throw new IllegalStateException("face_emd must be rewritten before it is sent");
    }
    out.writeString(field);
    out.writeDouble(params.alpha());
    out.writeEnum(params.weighting());
    out.writeEnum(params.grid());
    out.writeDouble(params.epsilon());
    out.writeVInt(params.maxIterations());
    out.writeDouble(params.tolerance());
    out.writeVInt(params.flows());
    out.writeBoolean(params.centrePatches());
    out.writeBoolean(autoAlpha);
    out.writeOptionalWriteable(input);
    out.writeOptionalWriteable(face);
  }

  public String field() {
    return field;
  }

  public EmdParams params() {
    return params;
  }

  /** Whether alpha is chosen per query face ({@code alpha: auto}). */
  public boolean autoAlpha() {
    return autoAlpha;
  }

  /** The query face input, given here or handed over from the request's face query. */
  public FaceInput input() {
    return input;
  }

  /** Hands over the face query's input when this rescorer has none of its own. */
  public void useQueryInput(FaceInput queryInput) {
    if (input == null) {
      input = queryInput;
    }
  }

  @Override
  public String getWriteableName() {
    return NAME;
  }

  private FaceEmdRescorerBuilder copyWith(QueryFace encoded, Supplier<QueryFace> pending) {
    FaceEmdRescorerBuilder copy =
        new FaceEmdRescorerBuilder(field, params, autoAlpha, input, queryFaces, limits);
    copy.face = encoded;
    copy.pendingFace = pending;
    if (windowSize != null) {
      copy.windowSize(windowSize);
    }
    return copy;
  }

  @Override
  public FaceEmdRescorerBuilder rewrite(QueryRewriteContext context) throws IOException {
    checkWindowSize(windowSize);
    if (pendingFace != null) {
      QueryFace encoded = pendingFace.get();
      if (encoded == null) {
        return this;
      }
      // On the coordinating node, once the query face is known: refused before any shard works.
      if (encoded.patches() != null) {
        PatchMap map = PatchEncoding.decode(encoded.patches());
        limits.check(
            windowSize == null ? DEFAULT_WINDOW_SIZE : windowSize,
            params.maxIterations(),
            params.grid().cells(map.rows(), map.cols()));
      }
      return copyWith(encoded, null);
    }
    if (face != null) {
      return this;
    }
    if (input == null) {
      throw new IllegalArgumentException(
          "[face_emd] needs the query face: use it after a [face] query on ["
              + field
              + "], or give it [image], [images] or [embedding]");
    }
    if (input.embedding() != null && input.patches() == null) {
      throw new IllegalArgumentException(
          "[face_emd] compares patches, which an [embedding] alone does not have: give the query [image], or [patches] with it");
    }
    return copyWith(null, queryFaces.register(context, input));
  }

  private static void checkWindowSize(Integer windowSize) {
    if (windowSize != null && windowSize < 1) {
      throw new IllegalArgumentException(
          "[face_emd] [window_size] must be at least 1, got [" + windowSize + "]");
    }
  }

  @Override
  protected RescoreContext innerBuildContext(int windowSize, QueryShardContext context)
      throws IOException {
    checkWindowSize(windowSize);
    if (face == null) {
      throw new IllegalStateException("face_emd was not rewritten before execution");
    }
    MappedFieldType type = context.fieldMapper(field);
    if (type == null) {
      throw new IllegalArgumentException("[face_emd]: no field [" + field + "] in the mapping");
    }
    if (!(type instanceof FaceFieldType)) {
      throw new IllegalArgumentException(
          "[face_emd]: field [" + field + "] is of type [" + type.typeName() + "], not [face]");
    }
    if (face.patches() == null) {
      throw new IllegalArgumentException("[face_emd]: the query face has no patches");
    }
    PatchMap map = PatchEncoding.decode(face.patches());
    // Again on the shard, against this node's bound (a request may come from a node with another).
    limits.check(windowSize, params.maxIterations(), params.grid().cells(map.rows(), map.cols()));
    FacePatches query =
        Faces.patches(map, face.embedding())
            .withOcclusion(face.cellOcclusion(), face.cellPadding());
    EmdParams used = autoAlpha ? params.toBuilder().alpha(AutoAlpha.of(query)).build() : params;
    return new FaceEmdRescoreContext(windowSize, field, query, used);
  }

  @Override
  protected void doXContent(XContentBuilder builder, Params xParams) throws IOException {
    builder.startObject(NAME);
    builder.field("field", field);
    if (autoAlpha) {
      builder.field("alpha", AUTO);
    } else {
      builder.field("alpha", params.alpha());
    }
    builder.field("weighting", params.weighting().wireName());
    builder.field("grid", params.grid().wireName());
    builder.field("epsilon", params.epsilon());
    builder.field("max_iterations", params.maxIterations());
    builder.field("tolerance", params.tolerance());
    builder.field("flows", params.flows());
    builder.field("centre_patches", params.centrePatches());
    if (input != null) {
      input.toXContent(builder);
    }
    builder.endObject();
  }

  /** The options of a face_emd body, collected before the rescorer is built. */
  private static final class Body {
    private String field;
    private final EmdParams.Builder params = EmdParams.builder();
    private boolean autoAlpha;
    private final FaceInput.Builder input = new FaceInput.Builder();

    private FaceEmdRescorerBuilder build(QueryFaces queryFaces, RescoreLimits limits) {
      if (field == null) {
        throw new IllegalArgumentException("[field] is required");
      }
      if (!input.given() && input.encodingGiven()) {
        throw new IllegalArgumentException(
            "[mode] and [model] go with this rescorer's own [image], [images] or [embedding];"
                + " without one it uses the [face] query's query face, encoded as that query says");
      }
      return new FaceEmdRescorerBuilder(
          field,
          params.build(),
          autoAlpha,
          input.given() ? input.build() : null,
          queryFaces,
          limits);
    }
  }

  private static final BodyParser<Body> PARSER = new BodyParser<>(NAME, "[" + NAME + "]");

  static {
    PARSER.string("field", (b, v) -> b.field = v);
    PARSER.declare(
        "alpha",
        FaceEmdRescorerBuilder::readAlpha,
        (b, alpha) -> {
          b.autoAlpha = alpha == null;
          b.params.alpha(alpha == null ? EmdParams.DEFAULT_ALPHA : alpha);
        });
    PARSER.choice(
        "weighting", Weighting.class, Weighting::wireName, (b, v) -> b.params.weighting(v));
    PARSER.choice("grid", Grid.class, Grid::wireName, (b, v) -> b.params.grid(v));
    PARSER.number("epsilon", (b, v) -> b.params.epsilon(EmdParams.checkEpsilon(v)));
    PARSER.integer(
        "max_iterations", (b, v) -> b.params.maxIterations(EmdParams.checkMaxIterations(v)));
    PARSER.number("tolerance", (b, v) -> b.params.tolerance(EmdParams.checkTolerance(v)));
    PARSER.integer("flows", (b, v) -> b.params.flows(EmdParams.checkFlows(v)));
    PARSER.bool("centre_patches", (b, v) -> b.params.centrePatches(v));
    FaceInput.declare(PARSER, b -> b.input);
  }

  /** A number in [0, 1], or null for {@code "auto"}. */
  private static Double readAlpha(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() == XContentParser.Token.VALUE_NUMBER) {
      return EmdParams.checkAlpha(parser.doubleValue());
    }
    String expected = "a number in [0, 1] or \"" + AUTO + "\"";
    if (parser.currentToken() != XContentParser.Token.VALUE_STRING) {
      throw Values.wrongType(parser, option, expected);
    }
    if (!AUTO.equals(parser.text())) {
      throw new IllegalArgumentException(
          "[" + option + "] must be " + expected + ", got [" + parser.text() + "]");
    }
    return null;
  }

  /**
   * Parses the body of {@code face_emd}; an unknown option, a value of the wrong type or out of
   * range is a {@link org.opensearch.core.common.ParsingException} (HTTP 400) naming the option.
   */
  public static FaceEmdRescorerBuilder fromXContent(XContentParser parser, QueryFaces queryFaces)
      throws IOException {
    return fromXContent(parser, queryFaces, new RescoreLimits(RescoreLimits.DEFAULT_MAX_WORK));
  }

  /** As {@link #fromXContent(XContentParser, QueryFaces)}, bounded by the node's {@code limits}. */
  public static FaceEmdRescorerBuilder fromXContent(
      XContentParser parser, QueryFaces queryFaces, RescoreLimits limits) throws IOException {
    return PARSER.parse(parser, new Body(), body -> body.build(queryFaces, limits));
  }

  @Override
  public boolean equals(Object o) {
    if (!super.equals(o)) {
      return false;
    }
    FaceEmdRescorerBuilder other = (FaceEmdRescorerBuilder) o;
    return field.equals(other.field)
        && params.equals(other.params)
        && autoAlpha == other.autoAlpha
        && Objects.equals(input, other.input)
        && Objects.equals(face, other.face);
  }

  @Override
  public int hashCode() {
    return Objects.hash(super.hashCode(), field, params, autoAlpha, input, face);
  }
}
