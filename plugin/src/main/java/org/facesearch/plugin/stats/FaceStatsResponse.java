package org.facesearch.plugin.stats;

import java.io.IOException;
import java.util.List;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.support.nodes.BaseNodesResponse;
import org.opensearch.cluster.ClusterName;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.ToXContentFragment;
import org.opensearch.core.xcontent.XContentBuilder;

/** Face stats of every node asked, by node id. */
public final class FaceStatsResponse extends BaseNodesResponse<NodeFaceStats>
    implements ToXContentFragment {

  FaceStatsResponse(
      ClusterName cluster, List<NodeFaceStats> nodes, List<FailedNodeException> failures) {
    super(cluster, nodes, failures);
  }

  public FaceStatsResponse(StreamInput in) throws IOException {
    super(in);
  }

  @Override
  protected List<NodeFaceStats> readNodesFrom(StreamInput in) throws IOException {
    return in.readList(NodeFaceStats::new);
  }

  @Override
  protected void writeNodesTo(StreamOutput out, List<NodeFaceStats> nodes) throws IOException {
    out.writeList(nodes);
  }

  @Override
  public XContentBuilder toXContent(XContentBuilder b, Params params) throws IOException {
    b.startObject("nodes");
    for (NodeFaceStats node : getNodes()) {
      b.startObject(node.getNode().getId());
      node.toXContent(b, params);
      b.endObject();
    }
    return b.endObject();
  }
}
