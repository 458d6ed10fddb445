package org.facesearch.plugin.stats;

import static org.opensearch.rest.RestRequest.Method.GET;

import java.util.List;
import org.opensearch.core.common.Strings;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestActions;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code GET _plugins/face/stats} and {@code GET _plugins/face/{node_id}/stats}: per node and
 * model, images and faces encoded, time per stage, queue depth, rejections and errors by kind; per
 * node, the query face cache.
 */
public final class RestFaceStatsAction extends BaseRestHandler {

  @Override
  public String getName() {
    return "face_stats_action";
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route(GET, "/_plugins/face/stats"), new Route(GET, "/_plugins/face/{node_id}/stats"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
    String[] nodes = Strings.splitStringByCommaToArray(request.param("node_id"));
    FaceStatsRequest stats = new FaceStatsRequest(nodes);
    stats.timeout(request.param("timeout"));
    return channel ->
        client.execute(
            FaceStatsAction.INSTANCE, stats, new RestActions.NodesResponseRestListener<>(channel));
  }
}
