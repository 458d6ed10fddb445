package org.facesearch.plugin.querycache;

import java.io.IOException;
import org.opensearch.action.support.nodes.BaseNodeResponse;
import org.opensearch.cluster.node.DiscoveryNode;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;

/** One node's cleared query face cache: how many entries it held. */
public final class ClearedQueryFaceCache extends BaseNodeResponse {

  private final long entries;

  ClearedQueryFaceCache(DiscoveryNode node, long entries) {
    super(node);
    this.entries = entries;
  }

  ClearedQueryFaceCache(StreamInput in) throws IOException {
    super(in);
    entries = in.readVLong();
  }

  /** The entries the cache held before it was cleared. */
  public long entries() {
    return entries;
  }

  @Override
  public void writeTo(StreamOutput out) throws IOException {
    super.writeTo(out);
    out.writeVLong(entries);
  }
}
