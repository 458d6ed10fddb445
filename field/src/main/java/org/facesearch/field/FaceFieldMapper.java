package org.facesearch.field;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.facesearch.field.codec.FaceIndexSettings;
import org.facesearch.option.EnumOption;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.facesearch.vectors.UnitVectors;
import org.opensearch.core.xcontent.XContentParseException;
import org.opensearch.index.mapper.FieldMapper;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.ParametrizedFieldMapper;
import org.opensearch.index.mapper.ParseContext;

/**
 * The {@code face} field type. A document gives it the object the {@code face_embedding} processor
 * writes (or a bare embedding array); the mapper stores the unit embedding in HNSW, the patch map
 * in binary doc values (re-encoded as the mapping's {@code patch_encoding}), and {@code ers},
 * {@code detection_score} and {@code model} as float and keyword sub-fields that range queries,
 * sorting and aggregations use under {@code <field>.ers} and so on.
 */
public final class FaceFieldMapper extends ParametrizedFieldMapper {

  /**
   * Options other field types take that a face field does not: refused when the mapping is made
   * rather than ignored (a face is always indexed, kept in doc values and not stored; multi-fields
   * and copy_to would receive a face object no other field type can read).
   */
  static final Map<String, String> UNSUPPORTED_OPTIONS =
      Map.of(
          "index", "a face is always indexed (HNSW graph and sub-fields)",
          "doc_values", "a face always keeps its patch map and sub-fields in doc values",
          "store", "a face is never a stored field; its searchable parts are its sub-fields",
          "fields", "a face object cannot be indexed as another field type",
          "copy_to", "a face object cannot be copied into another field",
          "boost", "a face has no index-time boost",
          "index_options", "a face has no postings",
          "similarity", "a face is scored by cosine, with the face query");

  /** Parses a face mapping, refusing the options of {@link #UNSUPPORTED_OPTIONS} by name. */
  public static final Mapper.TypeParser PARSER =
      new Mapper.TypeParser() {
        private final TypeParser parametrized =
            new TypeParser((name, context) ->
                new Builder(name, FaceIndexSettings.codecApplies(context.getSettings())));

        @Override
        public Mapper.Builder<?> parse(
            String name, Map<String, Object> node, ParserContext parserContext) {
          for (String option : node.keySet()) {
            String why = UNSUPPORTED_OPTIONS.get(option);
            if (why != null) {
              throw new MapperParsingException(
                  "[" + option + "] is not an option of face field [" + name + "]: " + why);
            }
          }
          return parametrized.parse(name, node, parserContext);
        }
      };

  private static FaceFieldMapper toType(FieldMapper in) {
    return (FaceFieldMapper) in;
  }

  /** Builds a face field from its mapping options. */
  public static final class Builder extends ParametrizedFieldMapper.Builder {

    private final Parameter<Integer> dims =
        Parameter.intParam("dims", false, m -> toType(m).fieldType().dims(), 512)
            .setValidator(v -> checkRange("dims", v, 1, 1024));
    private final Parameter<List<Integer>> patchGrid =
        new Parameter<List<Integer>>(
                "patch_grid",
                false,
                () -> List.of(7, 7),
                (n, c, o) -> parseGrid(o),
                m -> List.of(toType(m).fieldType().patchRows(), toType(m).fieldType().patchCols()))
            .setSerializer((b, n, v) -> b.field(n, v), Object::toString);
    private final Parameter<Integer> patchDims =
        Parameter.intParam("patch_dims", false, m -> toType(m).fieldType().patchDims(), 512)
            .setValidator(v -> checkRange("patch_dims", v, 1, 1 << 16));
    private final Parameter<String> patchEncoding =
        Parameter.restrictedStringParam(
            "patch_encoding",
            false,
            m -> toType(m).fieldType().patchEncoding().displayName(),
            "float16",
            "float32",
            "int8");
    private final Parameter<String> embeddingEncoding =
        Parameter.restrictedStringParam(
            "embedding_encoding",
            false,
            m -> toType(m).fieldType().embeddingEncoding().displayName(),
            "float32",
            "int8");
    private final Parameter<HnswOptions> hnsw =
        new Parameter<HnswOptions>(
                "hnsw",
                false,
                () -> HnswOptions.DEFAULT,
                (n, c, o) -> HnswOptions.parse(o),
                m -> toType(m).fieldType().hnsw())
            .setSerializer(
                (b, n, v) ->
                    b.startObject(n)
                        .field("m", v.m())
                        .field("ef_construction", v.efConstruction())
                        .endObject(),
                Object::toString);
    private final Parameter<Boolean> sourceVectors =
        Parameter.boolParam(
            "source_vectors", false, m -> toType(m).fieldType().sourceVectors(), false);
    private final Parameter<Map<String, String>> meta = Parameter.metaParam();

