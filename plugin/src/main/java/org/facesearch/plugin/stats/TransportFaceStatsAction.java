package org.facesearch.plugin.stats;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.facesearch.encoder.EncoderStats;
import org.facesearch.encoder.FaceModel;
import org.facesearch.encoder.FaceModels;
import org.facesearch.plugin.models.NodeModels;
import org.facesearch.queryface.ModelQueryFaces;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/** Gathers {@link NodeFaceStats} from the nodes a {@link FaceStatsRequest} names. */
public final class TransportFaceStatsAction
    extends TransportNodesAction<
        FaceStatsRequest, FaceStatsResponse, FaceStatsNodeRequest, NodeFaceStats> {

  private final NodeModels models;
  private final ModelQueryFaces queryFaces;

  @Inject
  public TransportFaceStatsAction(
      ThreadPool threadPool,
      ClusterService clusterService,
      TransportService transportService,
      ActionFilters actionFilters,
      NodeModels models,
      ModelQueryFaces queryFaces) {
    super(
        FaceStatsAction.NAME,
        threadPool,
        clusterService,
        transportService,
        actionFilters,
        FaceStatsRequest::new,
        FaceStatsNodeRequest::new,
        ThreadPool.Names.MANAGEMENT,
        NodeFaceStats.class);
    this.models = models;
    this.queryFaces = queryFaces;
  }

  @Override
  protected FaceStatsResponse newResponse(
      FaceStatsRequest request, List<NodeFaceStats> nodes, List<FailedNodeException> failures) {
    return new FaceStatsResponse(clusterService.getClusterName(), nodes, failures);
  }

  @Override
  protected FaceStatsNodeRequest newNodeRequest(FaceStatsRequest request) {
    return new FaceStatsNodeRequest();
  }

  @Override
  protected NodeFaceStats newNodeResponse(StreamInput in) throws IOException {
    return new NodeFaceStats(in);
  }

  @Override
  protected NodeFaceStats nodeOperation(FaceStatsNodeRequest request) {
    Map<String, EncoderStats> stats = new LinkedHashMap<>();
    Map<String, Boolean> open = new LinkedHashMap<>();
    FaceModels loaded = models.loaded();
    if (loaded != null) {
      for (FaceModel model : loaded.all()) {
        stats.put(model.pack().name(), model.encoder().stats());
        open.put(model.pack().name(), model.encoder().modelsOpen());
      }
    }
    return new NodeFaceStats(clusterService.localNode(), stats, open, queryFaces.cacheStats());
  }
}
