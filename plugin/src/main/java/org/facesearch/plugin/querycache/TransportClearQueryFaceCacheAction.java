package org.facesearch.plugin.querycache;

import java.io.IOException;
import java.util.List;
import org.facesearch.queryface.ModelQueryFaces;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.ActionFilters;
import org.opensearch.action.support.nodes.TransportNodesAction;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.inject.Inject;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.TransportService;

/** Clears the query face cache on the nodes a {@link ClearQueryFaceCacheRequest} names. */
public final class TransportClearQueryFaceCacheAction
    extends TransportNodesAction<
        ClearQueryFaceCacheRequest,
        ClearQueryFaceCacheResponse,
        ClearQueryFaceCacheNodeRequest,
        ClearedQueryFaceCache> {

  private final ModelQueryFaces queryFaces;

  @Inject
  public TransportClearQueryFaceCacheAction(
      ThreadPool threadPool,
      ClusterService clusterService,
      TransportService transportService,
      ActionFilters actionFilters,
      ModelQueryFaces queryFaces) {
    super(
        ClearQueryFaceCacheAction.NAME,
        threadPool,
        clusterService,
        transportService,
        actionFilters,
        ClearQueryFaceCacheRequest::new,
        ClearQueryFaceCacheNodeRequest::new,
        ThreadPool.Names.MANAGEMENT,
        ClearedQueryFaceCache.class);
    this.queryFaces = queryFaces;
  }

  @Override
  protected ClearQueryFaceCacheResponse newResponse(
      ClearQueryFaceCacheRequest request,
      List<ClearedQueryFaceCache> nodes,
      List<FailedNodeException> failures) {
    return new ClearQueryFaceCacheResponse(clusterService.getClusterName(), nodes, failures);
  }

  @Override
  protected ClearQueryFaceCacheNodeRequest newNodeRequest(ClearQueryFaceCacheRequest request) {
    return new ClearQueryFaceCacheNodeRequest();
  }

  @Override
  protected ClearedQueryFaceCache newNodeResponse(StreamInput in) throws IOException {
    return new ClearedQueryFaceCache(in);
  }

  @Override
  protected ClearedQueryFaceCache nodeOperation(ClearQueryFaceCacheNodeRequest request) {
    long entries = queryFaces.cacheStats().entries();
    queryFaces.clearCache();
    return new ClearedQueryFaceCache(clusterService.localNode(), entries);
  }
}
