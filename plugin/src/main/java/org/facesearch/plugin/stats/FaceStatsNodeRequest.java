package org.facesearch.plugin.stats;

import java.io.IOException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.transport.TransportRequest;

/**
 * The per-node part of a {@link FaceStatsRequest}: it carries nothing, every node reports all its
 * models.
 */
final class FaceStatsNodeRequest extends TransportRequest {

  FaceStatsNodeRequest() {}

  FaceStatsNodeRequest(StreamInput in) throws IOException {
    super(in);
  }
}