    private final boolean faceCodec;

    /**
     * @param faceCodec whether the index uses the face codec; without it only Lucene's default HNSW
     *     parameters and float32 embeddings can be honoured, so asking for others is an error
     */
    public Builder(String name, boolean faceCodec) {
      super(name);
      this.faceCodec = faceCodec;
    }

    @Override
    protected List<Parameter<?>> getParameters() {
      return List.of(
          dims, patchGrid, patchDims, patchEncoding, embeddingEncoding, hnsw, sourceVectors, meta);
    }

    @Override
    public FaceFieldMapper build(BuilderContext context) {
      if (!faceCodec
          && (!hnsw.getValue().equals(HnswOptions.DEFAULT)
              || !"float32".equals(embeddingEncoding.getValue()))) {
        throw new IllegalArgumentException(
            "[hnsw] and [embedding_encoding] of face field ["
                + name
                + "] need the face codec, which this index does not "
                + "use (index.knn is true, index.face.codec is false, or index.codec is not one of "
                + FaceIndexSettings.CODECS
                + ")");
      }
      FaceFieldType type =
          new FaceFieldType(
              buildFullName(context),
              dims.getValue(),
              patchGrid.getValue().get(0),
              patchGrid.getValue().get(1),
              patchDims.getValue(),
              EnumOption.parse("patch_encoding", patchEncoding.getValue(), PatchEncoding.class),
              EnumOption.parse(
                  "embedding_encoding", embeddingEncoding.getValue(), EmbeddingEncoding.class),
              hnsw.getValue(),
              sourceVectors.getValue(),
              meta.getValue());
      context.path().add(name);
      SubFields subFields =
          new SubFields(
              FaceSubFieldMapper.number(FaceLayout.ERS, context),
              FaceSubFieldMapper.number(FaceLayout.DETECTION_SCORE, context),
              FaceSubFieldMapper.keyword(FaceLayout.MODEL, context),
              FaceSubFieldMapper.patches(
                  FaceLayout.PATCHES,
                  context,
                  FaceIndexSettings.RAW_FEATURES_READABLE.get(context.indexSettings())));
      context.path().remove();
      return new FaceFieldMapper(
          name, type, subFields, multiFieldsBuilder.build(this, context), copyTo.build(), this);
    }

    private static List<Integer> parseGrid(Object value) {
      if (value instanceof List<?> list && list.size() == 2) {
        int rows = HnswOptions.intValue("patch_grid", list.get(0));
        int cols = HnswOptions.intValue("patch_grid", list.get(1));
        checkRange("patch_grid", rows, 1, 255);
        checkRange("patch_grid", cols, 1, 255);
        return List.of(rows, cols);
      }
      throw new IllegalArgumentException("[patch_grid] must be [rows, cols], got [" + value + "]");
    }

