package org.facesearch.plugin.querycache;

import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.opensearch.OpenSearchException;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.FailedNodeException;
import org.opensearch.action.admin.indices.cache.clear.ClearIndicesCacheAction;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.action.support.ActionRequestMetadata;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.tasks.Task;
import org.opensearch.transport.client.Client;

/**
 * {@code POST _cache/clear} (any form of it) also empties every node's query face cache, before the
 * index caches are cleared: query photos are biometric data, and a user who clears caches (after
 * erasing a person's data, say) expects no encoding of that person's photos to stay in memory. If a
 * node's query face cache cannot be cleared, the request fails and says so.
 */
public final class ClearQueryFaceCacheOnCacheClear implements ActionFilter {

  private final Supplier<Client> client;

  /**
   * @param client the node's client, available once the node made its components
   */
  public ClearQueryFaceCacheOnCacheClear(Supplier<Client> client) {
    this.client = client;
  }

  @Override
  public int order() {
    return 0;
  }

  @Override
  public <Request extends ActionRequest, Response extends ActionResponse> void apply(
      Task task,
      String action,
      Request request,
      ActionRequestMetadata<Request, Response> metadata,
      ActionListener<Response> listener,
      ActionFilterChain<Request, Response> chain) {
    if (!ClearIndicesCacheAction.NAME.equals(action)) {
      chain.proceed(task, action, request, listener);
      return;
    }
    client
        .get()
        .execute(
            ClearQueryFaceCacheAction.INSTANCE,
            new ClearQueryFaceCacheRequest(),
            ActionListener.wrap(
                cleared -> {
                  if (cleared.hasFailures()) {
                    FailedNodeException first = cleared.failures().get(0);
                    String nodes =
                        cleared.failures().stream()
                            .map(FailedNodeException::nodeId)
                            .collect(Collectors.joining(", ", "[", "]"));
                    listener.onFailure(
                        new OpenSearchException(
                            "the query face cache could not be cleared on nodes " + nodes, first));
                    return;
                  }
                  chain.proceed(task, action, request, listener);
                },
                listener::onFailure));
  }
}
