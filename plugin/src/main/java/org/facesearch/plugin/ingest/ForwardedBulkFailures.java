package org.facesearch.plugin.ingest;

import java.util.Locale;
import java.util.function.Supplier;
import org.opensearch.OpenSearchStatusException;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.bulk.BulkAction;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.bulk.TransportBulkAction;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.action.support.ActionRequestMetadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.ingest.IngestService;
import org.opensearch.node.NodeClosedException;
import org.opensearch.tasks.Task;
import org.opensearch.transport.ConnectTransportException;

/**
 * A bulk request whose documents go through a pipeline is sent by a node without the {@code ingest}
 * role to an ingest node as a whole. When that node leaves before answering (killed, restarted) or
 * there is none, OpenSearch fails the whole request with HTTP 500 and a transport exception, and a
 * client cannot tell which documents to send again. This filter, on such a coordinating node, turns
 * exactly those failures into the answer a bulk client already handles: every item failed with
 * status 503 and a reason saying why and that it can be retried.
 *
 * <p>The ingest node may have indexed some of the documents before it was lost, so an item's
 * failure means "not known to be indexed": retrying an item with its {@code _id} is safe (it
 * indexes the same document again); an item without one may then be indexed twice.
 */
public final class ForwardedBulkFailures implements ActionFilter {

  private final Supplier<ClusterService> clusterService;

  /**
   * @param clusterService the node's cluster service, available once the node made its components
   */
  public ForwardedBulkFailures(Supplier<ClusterService> clusterService) {
    this.clusterService = clusterService;
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
    if (!BulkAction.NAME.equals(action)
        || !(request instanceof BulkRequest bulk)
        || clusterService.get().localNode().isIngestNode()) {
      chain.proceed(task, action, request, listener);
      return;
    }
    long start = System.nanoTime();
    chain.proceed(
        task,
        action,
        request,
        new ActionListener<>() {
          @Override
          public void onResponse(Response response) {
            listener.onResponse(response);
          }

          @Override
          public void onFailure(Exception e) {
            String lost = forwardingFailure(bulk, e);
            if (lost == null) {
              listener.onFailure(e);
              return;
            }
            @SuppressWarnings("unchecked")
            Response perItem =
                (Response) failEveryItem(bulk, lost, e, (System.nanoTime() - start) / 1_000_000);
            listener.onResponse(perItem);
          }
        });
  }

  /**
   * Why the ingest node could not answer, or null when {@code e} is not a failure to forward {@code
   * bulk} to one.
   */
  private String forwardingFailure(BulkRequest bulk, Exception e) {
    if (!hasPipeline(bulk)) {
      return null;
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectTransportException || t instanceof NodeClosedException) {
        return "the ingest node running its pipeline left the cluster before answering ("
            + t.getClass().getSimpleName()
            + ")";
      }
    }
    if (e instanceof IllegalStateException
        && clusterService.get().state().nodes().getIngestNodes().isEmpty()) {
      return "the cluster has no ingest node to run its pipeline";
    }
    return null;
  }

  /**
   * Whether a document of {@code bulk} was to go through a pipeline (the coordinating node resolved
   * them before forwarding).
   */
  private static boolean hasPipeline(BulkRequest bulk) {
    for (DocWriteRequest<?> r : bulk.requests()) {
      IndexRequest index = TransportBulkAction.getIndexWriteRequest(r);
      if (index != null
          && index.isPipelineResolved()
          && (isPipeline(index.getPipeline()) || isPipeline(index.getFinalPipeline()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isPipeline(String name) {
    return name != null && !IngestService.NOOP_PIPELINE_NAME.equals(name);
  }

  private static BulkResponse failEveryItem(
      BulkRequest bulk, String lost, Exception cause, long tookMillis) {
    BulkItemResponse[] items = new BulkItemResponse[bulk.requests().size()];
    for (int i = 0; i < items.length; i++) {
      DocWriteRequest<?> r = bulk.requests().get(i);
      String reason =
          String.format(
              Locale.ROOT,
              "%s; the document is not known to be indexed: send it again%s",
              lost,
              r.id() == null
                  ? " (it has no _id, so if it was indexed it will be indexed twice)"
                  : "");
      OpenSearchStatusException failure =
          new OpenSearchStatusException(reason, RestStatus.SERVICE_UNAVAILABLE, cause);
      items[i] =
          new BulkItemResponse(
              i,
              r.opType(),
              new BulkItemResponse.Failure(
                  r.index(), r.id(), failure, RestStatus.SERVICE_UNAVAILABLE));
    }
    return new BulkResponse(items, tookMillis);
  }
}
