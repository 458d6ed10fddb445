package org.facesearch.plugin.querycache;

import java.io.IOException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.transport.TransportRequest;

/** The per-node part of a {@link ClearQueryFaceCacheRequest}: it carries nothing. */
final class ClearQueryFaceCacheNodeRequest extends TransportRequest {

  ClearQueryFaceCacheNodeRequest() {}

  ClearQueryFaceCacheNodeRequest(StreamInput in) throws IOException {
    super(in);
  }
}
