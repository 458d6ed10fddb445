package org.facesearch.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.GET;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.facesearch.encoder.FaceModel;
import org.facesearch.encoder.FaceModels;
import org.facesearch.model.PackDescriptor;
import org.facesearch.verification.VerificationCalibration;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code GET _plugins/face/models}: the model packs this node serves, with where they came from,
 * the SHA-256 of each file, their shapes, their recognizability calibration and their verification
 * calibration (cosine thresholds at false-match rates).
 */
public final class RestModelsAction extends BaseRestHandler {

  private final Supplier<FaceModels> models;

  public RestModelsAction(Supplier<FaceModels> models) {
    this.models = models;
  }

  @Override
  public String getName() {
    return "face_models_action";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(GET, "/_plugins/face/models"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
    FaceModels loaded = models.get();
    List<FaceModel> packs = loaded == null ? List.of() : List.copyOf(loaded.all());
    return channel -> {
      XContentBuilder b = channel.newBuilder();
      b.startObject().startArray("models");
      for (FaceModel model : packs) {
        render(b, model);
      }
      b.endArray().endObject();
      channel.sendResponse(new BytesRestResponse(RestStatus.OK, b));
    };
  }

  private static void render(XContentBuilder b, FaceModel model) throws IOException {
    PackDescriptor d = model.pack().descriptor();
    b.startObject();
    b.field("name", d.name()).field("version", d.version()).field("id", model.id());
    b.field("description", d.description())
        .field("source", d.source())
        .field("license", d.license());
    b.startObject("sha256");
    for (Map.Entry<String, String> file : d.sha256().entrySet()) {
      b.field(file.getKey(), file.getValue());
    }
    b.endObject();
    b.field("dims", d.feature().embeddingDims());
    b.array("patch_grid", d.feature().gridH(), d.feature().gridW());
    b.field("patch_dims", d.feature().patchDims());
    PackDescriptor.Recognizability r = model.recognizability();
    b.startObject("recognizability");
    // Where the calibration in force comes from: the pack, or a node file that replaced it.
    b.field(
        "origin",
        model.recognizabilityFile() == null
            ? "pack"
            : "config/face-search/recognizability/" + model.recognizabilityFile().getFileName());
    b.field("ers_threshold", r == null ? null : r.ersThreshold());
    b.field("ers_threshold_source", r == null ? null : r.ersThresholdSource());
    b.field("ui_centroid", r != null && r.uiCentroid() != null);
    b.field("ui_centroid_source", r == null ? null : r.uiCentroidSource());
    b.endObject();
    VerificationCalibration v = model.verification();
    if (v == null) {
      b.nullField("verification");
    } else {
      // The cosine thresholds a false-match rate stands for (min_similarity {"fmr": ...},
      // _compare's fmr).
      b.startObject("verification");
      b.array("fmr_range", v.minFmr(), v.maxFmr());
      b.startArray("points");
      for (VerificationCalibration.Point p : v.points()) {
        b.startObject()
            .field("fmr", p.fmr())
            .field("threshold", p.threshold())
            .field("fnmr", p.fnmr())
            .endObject();
      }
      b.endArray();
      b.field("source", v.source());
      b.endObject();
    }
    b.endObject();
  }
}