    private static void checkRange(String option, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            "[" + option + "] must be between " + min + " and " + max + ", got [" + value + "]");
      }
    }
  }

  /** The ordinary fields a face carries besides its embedding. */
  private record SubFields(
      FaceSubFieldMapper ers,
      FaceSubFieldMapper detectionScore,
      FaceSubFieldMapper model,
      FaceSubFieldMapper patches) {
    List<Mapper> all() {
      return List.of(ers, detectionScore, model, patches);
    }
  }

  private final SubFields subFields;
  private final boolean faceCodec;

  private FaceFieldMapper(
      String simpleName,
      FaceFieldType type,
      SubFields subFields,
      MultiFields multiFields,
      CopyTo copyTo,
      Builder builder) {
    super(simpleName, type, multiFields, copyTo);
    this.subFields = subFields;
    this.faceCodec = builder.faceCodec;
  }

  @Override
  public FaceFieldType fieldType() {
    return (FaceFieldType) super.fieldType();
  }

  @Override
  public boolean parsesArrayValue() {
    return true;
  }

  @Override
  protected String contentType() {
    return FaceFieldType.CONTENT_TYPE;
  }

  @Override
  public ParametrizedFieldMapper.Builder getMergeBuilder() {
    return new Builder(simpleName(), faceCodec).init(this);
  }

  @Override
  public Iterator<Mapper> iterator() {
    // The sub-fields are registered with the mapping so that queries, sorts and aggregations find
    // them.
    List<Mapper> mappers = new ArrayList<>(subFields.all());
    super.iterator().forEachRemaining(mappers::add);
    return mappers.iterator();
  }

  /**
   * Parses the face without OpenSearch's value preview: on a failure FieldMapper would quote the
   * value at the parser (a patch map, an embedding) in its message and bury the reason in the
   * cause. This mapper's own exceptions name the field and the problem and never a value.
   */
  @Override
  public void parse(ParseContext context) throws IOException {
    parseCreateField(context);
  }

  @Override
  protected void parseCreateField(ParseContext context) throws IOException {
    FaceFieldType type = fieldType();
    String name = type.name();
    try {
      if (FaceLayout.hasFace(context.doc(), name)) {
        throw new IllegalArgumentException(
            "["
                + name
                + "] holds one face per document; for photos with several faces use faces: \"all\" "
                + "in the processor and a nested mapping");
      }
      FaceValue face = FaceValue.parse(name, context.parser());
      FaceLayout.addEmbedding(context.doc(), name, unitEmbedding(face.embedding()));
      if (face.patches() != null) {
        FaceLayout.addPatches(context.doc(), name, storedPatches(face.patches()));
      }
      if (face.ers() != null) {
        checkUnitInterval(subFields.ers().name(), face.ers());
        FaceLayout.addFloat(context.doc(), subFields.ers().name(), face.ers());
      }
      if (face.detectionScore() != null) {
        checkUnitInterval(subFields.detectionScore().name(), face.detectionScore());
        FaceLayout.addFloat(
            context.doc(), subFields.detectionScore().name(), face.detectionScore());
      }
      if (face.model() != null) {
        FaceLayout.addKeyword(context.doc(), subFields.model().name(), face.model());
      }
    } catch (IOException | XContentParseException e) {
      // A malformed value the parser could not read: its message may quote the value (a patch map,
      // an embedding), so only the kind of failure is passed on.
      throw new MapperParsingException(
          "failed to parse face field ["
              + name
              + "]: "
              + e.getClass().getSimpleName()
              + " while reading the face");
    } catch (IllegalArgumentException e) {
      throw new MapperParsingException(
          "failed to parse face field [" + name + "]: " + e.getMessage(), e);
    }
  }

  /**
   * Checks length and values and returns the embedding scaled to unit length (cosine is
   * scale-free).
   */
  private float[] unitEmbedding(float[] embedding) {
    int dims = fieldType().dims();
    String name = fieldType().name();
    if (embedding.length != dims) {
      throw new IllegalArgumentException(
          "[" + name + ".embedding] must have " + dims + " values, got " + embedding.length);
    }
    for (int i = 0; i < embedding.length; i++) {
      if (!Float.isFinite(embedding[i])) {
        // Only NaN or an infinity can be quoted here, which says nothing about a face.
        throw new IllegalArgumentException(
            "[" + name + ".embedding] value [" + i + "] is not finite: " + embedding[i]);
      }
    }
    float[] unit = UnitVectors.unitCopy(embedding);
    if (unit == null) {
      throw new IllegalArgumentException(
          "[" + name + ".embedding] is all zeros and has no direction");
    }
    return unit;
  }

  /** Checks the encoded patch map against the mapping and re-encodes it as the mapping asks. */
  private byte[] storedPatches(byte[] encoded) {
    FaceFieldType type = fieldType();
    String field = type.patchesField();
    PatchMap map;
    try {
      map = PatchEncoding.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("[" + field + "] " + e.getMessage(), e);
    }
    if (map.rows() != type.patchRows()
        || map.cols() != type.patchCols()
        || map.dims() != type.patchDims()) {
      throw new IllegalArgumentException(
          "["
              + field
              + "] has shape ["
              + map.rows()
              + "x"
              + map.cols()
              + "x"
              + map.dims()
              + "] but the mapping says ["
              + type.patchRows()
              + "x"
              + type.patchCols()
              + "x"
              + type.patchDims()
              + "]");
    }
    PatchEncoding given = PatchEncoding.of(encoded, 0, encoded.length);
    return given == type.patchEncoding() ? encoded : type.patchEncoding().encode(map);
  }

  private static void checkUnitInterval(String field, float value) {
    if (!(value >= 0f && value <= 1f)) {
      throw new IllegalArgumentException("[" + field + "] must be between 0 and 1, got " + value);
    }
  }
}
