package org.facesearch.plugin.rest;

import static org.opensearch.rest.RestRequest.Method.POST;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.facesearch.body.BodyParser;
import org.facesearch.body.ImageValue;
import org.facesearch.encoder.EncodeMode;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceModel;
import org.facesearch.encoder.FaceModels;
import org.facesearch.queryface.FaceInput;
import org.opensearch.core.rest.RestStatus;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.BytesRestResponse;
import org.opensearch.rest.RestChannel;
import org.opensearch.rest.RestRequest;
import org.opensearch.transport.client.node.NodeClient;

/**
 * {@code POST _plugins/face/_encode}: every face of a photo with its embedding, recognizability,
 * box, landmarks and detection score, largest first; the patch map and centre on request.
 */
public final class RestEncodeAction extends BaseRestHandler {

  private final Supplier<FaceModels> models;

  public RestEncodeAction(Supplier<FaceModels> models) {
    this.models = models;
  }

  @Override
  public String getName() {
    return "face_encode_action";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(POST, "/_plugins/face/_encode"));
  }

  /** The request body, checked. */
  record EncodeRequest(byte[] image, EncodeMode mode, boolean patches, String model) {}

  /** The options of the body, collected before they are checked. */
  private static final class Body {
    private byte[] image;
    private EncodeMode mode = EncodeMode.DETECT;
    private boolean patches;
    private String model = FaceInput.DEFAULT_MODEL;

    private EncodeRequest build() {
      if (image == null) {
        throw new IllegalArgumentException("[image] is required: a base64 photo or a data: URI");
      }
      return new EncodeRequest(image, mode, patches, model);
    }
  }

  private static final BodyParser<Body> PARSER =
      new BodyParser<Body>("_encode", "[_encode]")
          .declare("image", ImageValue::read, (b, v) -> b.image = v)
          .choice("mode", EncodeMode.class, (b, v) -> b.mode = v)
          .bool("patches", (b, v) -> b.patches = v)
          .string("model", (b, v) -> b.model = v);

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client)
      throws IOException {
    EncodeRequest body;
    try (XContentParser parser = request.contentParser()) {
      body = parse(parser);
    }
    FaceModel model;
    try {
      model = models.get().get(body.model());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("[model] " + e.getMessage(), e);
    }
    return channel ->
        model
            .encoder()
            .encodeAsync(body.image(), body.mode(), Integer.MAX_VALUE)
            .whenComplete((faces, failure) -> {
              try {
                if (failure != null) {
                  RestFailures.send(channel, RestFailures.toResponse(failure, "_encode", "image"));
                } else {
                  channel.sendResponse(
                      new BytesRestResponse(
                          RestStatus.OK, render(channel, model, faces, body.patches())));
                }
              } catch (Exception e) {
                RestFailures.send(channel, e);
              }
            });
  }

  /** Parses a body; an unknown option or a value of the wrong type is a 400 naming it. */
  static EncodeRequest parse(XContentParser parser) throws IOException {
    return PARSER.parse(parser, new Body(), Body::build);
  }

  private static XContentBuilder render(
      RestChannel channel, FaceModel model, List<EncodedFace> faces, boolean patches)
      throws IOException {
    XContentBuilder b = channel.newBuilder();
    b.startObject().field("model", model.id()).startArray("faces");
    for (EncodedFace face : faces) {
      b.startObject();
      b.array("embedding", face.embedding());
      Float ers = model.ers(face.embedding());
      if (ers != null) {
        b.field("ers", ers);
      }
      b.array("box", face.box());
      b.startArray("landmarks");
      float[] l = face.landmarks();
      for (int i = 0; i < l.length; i += 2) {
        b.startArray().value(l[i]).value(l[i + 1]).endArray();
      }
      b.endArray();
      b.field("detection_score", face.detectionScore());
      b.array("patch_grid", face.gridH(), face.gridW());
      if (patches) {
        b.startArray("patches");
        float[] cells = face.unitPatches();
        int dims = face.patchDims();
        for (int cell = 0; cell < face.gridH() * face.gridW(); cell++) {
          b.startArray();
          for (int c = 0; c < dims; c++) {
            b.value(cells[cell * dims + c]);
          }
          b.endArray();
        }
        b.endArray();
        b.array("centre", face.centre());
      }
      b.endObject();
    }
    return b.endArray().endObject();
  }
}
