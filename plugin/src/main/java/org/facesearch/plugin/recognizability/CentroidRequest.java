package org.facesearch.plugin.recognizability;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.facesearch.encoder.EncodeMode;
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

  /** How the centroid is made (ALGORITHMS.md section 4). */
  enum Method {
    DIRECT, CLUSTERING;

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final int DEFAULT_SAMPLE_SIZE = 2000;
  static final int MAX_COPIES = 100;

  /** The faces the request asks to embed (direct) or cluster (clustering), for the node's bound. */
  long faces() {
    return method == Method.DIRECT ? (long) images.size() * copies : sampleSize;
  }

  static CentroidRequest parse(XContentParser parser) throws IOException {
    String model = "default";
    String method = null;
    List<byte[]> images = null;
    EncodeMode mode = EncodeMode.DETECT;
    Set<Degradations.Step> degradations = EnumSet.allOf(Degradations.Step.class);
    boolean degradationsGiven = false;
    Integer copies = null;
    long seed = 0;
    String index = null;
    String field = null;
    QueryBuilder query = null;
    Integer sampleSize = null;
    Double cut = null;
    if (parser.nextToken() != XContentParser.Token.START_OBJECT) {
      throw new IllegalArgumentException("[_centroid] expects a JSON object with [method]");
    }
    for (XContentParser.Token t = parser.nextToken(); t != XContentParser.Token.END_OBJECT; t = parser.nextToken()) {
      String key = parser.currentName();
      XContentParser.Token value = parser.nextToken();
      switch (key) {
        case "model" -> model = parser.text();
        case "method" -> method = parser.text();
        case "images" -> images = images(parser, value);
        case "mode" -> mode = EncodeMode.parse(parser.text());
        case "degradations" -> {
          degradations = steps(parser, value);
          degradationsGiven = true;
        }
        case "copies" -> copies = parser.intValue();
        case "seed" -> seed = parser.longValue();
        case "index" -> index = parser.text();
        case "field" -> field = parser.text();
        case "query" -> query = AbstractQueryBuilder.parseInnerQueryBuilder(parser);
        case "sample_size" -> sampleSize = parser.intValue();
        case "cut" -> cut = parser.doubleValue();
        default -> throw new IllegalArgumentException("[_centroid] does not support [" + key + "]");
      }
    }
    if (method == null) {
      throw new IllegalArgumentException("[_centroid] needs [method]: [direct] (from [images]) or [clustering] (from an [index])");
    }
    Method m = switch (method) {
      case "direct" -> Method.DIRECT;
      case "clustering" -> Method.CLUSTERING;
      default -> throw new IllegalArgumentException("[method] must be [direct] or [clustering], got [" + method + "]");
    };
    if (m == Method.DIRECT) {
      refuse(index != null, "index", m);
      refuse(field != null, "field", m);
      refuse(query != null, "query", m);
      refuse(sampleSize != null, "sample_size", m);
      refuse(cut != null, "cut", m);
      if (images == null || images.isEmpty()) {
        throw new IllegalArgumentException("[images] is required with [method] [direct]: one or more base64 photos of real faces");
      }
      int c = copies == null ? 1 : copies;
      if (c < 1 || c > MAX_COPIES) {
        throw new IllegalArgumentException("[copies] must be between 1 and " + MAX_COPIES + ", got [" + c + "]");
      }
      return new CentroidRequest(model, m, images, mode, degradations, c, seed, null, null, null, 0, 0);
    }
    refuse(images != null, "images", m);
    refuse(degradationsGiven, "degradations", m);
    refuse(copies != null, "copies", m);
    if (index == null || field == null) {
      throw new IllegalArgumentException("[index] and [field] are required with [method] [clustering]: the index whose stored faces are sampled");
    }
    int n = sampleSize == null ? DEFAULT_SAMPLE_SIZE : sampleSize;
    if (n < 2) {
      throw new IllegalArgumentException("[sample_size] must be at least 2, got [" + n + "]");
    }
    double c = cut == null ? UiCentroids.DEFAULT_CUT : cut;
    if (!(c > 0) || c > 2) {
      throw new IllegalArgumentException("[cut] must be a Euclidean distance between unit embeddings in (0, 2], got [" + c + "]");
    }
    return new CentroidRequest(model, m, null, mode, null, 0, seed, index, field, query, n, c);
  }

  private static void refuse(boolean given, String key, Method method) {
    if (given) {
      throw new IllegalArgumentException("[" + key + "] does not apply to [method] [" + method.id() + "]");
    }
  }

  private static List<byte[]> images(XContentParser parser, XContentParser.Token token) throws IOException {
    if (token != XContentParser.Token.START_ARRAY) {
      throw new IllegalArgumentException("[images] must be an array of base64 photos");
    }
    List<byte[]> out = new ArrayList<>();
    for (XContentParser.Token t = parser.nextToken(); t != XContentParser.Token.END_ARRAY; t = parser.nextToken()) {
      if (t != XContentParser.Token.VALUE_STRING) {
        throw new IllegalArgumentException("[images][" + out.size() + "] must be a base64 string");
      }
      try {
        out.add(Base64.getMimeDecoder().decode(parser.text()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("[images][" + out.size() + "] is not valid base64: " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static Set<Degradations.Step> steps(XContentParser parser, XContentParser.Token token) throws IOException {
    if (token != XContentParser.Token.START_ARRAY) {
      throw new IllegalArgumentException("[degradations] must be an array of degradation names");
    }
    Set<Degradations.Step> out = EnumSet.noneOf(Degradations.Step.class);
    for (XContentParser.Token t = parser.nextToken(); t != XContentParser.Token.END_ARRAY; t = parser.nextToken()) {
      try {
        out.add(Degradations.Step.parse(parser.text()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("[degradations] " + e.getMessage(), e);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("[degradations] must name at least one degradation");
    }
    return out;
  }
}
