package org.facesearch.queryface;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;

/**
 * What a user gives to stand for the query face: an {@code embedding} (optionally with its encoded
 * {@code patches}, base64, for stage 2), one {@code image}, or several {@code images} of one person
 * (combined into an ERS-weighted template), with the encoding {@code mode} and {@code model}. Shared
 * by the face query and the face_emd rescorer.
 */
public record FaceInput(float[] embedding, byte[] patches, List<String> images, boolean template, String mode, String model)
    implements Writeable {

  public static final String DEFAULT_MODEL = "default";
  public static final String DEFAULT_MODE = "detect";

  public FaceInput {
    if ((embedding == null) == (images == null)) {
      throw new IllegalArgumentException("give exactly one of [embedding], [image] or [images]");
    }
    if (patches != null && embedding == null) {
      throw new IllegalArgumentException("[patches] go with an [embedding]; images bring their own");
    }
    if (images != null && images.isEmpty()) {
      throw new IllegalArgumentException("[images] must hold at least one image");
    }
    if (!"detect".equals(mode) && !"aligned".equals(mode)) {
      throw new IllegalArgumentException("[mode] must be one of [detect, aligned], got [" + mode + "]");
    }
    if (embedding != null) {
      for (int i = 0; i < embedding.length; i++) {
        if (!Float.isFinite(embedding[i])) {
          throw new IllegalArgumentException("[embedding] value [" + i + "] is not finite: " + embedding[i]);
        }
      }
    }
  }

  public static FaceInput readFrom(StreamInput in) throws IOException {
    float[] embedding = in.readBoolean() ? in.readFloatArray() : null;
    byte[] patches = in.readBoolean() ? in.readByteArray() : null;
    List<String> images = in.readBoolean() ? in.readStringList() : null;
    return new FaceInput(embedding, patches, images, in.readBoolean(), in.readString(), in.readString());
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeBoolean(embedding != null);
    if (embedding != null) {
      out.writeFloatArray(embedding);
    }
    out.writeBoolean(patches != null);
    if (patches != null) {
      out.writeByteArray(patches);
    }
    out.writeBoolean(images != null);
    if (images != null) {
      out.writeStringCollection(images);
    }
    out.writeBoolean(template);
    out.writeString(mode);
    out.writeString(model);
  }

  /** Whether a key of a query or rescorer body belongs to the face input. */
  public static boolean isInputKey(String key) {
    return switch (key) {
      case "embedding", "patches", "image", "images", "mode", "model" -> true;
      default -> false;
    };
  }

  /** Collects input keys while a body is parsed. */
  public static final class Parser {
    private float[] embedding;
    private byte[] patches;
    private List<String> images;
    private boolean template;
    private String mode = DEFAULT_MODE;
    private String model = DEFAULT_MODEL;
    private int given;

    /** Reads the value of {@code key} (one of the input keys) at the parser's current token. */
    public void read(String key, XContentParser parser) throws IOException {
      switch (key) {
        case "embedding" -> {
          embedding = readEmbedding(parser);
          given++;
        }
        case "patches" -> {
          try {
            patches = Base64.getDecoder().decode(parser.text());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[patches] is not valid base64: " + e.getMessage(), e);
          }
        }
        case "image" -> {
          images = List.of(parser.text());
          given++;
        }
        case "images" -> {
          images = new ArrayList<>();
          for (XContentParser.Token t = parser.nextToken(); t != XContentParser.Token.END_ARRAY; t = parser.nextToken()) {
            images.add(parser.text());
          }
          template = true;
          given++;
        }
        case "mode" -> mode = parser.text();
        case "model" -> model = parser.text();
        default -> throw new IllegalArgumentException("[" + key + "] is not a face input key");
      }
    }

    public FaceInput build() {
      if (given > 1) {
        throw new IllegalArgumentException("give only one of [embedding], [image] or [images]");
      }
      return new FaceInput(embedding, patches, images, template, mode, model);
    }

    private static float[] readEmbedding(XContentParser parser) throws IOException {
      if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
        throw new IllegalArgumentException("[embedding] must be an array of numbers");
      }
      List<Float> values = new ArrayList<>();
      for (XContentParser.Token t = parser.nextToken(); t != XContentParser.Token.END_ARRAY; t = parser.nextToken()) {
        if (t == XContentParser.Token.VALUE_NUMBER) {
          values.add(parser.floatValue());
        } else if (t == XContentParser.Token.VALUE_STRING) {
          try {
            values.add(Float.parseFloat(parser.text())); // "NaN" and "Infinity" are then refused by name
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[embedding] value [" + values.size() + "] is not a number: [" + parser.text() + "]", e);
          }
        } else {
          throw new IllegalArgumentException("[embedding] must be an array of numbers, got [" + t + "]");
        }
      }
      float[] out = new float[values.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = values.get(i);
      }
      return out;
    }
  }

  /** Writes the input keys into a body being rendered. */
  public void toXContent(XContentBuilder builder) throws IOException {
    if (embedding != null) {
      builder.array("embedding", embedding);
      if (patches != null) {
        builder.field("patches", Base64.getEncoder().encodeToString(patches));
      }
    } else if (template) {
      builder.array("images", images.toArray(new String[0]));
    } else {
      builder.field("image", images.get(0));
    }
    builder.field("mode", mode).field("model", model);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FaceInput f && Arrays.equals(embedding, f.embedding) && Arrays.equals(patches, f.patches)
        && Objects.equals(images, f.images)
        && template == f.template && mode.equals(f.mode) && model.equals(f.model);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(embedding), Arrays.hashCode(patches), images, template, mode, model);
  }
}
