package org.facesearch.plugin.compare;

import static org.opensearch.rest.RestRequest.Method.POST;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.facesearch.emd.Flow;
import org.facesearch.encoder.EncodedFace;
import org.facesearch.encoder.FaceModel;
import org.facesearch.encoder.FaceModels;
import org.facesearch.encoder.InferenceRejectedException;
import org.facesearch.patches.PatchEncoding;
import org.facesearch.patches.PatchMap;
import org.facesearch.plugin.rest.RestFailures;
import org.facesearch.recognizability.CellOcclusion;
import org.facesearch.vectors.UnitVectors;
import org.opensearch.ExceptionsHelper;
import org.opensearch.OpenSearchException;
import org.opensearch.ResourceNotFoundException;
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
 * {@code POST _plugins/face/_compare}: two faces, each a photo, a stored face or an embedding,
 * compared 1:1 ({@link Comparison}): the cosine, the stage-2 score with its strongest flows, each
 * face's ERS, and a decision at a false-match rate (or a cosine). {@code ?format=png}, or {@code
 * Accept: image/png}, answers with the picture of the comparison ({@link ComparePicture}) instead
 * of JSON.
 *
 * <p>Photos are encoded on the node's inference pool (their largest face, in the side's mode);
 * stored faces are read on the shard that holds them ({@link StoredFaceAction}). The comparison and
 * the picture are made on the search pool. Embeddings and patch maps are never written into an
 * answer.
 */
public final class RestCompareAction extends BaseRestHandler {

  private final Supplier<FaceModels> models;

  public RestCompareAction(Supplier<FaceModels> models) {
    this.models = models;
  }

