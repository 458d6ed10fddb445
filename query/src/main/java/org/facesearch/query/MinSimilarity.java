package org.facesearch.query;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import org.facesearch.body.Values;
import org.facesearch.queryface.QueryFaces;
import org.facesearch.verification.VerificationCalibration;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;

/**
 * The threshold of a face query's threshold form ({@code min_similarity}): a cosine, or a
 * false-match rate ({@code {"fmr": 1e-4}}) that the coordinating node turns into the cosine of the
 * model's verification calibration before the shards search. Immutable: resolving makes a new one.
 */
public final class MinSimilarity implements Writeable {

  /** The response header that names the cosine a false-match rate chose. */
  public static final String HEADER = "X-Face-Min-Similarity";

  private final Float cosine;
  private final Double fmr;
  private final String model;

  private MinSimilarity(Float cosine, Double fmr, String model) {
    this.cosine = cosine;
    this.fmr = fmr;
    this.model = model;
  }

  /** A threshold given as a cosine in [-1, 1]. */
  public static MinSimilarity cosine(double cosine) {
    if (!(cosine >= -1 && cosine <= 1)) {
      throw new IllegalArgumentException(
          "[min_similarity] must be a cosine between -1 and 1, got [" + cosine + "]");
    }
    return new MinSimilarity((float) cosine, null, null);
  }

  /**
   * A threshold given as a false-match rate in (0, 1); the model's calibrated range is checked when
   * it is resolved.
   */
  public static MinSimilarity fmr(double fmr) {
    if (!(fmr > 0 && fmr < 1)) {
      throw new IllegalArgumentException(
          "[min_similarity] [fmr] must be a false-match rate between 0 and 1, such as 1e-4, got ["
              + fmr
              + "]");
    }
    return new MinSimilarity(null, fmr, null);
  }

  public static MinSimilarity readFrom(StreamInput in) throws IOException {
    return new MinSimilarity(
        in.readOptionalFloat(), in.readOptionalDouble(), in.readOptionalString());
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeOptionalFloat(cosine);
    out.writeOptionalDouble(fmr);
    out.writeOptionalString(model);
  }

  /** The false-match rate given, or null when the threshold was given as a cosine. */
  public Double fmr() {
    return fmr;
  }

  /** Whether the cosine is known (given, or resolved from the false-match rate). */
  public boolean resolved() {
    return cosine != null;
  }

  /** The cosine threshold. */
  public float threshold() {
    if (cosine == null) {
      throw new IllegalStateException(
          "the false-match rate of [min_similarity] was not resolved before the search");
    }
    return cosine;
  }

  /**
   * The threshold of a false-match rate under a model's calibration.
   *
   * @throws IllegalArgumentException when the rate is outside the calibrated range, naming it
   */
  MinSimilarity resolve(QueryFaces.Verification verification) {
    if (fmr == null) {
      return this;
    }
    double threshold;
    try {
      threshold = verification.calibration().threshold(fmr);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "[min_similarity] " + e.getMessage() + " of model [" + verification.model() + "]", e);
    }
    return new MinSimilarity((float) threshold, fmr, verification.model());
  }

  /** How the threshold was chosen, for explanations; null when the user gave the cosine. */
  String note() {
    return fmr == null
        ? null
        : "the threshold at false-match rate "
            + VerificationCalibration.rate(fmr)
            + " of model ["
            + model
            + "]";
  }

  /** The value of {@link #HEADER} for a search of {@code field}. */
  String header(String field) {
    return String.format(
        Locale.ROOT,
        "field=%s; fmr=%s; min_similarity=%s; model=%s",
        field,
        VerificationCalibration.rate(fmr),
        threshold(),
        model);
  }

  /** Reads {@code min_similarity}: a number (a cosine) or {@code {"fmr": rate}}. */
  static MinSimilarity read(XContentParser parser, String option) throws IOException {
    if (parser.currentToken() == XContentParser.Token.VALUE_NUMBER) {
      return cosine(parser.doubleValue());
    }
    if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
      throw Values.wrongType(
          parser, option, "a cosine or an object with a false-match rate, such as {\"fmr\": 1e-4}");
    }
    Double rate = null;
    for (XContentParser.Token t = parser.nextToken();
        t != XContentParser.Token.END_OBJECT;
        t = parser.nextToken()) {
      String key = parser.currentName();
      parser.nextToken();
      if (!"fmr".equals(key)) {
        throw new IllegalArgumentException(
            "[" + option + "] takes only [fmr] (a false-match rate), got [" + key + "]");
      }
      rate = Values.number(parser, option + "] [fmr");
    }
    if (rate == null) {
      throw new IllegalArgumentException(
          "[" + option + "] as an object needs [fmr], a false-match rate such as 1e-4");
    }
    return fmr(rate);
  }

  /** Writes the threshold as the user gave it. */
  void toXContent(XContentBuilder builder, String option) throws IOException {
    if (fmr != null) {
      builder.startObject(option).field("fmr", fmr).endObject();
    } else {
      builder.field(option, cosine);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MinSimilarity m
        && Objects.equals(cosine, m.cosine)
        && Objects.equals(fmr, m.fmr)
        && Objects.equals(model, m.model);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cosine, fmr, model);
  }

  @Override
  public String toString() {
    return fmr == null
        ? "min_similarity " + cosine
        : "min_similarity fmr "
            + VerificationCalibration.rate(fmr)
            + (cosine == null ? "" : " = " + cosine);
  }
}
