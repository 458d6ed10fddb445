package org.facesearch.queryface;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.facesearch.body.BodyParser;
import org.facesearch.body.ImageValue;
import org.facesearch.body.Values;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.patches.PatchEncoding;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;

/**
 * What a user gives to stand for the query face: an {@code embedding} (optionally with its encoded
 * {@code patches}, base64, for stage 2), one {@code image}, or several {@code images} of one person
 * (combined into an ERS-weighted template), with the encoding {@code mode} and {@code model}.
 * Shared by the face query and the face_emd rescorer. Images are held decoded (given as base64 or
 * as {@code data:} URIs, see {@link ImageValue}) and written back as base64.
 */
public record FaceInput(
    float[] embedding,
    byte[] patches,
    List<byte[]> images,
    boolean template,
    EncodeMode mode,
    String model)
    implements Writeable {

  public static final String DEFAULT_MODEL = "default";
  public static final EncodeMode DEFAULT_MODE = EncodeMode.DETECT;

  public FaceInput {
    if (patches != null && embedding == null) {
      throw new IllegalArgumentException(
          "[patches] go with an [embedding]; images bring their own");
    }
    if ((embedding == null) == (images == null)) {
      throw new IllegalArgumentException("give exactly one of [embedding], [image] or [images]");
    }
    if (images != null && images.isEmpty()) {
      throw new IllegalArgumentException("[images] must hold at least one image");
    }
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(model, "model");
    if (embedding != null) {
      for (int i = 0; i < embedding.length; i++) {
        if (!Float.isFinite(embedding[i])) {
          throw new IllegalArgumentException(
              "[embedding] value [" + i + "] is not finite: " + embedding[i]);
        }
      }
    }
    images = images == null ? null : List.copyOf(images);
  }

  /** An embedding (with its encoded patches, or null), the default mode and model. */
  public static FaceInput ofEmbedding(float[] embedding, byte[] patches) {
    return new FaceInput(embedding, patches, null, false, DEFAULT_MODE, DEFAULT_MODEL);
  }

  /** One image, the default mode and model. */
  public static FaceInput ofImage(byte[] image) {
    return new FaceInput(null, null, List.of(image), false, DEFAULT_MODE, DEFAULT_MODEL);
  }

  public static FaceInput readFrom(StreamInput in) throws IOException {
    float[] embedding = in.readBoolean() ? in.readFloatArray() : null;
    byte[] patches = in.readBoolean() ? in.readByteArray() : null;
    List<byte[]> images = in.readBoolean() ? in.readList(StreamInput::readByteArray) : null;
    return new FaceInput(
        embedding,
        patches,
        images,
        in.readBoolean(),
        in.readEnum(EncodeMode.class),
        in.readString());
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
      out.writeCollection(images, StreamOutput::writeByteArray);
    }
    out.writeBoolean(template);
    out.writeEnum(mode);
    out.writeString(model);
  }

  /**
   * Declares the input options ({@code embedding}, {@code patches}, {@code image}, {@code images},
   * {@code mode}, {@code model}) on the parser of a body that takes a query face.
   */
  public static <T> void declare(BodyParser<T> parser, Function<T, Builder> input) {
    parser.declare("embedding", FaceInput::readEmbedding, (t, v) -> input.apply(t).embedding(v));
    parser.declare(
        "patches",
        (p, option) -> {
          String base64 = Values.string(p, option);
          byte[] bytes;
          try {
            bytes = Base64.getDecoder().decode(base64);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "[patches] is not valid base64: " + e.getMessage(), e);
          }
          // Checked here, where the user can be told which option is wrong, not on each shard.
          try {
            PatchEncoding.decode(bytes);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[patches] " + e.getMessage(), e);
          }
          return bytes;
        },
        (t, v) -> input.apply(t).patches(v));
    parser.declare("image", ImageValue::read, (t, v) -> input.apply(t).image(v));
    parser.declare("images", FaceInput::readImages, (t, v) -> input.apply(t).images(v));
    parser.choice("mode", EncodeMode.class, (t, v) -> input.apply(t).mode(v));
    parser.string("model", (t, v) -> input.apply(t).model(v));
  }

  /**
   * Reads an embedding: an array of numbers (a number given as a string, such as "NaN", is read and
   * then refused by name if not finite).
   */
  public static float[] readEmbedding(XContentParser parser, String option) throws IOException {
    Values.startArray(parser, option, "numbers");
    List<Float> values = new ArrayList<>();
    for (XContentParser.Token t = parser.nextToken();
        t != XContentParser.Token.END_ARRAY;
        t = parser.nextToken()) {
      if (t == XContentParser.Token.VALUE_NUMBER) {
        values.add(parser.floatValue());
      } else if (t == XContentParser.Token.VALUE_STRING) {
        try {
          values.add(
              Float.parseFloat(parser.text())); // "NaN" and "Infinity" are then refused by name
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "[embedding] value [" + values.size() + "] must be a number, got a string", e);
        }
      } else {
        throw Values.wrongType(parser, "embedding] value [" + values.size(), "a number");
      }
    }
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static List<byte[]> readImages(XContentParser parser, String option) throws IOException {
    Values.startArray(parser, option, "images (base64 strings or data: URIs)");
    List<byte[]> images = new ArrayList<>();
    for (XContentParser.Token t = parser.nextToken();
        t != XContentParser.Token.END_ARRAY;
        t = parser.nextToken()) {
      images.add(
          ImageValue.read(parser, option + "][" + images.size())); // named [images][i] in messages
    }
    return images;
  }

  /** Collects the input options of a body; {@link #build} checks that they make one query face. */
  public static final class Builder {
    private float[] embedding;
    private byte[] patches;
    private List<byte[]> images;
    private boolean template;
    private EncodeMode mode = DEFAULT_MODE;
    private String model = DEFAULT_MODEL;
    private final List<String> faces = new ArrayList<>();
    private boolean encodingGiven;

    public Builder embedding(float[] embedding) {
      this.embedding = embedding;
      faces.add("embedding");
      return this;
    }

    public Builder patches(byte[] patches) {
      this.patches = patches;
      return this;
    }

    public Builder image(byte[] image) {
      this.images = List.of(image);
      this.template = false;
      faces.add("image");
      return this;
    }

    public Builder images(List<byte[]> images) {
      this.images = images;
      this.template = true;
      faces.add("images");
      return this;
    }

    public Builder mode(EncodeMode mode) {
      this.mode = mode;
      encodingGiven = true;
      return this;
    }

    public Builder model(String model) {
      this.model = model;
      encodingGiven = true;
      return this;
    }

    /** Whether {@code mode} or {@code model} was given. */
    public boolean encodingGiven() {
      return encodingGiven;
    }

    /**
     * Whether a query face was given: an embedding, patches, an image or images (mode and model
     * alone are not one).
     */
    public boolean given() {
      return !faces.isEmpty() || patches != null;
    }

    public FaceInput build() {
      if (faces.size() > 1) {
        throw new IllegalArgumentException(
            "give only one of [embedding], [image] or [images], not " + faces);
      }
      return new FaceInput(embedding, patches, images, template, mode, model);
    }
  }

  /** Writes the input options into a body being rendered. */
  public void toXContent(XContentBuilder builder) throws IOException {
    if (embedding != null) {
      builder.array("embedding", embedding);
      if (patches != null) {
        builder.field("patches", Base64.getEncoder().encodeToString(patches));
      }
    } else if (template) {
      builder.startArray("images");
      for (byte[] image : images) {
        builder.value(Base64.getEncoder().encodeToString(image));
      }
      builder.endArray();
    } else {
      builder.field("image", Base64.getEncoder().encodeToString(images.get(0)));
    }
    builder.field("mode", mode.toString()).field("model", model);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FaceInput f)
        || f.images == null != (images == null)
        || images != null && f.images.size() != images.size()) {
      return false;
    }
    if (images != null) {
      for (int i = 0; i < images.size(); i++) {
        if (!Arrays.equals(images.get(i), f.images.get(i))) {
          return false;
        }
      }
    }
    return Arrays.equals(embedding, f.embedding)
        && Arrays.equals(patches, f.patches)
        && template == f.template
        && mode == f.mode
        && model.equals(f.model);
  }

  @Override
  public int hashCode() {
    int imagesHash = 0;
    if (images != null) {
      for (byte[] image : images) {
        imagesHash = 31 * imagesHash + Arrays.hashCode(image);
      }
    }
    return Objects.hash(
        Arrays.hashCode(embedding), Arrays.hashCode(patches), imagesHash, template, mode, model);
  }

  /**
   * Says what kind of input this is, never its content (photos and embeddings are biometric data).
   */
  @Override
  public String toString() {
    String kind =
        embedding != null
            ? "embedding[" + embedding.length + "]" + (patches != null ? "+patches" : "")
            : template ? "images[" + images.size() + "]" : "image";
    return "FaceInput{" + kind + ", mode=" + mode + ", model=" + model + "}";
  }
}
