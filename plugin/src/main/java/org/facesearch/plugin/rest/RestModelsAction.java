package org.facesearch.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.GET;

import java.util.List;
import java.util.function.Supplier;

import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.ToXContentObject;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

/** {@code GET _plugins/face/models}: the model packs this node has loaded. */
public final class RestModelsAction extends BaseRestHandler {

  private final Supplier<List<? extends ToXContentObject>> models;

  public RestModelsAction(Supplier<List<? extends ToXContentObject>> models) {
    this.models = models;
  }

  @Override
  public String getName() {
    return "face_models_action";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(GET, "/_plugins/face/models"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
    List<? extends ToXContentObject> packs = models.get();
    return channel -> {
      XContentBuilder builder = channel.newBuilder();
      builder.startObject().startArray("models");
      for (ToXContentObject pack : packs) {
        pack.toXContent(builder, request);
      }
      builder.endArray().endObject();
      channel.sendResponse(new BytesRestResponse(RestStatus.OK, builder));
    };
  }
}
