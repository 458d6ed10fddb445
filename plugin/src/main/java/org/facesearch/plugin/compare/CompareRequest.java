package org.facesearch.plugin.compare;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.facesearch.body.BodyParser;
import org.facesearch.body.ImageValue;
import org.facesearch.body.Values;
import org.facesearch.emd.EmdParams;
import org.facesearch.emd.Grid;
import org.facesearch.emd.Weighting;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.queryface.FaceInput;
import org.opensearch.core.xcontent.XContentParser;

/**
 * The body of {@code POST _plugins/face/_compare}: the two faces {@code a} and {@code b}, the
 * threshold (a false-match rate {@code fmr}, or a cosine {@code min_similarity}), the
 * recognizability threshold {@code min_ers}, the {@code model}, and the stage-2 options of the
 * {@code face_emd} rescorer ({@code alpha}, {@code weighting}, {@code grid}, {@code epsilon},
 * {@code max_iterations}, {@code tolerance}, {@code flows}, {@code centre_patches}), parsed
 * strictly: an unknown option, a value of the wrong type or out of range is a 400 naming it.
 *
 * @param fmr the false-match rate asked for, or null (then {@code minSimilarity} is set, or the
 *     default rate applies)
 * @param minSimilarity the cosine threshold asked for, or null
 * @param minErs the recognizability threshold asked for, or null for the model's
 * @param autoAlpha whether alpha is chosen from face a's occlusion evidence ({@code alpha: auto})
 */
