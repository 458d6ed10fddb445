package org.facesearch.plugin.querycache;

import java.io.IOException;
import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;

/** Which nodes to clear the query face cache of (none named: all). */
public final class ClearQueryFaceCacheRequest extends BaseNodesRequest<ClearQueryFaceCacheRequest> {

  public ClearQueryFaceCacheRequest(String... nodeIds) {
    super(nodeIds);
  }

  public ClearQueryFaceCacheRequest(StreamInput in) throws IOException {
    super(in);
  }
}
