package org.facesearch.plugin.compare;

import java.io.IOException;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

/**
 * A stored face as the field keeps it: the unit embedding, the encoded patch map (null when the
 * document holds none) and the model that made it (null when none was recorded). Internal: never
 * rendered into an answer.
 */
public final class StoredFaceResponse extends ActionResponse {

  private final float[] embedding;
  private final byte[] patches;
  private final String model;

  StoredFaceResponse(float[] embedding, byte[] patches, String model) {
    this.embedding = embedding;
    this.patches = patches;
    this.model = model;
  }

  public StoredFaceResponse(StreamInput in) throws IOException {
    super(in);
    embedding = in.readFloatArray();
    patches = in.readBoolean() ? in.readByteArray() : null;
    model = in.readOptionalString();
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    out.writeFloatArray(embedding);
    out.writeBoolean(patches != null);
    if (patches != null) {
      out.writeByteArray(patches);
    }
    out.writeOptionalString(model);
  }

  public float[] embedding() {
    return embedding;
  }

  public byte[] patches() {
    return patches;
  }

  public String model() {
    return model;
  }
}
