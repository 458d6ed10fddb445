package org.facesearch.queryface;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.common.io.stream.Writeable;

/**
 * A query face after encoding: its unit embedding, its recognizability (null when the query gave an
 * embedding, which carries no image to judge), the threshold it is judged against, and the encoded
 * patch map for stage 2 (null without an image), and per patch cell the share of the aligned face's
 * pixels there that are painted flat ({@link org.facesearch.recognizability.CellOcclusion}; null
 * without an image), which the {@code face_emd} weighting {@code recognizability} and {@code alpha:
 * auto} read, and per cell the share that is alignment padding past the photo's edge ({@link
 * org.facesearch.encoder.EncodedFace#paddingShares}; null for an aligned crop or without an image),
 * which {@code alpha: auto} does not count as covered.
 */
public record QueryFace(
    float[] embedding,
    Float ers,
    Float ersThreshold,
    byte[] patches,
    String model,
    float[] cellOcclusion,
    float[] cellPadding)
    implements Writeable {

  public QueryFace {
    Objects.requireNonNull(embedding, "embedding");
  }

  /** A face without occlusion evidence (an embedding query, or patches given by the caller). */
  public QueryFace(float[] embedding, Float ers, Float ersThreshold, byte[] patches, String model) {
    this(embedding, ers, ersThreshold, patches, model, null, null);
  }

  public static QueryFace readFrom(StreamInput in) throws IOException {
    float[] embedding = in.readFloatArray();
    Float ers = in.readOptionalFloat();
    Float threshold = in.readOptionalFloat();
    byte[] patches = in.readBoolean() ? in.readByteArray() : null;
    String model = in.readOptionalString();
    float[] occlusion = in.readBoolean() ? in.readFloatArray() : null;
    float[] padding = in.readBoolean() ? in.readFloatArray() : null;
    return new QueryFace(embedding, ers, threshold, patches, model, occlusion, padding);
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeFloatArray(embedding);
    out.writeOptionalFloat(ers);
    out.writeOptionalFloat(ersThreshold);
    out.writeBoolean(patches != null);
    if (patches != null) {
      out.writeByteArray(patches);
    }
    out.writeOptionalString(model);
    out.writeBoolean(cellOcclusion != null);
    if (cellOcclusion != null) {
      out.writeFloatArray(cellOcclusion);
    }
    out.writeBoolean(cellPadding != null);
    if (cellPadding != null) {
      out.writeFloatArray(cellPadding);
    }
  }

  /** Whether this face falls below a recognizability threshold (faces without an ERS never do). */
  public boolean unrecognizable(float threshold) {
    return ers != null && ers < threshold;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueryFace f
        && Arrays.equals(embedding, f.embedding)
        && Objects.equals(ers, f.ers)
        && Objects.equals(ersThreshold, f.ersThreshold)
        && Arrays.equals(patches, f.patches)
        && Objects.equals(model, f.model)
        && Arrays.equals(cellOcclusion, f.cellOcclusion)
        && Arrays.equals(cellPadding, f.cellPadding);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(embedding),
        ers,
        ersThreshold,
        Arrays.hashCode(patches),
        model,
        Arrays.hashCode(cellOcclusion),
        Arrays.hashCode(cellPadding));
  }
}
