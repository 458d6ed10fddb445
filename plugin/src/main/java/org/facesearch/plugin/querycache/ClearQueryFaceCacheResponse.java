package org.facesearch.plugin.querycache;

import java.io.IOException;
import java.util.List;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.cluster.ClusterName;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

/** The nodes whose query face cache was cleared, and those where that failed. */
public final class ClearQueryFaceCacheResponse extends BaseNodesResponse<ClearedQueryFaceCache> {

  ClearQueryFaceCacheResponse(
      ClusterName cluster, List<ClearedQueryFaceCache> nodes, List<FailedNodeException> failures) {
    super(cluster, nodes, failures);
  }

  public ClearQueryFaceCacheResponse(StreamInput in) throws IOException {
    super(in);
  }

  @Override
  protected List<ClearedQueryFaceCache> readNodesFrom(StreamInput in) throws IOException {
    return in.readList(ClearedQueryFaceCache::new);
  }

  @Override
  protected void writeNodesTo(StreamOutput out, List<ClearedQueryFaceCache> nodes)
      throws IOException {
    out.writeList(nodes);
  }
}