record CompareRequest(
    Side a,
    Side b,
    Double fmr,
    Float minSimilarity,
    Float minErs,
    String model,
    EmdParams params,
    boolean autoAlpha) {

  /** The false-match rate a comparison decides at when the request names no threshold. */
  static final double DEFAULT_FMR = 1e-4;

  /** Flows a comparison reports (and its picture draws) when the request does not say. */
  static final int DEFAULT_FLOWS = 5;

  /**
   * What stands for one face: a photo, a stored face, or an embedding (with its encoded patches, or
   * without).
   */
  record Side(
      String name,
      byte[] image,
      EncodeMode mode,
      float[] embedding,
      byte[] patches,
      String index,
      String id,
      String field,
      String routing) {

    boolean isImage() {
      return image != null;
    }

    boolean isStored() {
      return index != null;
    }

    /**
     * What the side is, in words ({@code a photo}, {@code stored face [x]/[y]}, {@code an
     * embedding}).
     */
    String describe() {
      return isImage()
          ? "photo"
          : isStored() ? "stored face [" + index + "][" + id + "]" : "embedding";
    }
  }

  /** The options of one side, collected before they are checked. */
  private static final class SideBody {
    private final String name;
    private byte[] image;
    private EncodeMode mode;
    private float[] embedding;
    private byte[] patches;
    private String index;
    private String id;
    private String field;
    private String routing;

    SideBody(String name) {
      this.name = name;
    }

    Side build() {
      List<String> given = new ArrayList<>();
      if (image != null) {
        given.add("image");
      }
      if (embedding != null) {
        given.add("embedding");
      }
      if (index != null || id != null) {
        given.add("index and id");
      }
      if (given.isEmpty()) {
        throw new IllegalArgumentException(
            "give the face as [image] (a photo), [index] and [id] (a stored face) or [embedding] (with [patches])");
      }
      if (given.size() > 1) {
        throw new IllegalArgumentException(
            "give only one of [image], [index] and [id], or [embedding], not " + given);
      }
      if ((index == null) != (id == null)) {
        throw new IllegalArgumentException("a stored face needs both [index] and [id]");
      }
      if (index == null && (field != null || routing != null)) {
        throw new IllegalArgumentException(
            "[field] and [routing] go with [index] and [id] (a stored face)");
      }
      if (patches != null && embedding == null) {
        throw new IllegalArgumentException(
            "[patches] go with an [embedding]; a photo or a stored face brings its own");
      }
      if (mode != null && image == null) {
        throw new IllegalArgumentException("[mode] goes with [image]");
      }
      if (embedding != null) {
        for (int i = 0; i < embedding.length; i++) {
          if (!Float.isFinite(embedding[i])) {
            throw new IllegalArgumentException(
                "[embedding] value [" + i + "] is not finite: " + embedding[i]);
          }
        }
      }
      return new Side(
          name,
          image,
          mode == null ? FaceInput.DEFAULT_MODE : mode,
          embedding,
          patches,
          index,
          id,
          field == null ? "face" : field,
          routing);
    }
  }

  private static BodyParser<SideBody> sideParser(String name) {
    return new BodyParser<SideBody>(name, "[" + name + "]")
        .declare("image", ImageValue::read, (s, v) -> s.image = v)
        .choice("mode", EncodeMode.class, (s, v) -> s.mode = v)
        .declare("embedding", FaceInput::readEmbedding, (s, v) -> s.embedding = v)
        .declare("patches", CompareRequest::readPatches, (s, v) -> s.patches = v)
        .string("index", (s, v) -> s.index = v)
        .string("id", (s, v) -> s.id = v)
        .string("field", (s, v) -> s.field = v)
        .string("routing", (s, v) -> s.routing = v);
  }

  private static final BodyParser<SideBody> SIDE_A = sideParser("a");
  private static final BodyParser<SideBody> SIDE_B = sideParser("b");

  private static byte[] readPatches(XContentParser parser, String option) throws IOException {
    String base64 = Values.string(parser, option);
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "[" + option + "] is not valid base64: " + e.getMessage(), e);
    }
  }

  private static Side readSide(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
      throw Values.wrongType(
          parser,
          option,
          "an object: {\"image\": ...}, {\"index\": ..., \"id\": ...} or {\"embedding\": [...]}");
    }
    BodyParser<SideBody> sideParser = option.equals("a") ? SIDE_A : SIDE_B;
    try {
      return sideParser.parse(parser, new SideBody(option), SideBody::build);
    } catch (org.opensearch.core.common.ParsingException e) {
      // The side's own message ("[a]: ..."), as this body's reason rather than a cause behind it.
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The options of the body, collected before they are checked. */
  private static final class Body {
    private Side a;
    private Side b;
    private Double fmr;
    private Float minSimilarity;
    private Float minErs;
    private String model = FaceInput.DEFAULT_MODEL;
    private final EmdParams.Builder params = EmdParams.builder().flows(DEFAULT_FLOWS);
    private boolean autoAlpha;

    private CompareRequest build() {
      if (a == null || b == null) {
        throw new IllegalArgumentException("[a] and [b], the two faces to compare, are required");
      }
      if (fmr != null && minSimilarity != null) {
        throw new IllegalArgumentException(
            "give [fmr] (a false-match rate) or [min_similarity] (a cosine), not both");
      }
      return new CompareRequest(a, b, fmr, minSimilarity, minErs, model, params.build(), autoAlpha);
    }
  }

  private static final BodyParser<Body> PARSER =
      new BodyParser<Body>("_compare", "[_compare]")
          .declare("a", CompareRequest::readSide, (b, v) -> b.a = v)
          .declare("b", CompareRequest::readSide, (b, v) -> b.b = v)
          .number(
              "fmr",
              (b, v) -> {
                if (!(v > 0 && v < 1)) {
                  throw new IllegalArgumentException(
                      "[fmr] must be a false-match rate between 0 and 1, such as 1e-4, got ["
                          + v
                          + "]");
                }
                b.fmr = v;
              })
          .number(
              "min_similarity",
              (b, v) -> {
                if (!(v >= -1 && v <= 1)) {
                  throw new IllegalArgumentException(
                      "[min_similarity] must be a cosine between -1 and 1, got [" + v + "]");
                }
                b.minSimilarity = v.floatValue();
              })
          .number(
              "min_ers",
              (b, v) -> {
                if (!(v >= 0 && v <= 1)) {
                  throw new IllegalArgumentException(
                      "[min_ers] must be between 0 and 1, got [" + v + "]");
                }
                b.minErs = v.floatValue();
              })
          .string("model", (b, v) -> b.model = v)
          .declare(
              "alpha",
              CompareRequest::readAlpha,
              (b, alpha) -> {
                b.autoAlpha = alpha == null;
                b.params.alpha(alpha == null ? EmdParams.DEFAULT_ALPHA : alpha);
              })
          .choice(
              "weighting", Weighting.class, Weighting::wireName, (b, v) -> b.params.weighting(v))
          .choice("grid", Grid.class, Grid::wireName, (b, v) -> b.params.grid(v))
          .number("epsilon", (b, v) -> b.params.epsilon(EmdParams.checkEpsilon(v)))
          .integer(
              "max_iterations", (b, v) -> b.params.maxIterations(EmdParams.checkMaxIterations(v)))
          .number("tolerance", (b, v) -> b.params.tolerance(EmdParams.checkTolerance(v)))
          .integer("flows", (b, v) -> b.params.flows(EmdParams.checkFlows(v)))
          .bool("centre_patches", (b, v) -> b.params.centrePatches(v));

  /** A number in [0, 1], or null for {@code "auto"} (as the {@code face_emd} rescorer reads it). */
  private static Double readAlpha(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() == XContentParser.Token.VALUE_NUMBER) {
      return EmdParams.checkAlpha(parser.doubleValue());
    }
    String expected = "a number in [0, 1] or \"auto\"";
    if (parser.currentToken() != XContentParser.Token.VALUE_STRING) {
      throw Values.wrongType(parser, option, expected);
    }
    if (!"auto".equals(parser.text())) {
      throw new IllegalArgumentException(
          "[" + option + "] must be " + expected + ", got [" + parser.text() + "]");
    }
    return null;
  }

  /**
   * Parses a body; a refusal is a {@link org.opensearch.core.common.ParsingException} (HTTP 400)
   * naming the option.
   */
  static CompareRequest parse(XContentParser parser) throws IOException {
    return PARSER.parse(parser, new Body(), Body::build);
  }
}
