package org.facesearch.plugin.recognizability;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.facesearch.body.BodyParser;
import org.facesearch.body.ImageValue;
import org.facesearch.body.Values;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.option.EnumOption;
import org.facesearch.queryface.FaceInput;
import org.facesearch.recognizability.Degradations;
import org.facesearch.recognizability.UiCentroids;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;

/**
 * The body of {@code POST _plugins/face/recognizability/_centroid}, checked: either the direct
 * method over posted images or the clustering method over a sample of an index.
 */
record CentroidRequest(
    String model,
    Method method,
    List<byte[]> images,
    EncodeMode mode,
    Set<Degradations.Step> degradations,
    int copies,
    long seed,
    String index,
    String field,
    QueryBuilder query,
    int sampleSize,
    double cut) {

  /** How the centroid is made (docs/algorithms.md section 5). */
  enum Method {
    DIRECT,
    CLUSTERING;

    /** The name in requests: {@code direct} or {@code clustering}. */
    String id() {
      return EnumOption.wireName(this);
    }
  }

  static final int DEFAULT_SAMPLE_SIZE = 2000;
  static final int MAX_COPIES = 100;

  /** The faces the request asks to embed (direct) or cluster (clustering), for the node's bound. */
  long faces() {
    return method == Method.DIRECT ? (long) images.size() * copies : sampleSize;
  }

  /** The options of the body, collected before they are checked together. */
  private static final class Body {
    private String model = FaceInput.DEFAULT_MODEL;
    private Method method;
    private List<byte[]> images;
    private EncodeMode mode = EncodeMode.DETECT;
    private Set<Degradations.Step> degradations;
    private Integer copies;
    private long seed;
    private String index;
    private String field;
    private QueryBuilder query;
    private Integer sampleSize;
    private Double cut;

    private CentroidRequest build() {
      if (method == null) {
        throw new IllegalArgumentException(
            "[method] is required: [direct] (from [images]) or [clustering] (from an [index])");
      }
      if (method == Method.DIRECT) {
        refuse(index != null, "index", method);
        refuse(field != null, "field", method);
        refuse(query != null, "query", method);
        refuse(sampleSize != null, "sample_size", method);
        refuse(cut != null, "cut", method);
        if (images == null || images.isEmpty()) {
          throw new IllegalArgumentException(
              "[images] is required with [method] [direct]: one or more base64 photos of real faces");
        }
        int c = copies == null ? 1 : copies;
        if (c < 1 || c > MAX_COPIES) {
          throw new IllegalArgumentException(
              "[copies] must be between 1 and " + MAX_COPIES + ", got [" + c + "]");
        }
        Set<Degradations.Step> steps =
            degradations == null ? EnumSet.allOf(Degradations.Step.class) : degradations;
        return new CentroidRequest(
            model, method, images, mode, steps, c, seed, null, null, null, 0, 0);
      }
      refuse(images != null, "images", method);
      refuse(degradations != null, "degradations", method);
      refuse(copies != null, "copies", method);
      if (index == null || field == null) {
        throw new IllegalArgumentException(
            "[index] and [field] are required with [method] [clustering]: the index whose stored faces are sampled");
      }
      int n = sampleSize == null ? DEFAULT_SAMPLE_SIZE : sampleSize;
      if (n < 2) {
        throw new IllegalArgumentException("[sample_size] must be at least 2, got [" + n + "]");
      }
      double c = cut == null ? UiCentroids.DEFAULT_CUT : cut;
      if (!(c > 0) || c > 2) {
        throw new IllegalArgumentException(
            "[cut] must be a Euclidean distance between unit embeddings in (0, 2], got ["
                + c
                + "]");
      }
      return new CentroidRequest(
          model, method, null, mode, null, 0, seed, index, field, query, n, c);
    }
  }

  private static final BodyParser<Body> PARSER =
      new BodyParser<Body>("_centroid", "[_centroid]")
          .string("model", (b, v) -> b.model = v)
          .choice("method", Method.class, (b, v) -> b.method = v)
          .declare("images", CentroidRequest::readImages, (b, v) -> b.images = v)
          .choice("mode", EncodeMode.class, (b, v) -> b.mode = v)
          .declare("degradations", CentroidRequest::readSteps, (b, v) -> b.degradations = v)
          .integer("copies", (b, v) -> b.copies = v)
          .declare("seed", Values::longInteger, (b, v) -> b.seed = v)
          .string("index", (b, v) -> b.index = v)
          .string("field", (b, v) -> b.field = v)
          .declare("query", CentroidRequest::readQuery, (b, v) -> b.query = v)
          .integer("sample_size", (b, v) -> b.sampleSize = v)
          .number("cut", (b, v) -> b.cut = v);

  /**
   * Parses a body; an unknown option, a value of the wrong type or options that do not go together
   * are a 400 naming them.
   */
  static CentroidRequest parse(XContentParser parser) throws IOException {
    return PARSER.parse(parser, new Body(), Body::build);
  }

  private static void refuse(boolean given, String key, Method method) {
    if (given) {
      throw new IllegalArgumentException(
          "[" + key + "] does not apply to [method] [" + method.id() + "]");
    }
  }

  private static List<byte[]> readImages(XContentParser parser, String option) throws IOException {
    Values.startArray(parser, option, "photos (base64 strings or data: URIs)");
    List<byte[]> out = new ArrayList<>();
    for (XContentParser.Token t = parser.nextToken();
        t != XContentParser.Token.END_ARRAY;
        t = parser.nextToken()) {
      out.add(ImageValue.read(parser, option + "][" + out.size()));
    }
    return out;
  }

  private static Set<Degradations.Step> readSteps(XContentParser parser, String option)
      throws IOException {
    Values.startArray(parser, option, "degradation names");
    Set<Degradations.Step> out = EnumSet.noneOf(Degradations.Step.class);
    for (XContentParser.Token t = parser.nextToken();
        t != XContentParser.Token.END_ARRAY;
        t = parser.nextToken()) {
      out.add(
          EnumOption.parse(
              option, Values.string(parser, option + "][" + out.size()), Degradations.Step.class));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("[degradations] must name at least one degradation");
    }
    return out;
  }

  private static QueryBuilder readQuery(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
      throw Values.wrongType(parser, option, "an object (a query)");
    }
    return AbstractQueryBuilder.parseInnerQueryBuilder(parser);
  }
}
