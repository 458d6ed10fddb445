package org.facesearch.field.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.explain.ExplainResponse;
import org.opensearch.action.get.GetResponse;
import org.opensearch.action.get.MultiGetItemResponse;
import org.opensearch.action.get.MultiGetResponse;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.action.support.ContextPreservingActionListener;
import org.opensearch.action.update.UpdateRequest;
import org.opensearch.action.update.UpdateResponse;
import org.opensearch.cluster.metadata.IndexMetadata;
import org.opensearch.cluster.metadata.MappingMetadata;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.io.stream.BytesStreamOutput;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.bytes.BytesReference;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.index.get.GetResult;
import org.opensearch.tasks.Task;

/**
 * The two sides of derived source at the request level.
 *
 * <ul>
 *   <li>Reindex, update by query, update (and bulk requests with update items) run with {@link
 *       FaceSource#DERIVE_HEADER} in their thread context: the segments they read from put the
 *       faces' vectors back into {@code _source} ({@link FaceSourceFormat}), so that the face
 *       arrives whole in the document they write.
 *   <li>GET, multi-GET, {@code _explain}, and the {@code get} that update and bulk update answers
 *       may carry lose the faces' vectors before they reach the user: a real-time GET reads a
 *       recent document from the translog, which holds the source as it was sent, and an index the
 *       face codec does not write keeps them in its stored {@code _source}.
 * </ul>
 */
public final class FaceSourceActionFilter implements ActionFilter {

  static final String REINDEX = "indices:data/write/reindex";
  static final String UPDATE_BY_QUERY = "indices:data/write/update/byquery";
  static final String UPDATE = "indices:data/write/update";
  static final String BULK = "indices:data/write/bulk";
  static final String GET = "indices:data/read/get";
  static final String MULTI_GET = "indices:data/read/mget";
  static final String EXPLAIN = "indices:data/read/explain";

  private final ClusterService clusterService;
  private final ThreadContext threadContext;

  public FaceSourceActionFilter(ClusterService clusterService, ThreadContext threadContext) {
    this.clusterService = clusterService;
    this.threadContext = threadContext;
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
      ActionListener<Response> listener,
      ActionFilterChain<Request, Response> chain) {
    ActionListener<Response> out =
        switch (action) {
          case GET, MULTI_GET, EXPLAIN, UPDATE, BULK -> ActionListener.map(listener, this::strip);
          default -> listener;
        };
    if (!derives(action, request) || threadContext.getHeader(FaceSource.DERIVE_HEADER) != null) {
      chain.proceed(task, action, request, out);
      return;
    }
    ActionListener<Response> restoring =
        ContextPreservingActionListener.wrapPreservingContext(out, threadContext);
    try (ThreadContext.StoredContext ignored = threadContext.newStoredContext(true)) {
      threadContext.putHeader(FaceSource.DERIVE_HEADER, "true");
      chain.proceed(task, action, request, restoring);
    }
  }

  private static boolean derives(String action, ActionRequest request) {
    return switch (action) {
      case REINDEX, UPDATE_BY_QUERY, UPDATE -> true;
      case BULK -> request instanceof BulkRequest bulk && hasUpdate(bulk);
      default -> false;
    };
  }

  private static boolean hasUpdate(BulkRequest bulk) {
    for (DocWriteRequest<?> item : bulk.requests()) {
      if (item instanceof UpdateRequest) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private <Response> Response strip(Response response) throws IOException {
    if (response instanceof GetResponse get) {
      return (Response) strip(get);
    }
    if (response instanceof MultiGetResponse multi) {
      MultiGetItemResponse[] items = multi.getResponses();
      MultiGetItemResponse[] stripped = new MultiGetItemResponse[items.length];
      for (int i = 0; i < items.length; i++) {
        GetResponse get = items[i].getResponse();
        stripped[i] = get == null ? items[i] : new MultiGetItemResponse(strip(get), null);
      }
      return (Response) new MultiGetResponse(stripped);
    }
    if (response instanceof ExplainResponse explain && explain.getGetResult() != null) {
      GetResult stripped = strip(explain.getIndex(), explain.getGetResult());
      return stripped == null
          ? response
          : (Response)
              new ExplainResponse(
                  explain.getIndex(),
                  explain.getId(),
                  explain.isExists(),
                  explain.getExplanation(),
                  stripped);
    }
    if (response instanceof UpdateResponse update) {
      strip(update);
    } else if (response instanceof BulkResponse bulk) {
      for (BulkItemResponse item : bulk.getItems()) {
        if (!item.isFailed() && item.getResponse() instanceof UpdateResponse update) {
          strip(update);
        }
      }
    }
    return response;
  }

  private GetResponse strip(GetResponse get) throws IOException {
    if (get.getSourceInternal() == null) {
      return get;
    }
    GetResult result = strip(get.getIndex(), getResult(get));
    return result == null ? get : new GetResponse(result);
  }

  private void strip(UpdateResponse update) throws IOException {
    GetResult get = update.getGetResult();
    if (get != null) {
      GetResult stripped = strip(get.getIndex(), get);
      if (stripped != null) {
        update.setGetResult(stripped);
      }
    }
  }

  /** The response's result, read back from its wire form (GetResponse does not hand it out). */
  private static GetResult getResult(GetResponse get) throws IOException {
    try (BytesStreamOutput out = new BytesStreamOutput()) {
      get.writeTo(out);
      try (StreamInput in = out.bytes().streamInput()) {
        return new GetResult(in);
      }
    }
  }

  /**
   * The result with the faces' vectors removed from its source, or null when there was nothing to
   * remove.
   */
  private GetResult strip(String index, GetResult get) throws IOException {
    BytesReference source = get.internalSourceRef();
    if (source == null) {
      return null;
    }
    List<String> paths = facePaths(index);
    BytesReference stripped = FaceSource.strip(source, paths);
    if (stripped == source) {
      return null;
    }
    return new GetResult(
        get.getIndex(),
        get.getId(),
        get.getSeqNo(),
        get.getPrimaryTerm(),
        get.getVersion(),
        get.isExists(),
        stripped,
        get.getDocumentFields(),
        get.getMetadataFields());
  }

  /**
   * The face fields of {@code index} whose vectors stay out of _source, from the cluster state's
   * mapping.
   */
  List<String> facePaths(String index) {
    IndexMetadata metadata = clusterService.state().metadata().index(index);
    MappingMetadata mapping = metadata == null ? null : metadata.mapping();
    if (mapping == null) {
      return List.of();
    }
    List<String> paths = new ArrayList<>();
    collect(mapping.sourceAsMap(), "", paths);
    return paths;
  }

  @SuppressWarnings("unchecked")
  private static void collect(Map<String, Object> mapping, String prefix, List<String> out) {
    Object properties = mapping.get("properties");
    if (!(properties instanceof Map<?, ?> fields)) {
      return;
    }
    for (Map.Entry<?, ?> e : fields.entrySet()) {
      if (!(e.getValue() instanceof Map<?, ?> field)) {
        continue;
      }
      String path = prefix + e.getKey();
      if ("face".equals(field.get("type"))) {
        if (!"true".equals(String.valueOf(field.get("source_vectors")))) {
          out.add(path);
        }
      } else {
        collect((Map<String, Object>) field, path + ".", out);
      }
    }
  }
}
