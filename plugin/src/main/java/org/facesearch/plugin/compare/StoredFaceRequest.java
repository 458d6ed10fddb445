package org.facesearch.plugin.compare;

import java.io.IOException;
import org.opensearch.action.ActionRequestValidationException;
import org.opensearch.action.ValidateActions;
import org.opensearch.action.support.single.shard.SingleShardRequest;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

/** Which stored face to read: the document's index, id and routing, and its {@code face} field. */
public final class StoredFaceRequest extends SingleShardRequest<StoredFaceRequest> {

  private final String id;
  private final String field;
  private String routing;

  public StoredFaceRequest(String index, String id, String field, String routing) {
    super(index);
    this.id = id;
    this.field = field;
    this.routing = routing;
  }

  public StoredFaceRequest(StreamInput in) throws IOException {
    super(in);
    id = in.readString();
    field = in.readString();
    routing = in.readOptionalString();
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    out.writeString(id);
    out.writeString(field);
    out.writeOptionalString(routing);
  }

  public String id() {
    return id;
  }

  public String field() {
    return field;
  }

  public String routing() {
    return routing;
  }

  /** The routing after aliases resolved it. */
  void routing(String resolved) {
    this.routing = resolved;
  }

  @Override
  public ActionRequestValidationException validate() {
    ActionRequestValidationException e = validateNonNullIndex();
    if (id == null || id.isEmpty()) {
      e = ValidateActions.addValidationError("id is missing", e);
    }
    if (field == null || field.isEmpty()) {
      e = ValidateActions.addValidationError("field is missing", e);
    }
    return e;
  }

  @Override
  public String toString() {
    return "stored face [" + index + "][" + id + "][" + field + "]";
  }
}