  @Override
  public String getName() {
    return "face_compare_action";
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(POST, "/_plugins/face/_compare"));
  }

  @Override
  protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client)
      throws IOException {
    boolean png = png(request);
    if (!request.hasContent()) {
      throw new IllegalArgumentException("[_compare] needs a body: {\"a\": {...}, \"b\": {...}}");
    }
    CompareRequest body;
    try (XContentParser parser = request.contentParser()) {
      body = CompareRequest.parse(parser);
    }
    FaceModels loaded = models.get();
    if (loaded == null) {
      throw new IllegalStateException("the face-search plugin has not started its models");
    }
    FaceModel model;
    try {
      model = loaded.get(body.model());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("[model] " + e.getMessage(), e);
    }
    // Checked before any photo is encoded: a rate outside the calibration is refused at once.
    Comparison.Threshold threshold =
        Comparison.Threshold.of(body, model.verification(), model.id());
    for (CompareRequest.Side side : List.of(body.a(), body.b())) {
      if (side.embedding() != null) {
        checkEmbedding(side, model);
      }
    }
    Float minErs = body.minErs() != null ? body.minErs() : model.ersThreshold();
    return channel -> {
      CompletableFuture<Comparison.Face> a = face(body.a(), model, client);
      CompletableFuture<Comparison.Face> b = face(body.b(), model, client);
      a.thenCombine(b, (fa, fb) -> new Comparison.Face[] {fa, fb})
          .whenComplete((faces, failure) -> {
            if (failure != null) {
              RestFailures.send(channel, RestFailures.toResponse(failure, "_compare", null));
              return;
            }
            client
                .threadPool()
                .executor(ThreadPool.Names.SEARCH)
                .execute(() -> {
                  try {
                    Comparison c =
                        new Comparison(
                            faces[0], faces[1], threshold, minErs, body.params(), body.autoAlpha());
                    if (png) {
                      byte[] picture =
                          ComparePicture.png(
                              c, model.pack().descriptor().feature().inputSize(), model.id());
                      channel.sendResponse(
                          new BytesRestResponse(RestStatus.OK, "image/png", picture));
                    } else {
                      channel.sendResponse(
                          new BytesRestResponse(RestStatus.OK, render(channel, c, model)));
                    }
                  } catch (Exception e) {
                    RestFailures.send(channel, e);
                  }
                });
          });
    };
  }

  /**
   * Whether the answer is the picture: {@code ?format=png}, or no {@code format} and {@code Accept:
   * image/png}.
   */
  static boolean png(RestRequest request) {
    String format = request.param("format");
    if (format != null) {
      return switch (format) {
        case "json" -> false;
        case "png" -> true;
        default ->
            throw new IllegalArgumentException(
                "[format] must be [json] or [png], got [" + format + "]");
      };
    }
    String accept = request.header("Accept");
    return accept != null && accept.toLowerCase(Locale.ROOT).contains("image/png");
  }

  private static void checkEmbedding(CompareRequest.Side side, FaceModel model) {
    int dims = model.pack().descriptor().feature().embeddingDims();
    if (side.embedding().length != dims) {
      throw new IllegalArgumentException(
          "["
              + side.name()
              + "] [embedding] has "
              + side.embedding().length
              + " values, but model ["
              + model.id()
              + "] makes "
              + dims);
    }
  }

  /** The face of one side, once its photo is encoded or its stored face read. */
  private static CompletableFuture<Comparison.Face> face(
      CompareRequest.Side side, FaceModel model, NodeClient client) {
    try {
      if (side.isImage()) {
        return model
            .encoder()
            .encodeAsync(side.image(), side.mode(), 1)
            .handle((found, failure) -> {
              if (failure != null) {
                throw new CompletionException(sideFailure(side, failure));
              }
              if (found.isEmpty()) {
                throw new CompletionException(
                    new IllegalArgumentException(
                        "[" + side.name() + "] no face found in the image"));
              }
              return ofPhoto(side, found.get(0), model);
            });
      }
      if (side.isStored()) {
        CompletableFuture<Comparison.Face> out = new CompletableFuture<>();
        client.execute(
            StoredFaceAction.INSTANCE,
            new StoredFaceRequest(side.index(), side.id(), side.field(), side.routing()),
            ActionListener.wrap(
                stored -> {
                  try {
                    out.complete(ofStored(side, stored, model));
                  } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                  }
                },
                e -> out.completeExceptionally(sideFailure(side, e))));
        return out;
      }
      return CompletableFuture.completedFuture(ofEmbedding(side, model));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(sideFailure(side, e));
    }
  }

  private static Comparison.Face ofPhoto(
      CompareRequest.Side side, EncodedFace face, FaceModel model) {
    float[] occlusion = CellOcclusion.flatShares(face.alignedFace(), face.gridH(), face.gridW());
    return new Comparison.Face(
        side,
        face.embedding(),
        face.patchMap(),
        model.ers(face.embedding()),
        face.alignedFace(),
        occlusion,
        face.paddingShares(),
        face.box(),
        face.detectionScore());
  }

  private static Comparison.Face ofStored(
      CompareRequest.Side side, StoredFaceResponse stored, FaceModel model) {
    if (stored.model() != null && !stored.model().equals(model.id())) {
      throw new IllegalArgumentException(
          "["
              + side.name()
              + "] the stored face was made by model ["
              + stored.model()
              + "], not by ["
              + model.id()
              + "], which compares: give [model]");
    }
    int dims = model.pack().descriptor().feature().embeddingDims();
    if (stored.embedding().length != dims) {
      throw new IllegalArgumentException(
          "["
              + side.name()
              + "] the stored face has "
              + stored.embedding().length
              + " dims, but model ["
              + model.id()
              + "] makes "
              + dims);
    }
    PatchMap patches = stored.patches() == null ? null : PatchEncoding.decode(stored.patches());
    return new Comparison.Face(
        side,
        stored.embedding(),
        patches,
        model.ers(stored.embedding()),
        null,
        null,
        null,
        null,
        null);
  }

  private static Comparison.Face ofEmbedding(CompareRequest.Side side, FaceModel model) {
    float[] unit = UnitVectors.unitCopy(side.embedding());
    if (unit == null) {
      throw new IllegalArgumentException(
          "[" + side.name() + "] [embedding] is all zeros and has no direction");
    }
    PatchMap patches = null;
    if (side.patches() != null) {
      try {
        patches = PatchEncoding.decode(side.patches());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("[" + side.name() + "] [patches]: " + e.getMessage(), e);
      }
      var feature = model.pack().descriptor().feature();
      if (patches.rows() != feature.gridH()
          || patches.cols() != feature.gridW()
          || patches.dims() != feature.patchDims()) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "[%s] [patches] hold a %dx%dx%d map, but model [%s] makes %dx%dx%d",
                side.name(),
                patches.rows(),
                patches.cols(),
                patches.dims(),
                model.id(),
                feature.gridH(),
                feature.gridW(),
                feature.patchDims()));
      }
    }
    return new Comparison.Face(side, unit, patches, model.ers(unit), null, null, null, null, null);
  }

  /**
   * A side's failure, named by the side: bad input stays a 400, a missing document a 404, a full
   * queue a 429.
   */
  private static Exception sideFailure(CompareRequest.Side side, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof InferenceRejectedException) {
      return RestFailures.toResponse(cause, "_compare", null);
    }
    Throwable unwrapped = cause instanceof Exception e ? ExceptionsHelper.unwrapCause(e) : cause;
    if (unwrapped instanceof ResourceNotFoundException notFound) {
      return new ResourceNotFoundException("[" + side.name() + "] " + notFound.getMessage());
    }
    if (unwrapped instanceof IllegalArgumentException bad) {
      return bad.getMessage() != null && bad.getMessage().startsWith("[" + side.name() + "]")
          ? bad
          : new IllegalArgumentException("[" + side.name() + "] " + bad.getMessage(), bad);
    }
    if (unwrapped instanceof OpenSearchException e) {
      return e;
    }
    return cause instanceof Exception e ? e : new RuntimeException(cause);
  }

  private static XContentBuilder render(RestChannel channel, Comparison c, FaceModel model)
      throws IOException {
    XContentBuilder b = channel.newBuilder();
    b.startObject();
    b.field("model", model.id());
    b.field("decision", c.decision.wireName());
    b.field("reason", c.reason);
    b.field("cosine", c.cosine);
    b.field("threshold", c.threshold.cosine());
    if (c.threshold.fmr() != null) {
      b.field("fmr", c.threshold.fmr());
      b.field("fnmr", c.threshold.fnmr());
    }
    b.field("min_ers", c.minErs);
    if (c.emd != null) {
      b.field("emd", c.emd.emdSimilarity());
      b.field("score", c.emd.score());
      b.field("alpha", c.emd.alpha());
      b.field("weighting", c.emd.describeWeighting());
    } else {
      b.nullField("emd");
      b.nullField("score");
    }
    side(b, c, c.a);
    side(b, c, c.b);
    b.startArray("flows");
    if (c.emd != null) {
      for (Flow f : c.emd.flows()) {
        b.startObject();
        b.array("a", f.queryRow(), f.queryCol());
        b.array("b", f.galleryRow(), f.galleryCol());
        b.field("mass", f.mass());
        b.endObject();
      }
    }
    b.endArray();
    return b.endObject();
  }

  private static void side(XContentBuilder b, Comparison c, Comparison.Face f) throws IOException {
    CompareRequest.Side s = f.side();
    b.startObject(s.name());
    b.field("source", s.isImage() ? "image" : s.isStored() ? "stored" : "embedding");
    if (s.isStored()) {
      b.field("index", s.index()).field("id", s.id()).field("field", s.field());
    }
    b.field("ers", f.ers());
    b.field("recognizable", f.ers() == null || c.minErs == null ? null : !c.unrecognizable(f));
    if (f.box() != null) {
      b.array("box", f.box());
      b.field("detection_score", f.detectionScore());
    }
    b.field("patches", f.patches() != null);
    b.endObject();
  }
}
