package org.facesearch.plugin.recognizability;

import static org.opensearch.rest.RestRequest.Method.POST;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.facesearch.encoder.FaceModel;
import org.facesearch.encoder.FaceModels;
import org.facesearch.field.source.FaceSource;
import org.facesearch.plugin.rest.RestFailures;
import org.facesearch.plugin.settings.FaceSettings;
import org.opensearch.action.search.SearchResponse;
import org.opensearch.action.support.ContextPreservingActionListener;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.util.concurrent.ThreadContext;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestChannel;
import org.opensearch.rest.RestRequest;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code POST _plugins/face/recognizability/_centroid}: a UI centroid for a model, made the direct
 * way from posted photos or the clustering way from a sample of an index, with statistics and a
 * {@code recognizability} object that, saved as {@code
 * config/face-search/recognizability/<model>.json}, gives the model the new centroid when the node
 * restarts. The work (embedding or clustering up to {@code plugins.face.recognizability.max_faces}
 * faces) runs on the generic thread pool.
 */
public final class RestCentroidAction extends BaseRestHandler {

  private final Supplier<FaceModels> models;
  private final ClusterSettings clusterSettings;

  public RestCentroidAction(Supplier<FaceModels> models, ClusterSettings clusterSettings) {
    this.models = models;
    this.clusterSettings = clusterSettings;
  }

  @Override
  public String getName() {
    return "face_recognizability_centroid_action";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(POST, "/_plugins/face/recognizability/_centroid"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client)
      throws IOException {
    CentroidRequest body;
    try (XContentParser parser = request.contentParser()) {
      body = CentroidRequest.parse(parser);
    }
    int maxFaces = clusterSettings.get(FaceSettings.RECOGNIZABILITY_MAX_FACES);
    if (body.faces() > maxFaces) {
      String what =
          body.method() == CentroidRequest.Method.DIRECT
              ? "[images] times [copies]"
              : "[sample_size]";
      throw new IllegalArgumentException(
          what
              + " asks for "
              + body.faces()
              + " faces, more than ["
              + FaceSettings.RECOGNIZABILITY_MAX_FACES.getKey()
              + "] ("
              + maxFaces
              + ") allows");
    }
    FaceModel model = models.get().get(body.model());
    ThreadPool threads = client.threadPool();
    if (body.method() == CentroidRequest.Method.DIRECT) {
      return channel ->
          threads
              .generic()
              .execute(
                  () -> answer(channel, model, body, () -> DirectCentroid.compute(model, body)));
    }
    SampledCentroid.checkSampleSize(body.sampleSize());
    ThreadContext context = threads.getThreadContext();
    return channel -> {
      ActionListener<SearchResponse> listener =
          ContextPreservingActionListener.wrapPreservingContext(
              ActionListener.wrap(
                  (SearchResponse response) ->
                      threads
                          .generic()
                          .execute(() ->
                              answer(
                                  channel,
                                  model,
                                  body,
                                  () -> SampledCentroid.compute(model, body, response))),
                  e -> RestFailures.send(channel, e)),
              context);
      // The sample reads the faces' embeddings, which stay out of _source unless asked for: this
      // search asks (its hits never leave the node; only their mean does, from enough faces).
      try (ThreadContext.StoredContext ignored = context.newStoredContext(true)) {
        context.putHeader(FaceSource.DERIVE_HEADER, "true");
        client.search(SampledCentroid.sampleRequest(body), listener);
      }
    };
  }

  private static void answer(
      RestChannel channel,
      FaceModel model,
      CentroidRequest request,
      Supplier<CentroidResult> work) {
    try {
      CentroidResult result = work.get();
      channel.sendResponse(
          new BytesRestResponse(RestStatus.OK, render(channel, model, request, result)));
    } catch (Exception e) {
      RestFailures.send(channel, RestFailures.toResponse(e, "_centroid", null));
    }
  }

  private static XContentBuilder render(
      RestChannel channel, FaceModel model, CentroidRequest request, CentroidResult result)
      throws IOException {
    XContentBuilder b = channel.newBuilder();
    b.startObject();
    b.field("model", model.id());
    b.field("method", request.method().id());
    b.array("centroid", result.centroid());
    b.field("statistics", result.statistics());
    // Ready to save as config/face-search/recognizability/<model>.json; the threshold in force is
    // carried over, said to be so, because it was calibrated against the centroid it replaces.
    b.startObject("recognizability");
    b.array("ui_centroid", result.centroid());
    b.field("ui_centroid_source", result.source());
    Float threshold = model.ersThreshold();
    if (threshold != null) {
      b.field("ers_threshold", model.recognizability().ersThreshold());
      b.field(
          "ers_threshold_source",
          "Carried over from the calibration in force when this centroid was made ("
              + model.id()
              + ", threshold calibrated for its previous centroid: check it against the new one, see docs/recognizability.md). Previous note: "
              + model.recognizability().ersThresholdSource());
    }
    b.endObject();
    return b.endObject();
  }
}
