package org.facesearch.plugin.stats;

import java.io.IOException;
import org.opensearch.action.support.nodes.BaseNodesRequest;
import org.opensearch.core.common.io.stream.StreamInput;

/** Which nodes to ask for face stats (none named: all). */
public final class FaceStatsRequest extends BaseNodesRequest<FaceStatsRequest> {

  public FaceStatsRequest(String... nodeIds) {
    super(nodeIds);
  }

  public FaceStatsRequest(StreamInput in) throws IOException {
    super(in);
  }
}
