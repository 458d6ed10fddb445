package org.facesearch.queryface;

import java.util.function.Supplier;
import org.facesearch.verification.VerificationCalibration;
import org.opensearch.common.SetOnce;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.QueryRewriteContext;

/**
 * Turns what a user gave for the query face into a {@link QueryFace}; images go through the models.
 * The node has one, made by the plugin and handed to the face query and the face_emd rescorer
 * through their parsers and stream readers.
 */
public interface QueryFaces {

  /** Encodes {@code input}; listeners for images are called from the inference pool. */
  void encode(FaceInput input, ActionListener<QueryFace> listener);

  /**
   * A model's verification calibration, and the model's id ({@code name@version}) that messages
   * name.
   */
  record Verification(String model, VerificationCalibration calibration) {}

  /**
   * The verification calibration of the model named {@code model}, which turns a false-match rate
   * into a cosine threshold.
   *
   * @throws IllegalArgumentException when the model is not loaded or has no verification
   *     calibration
   */
  default Verification verification(String model) {
    throw new IllegalArgumentException(
        "[model] ["
            + model
            + "] has no verification calibration here: give [min_similarity] as a cosine");
  }

  /**
   * Adds a response header to the answer of the request being served (which threshold a false-match
   * rate chose). Encoders that serve no HTTP requests (in tests) drop it.
   */
  default void respondWithHeader(String name, String value) {}

  /**
   * Registers the encoding of {@code input} as an asynchronous action of this rewrite round, on the
   * coordinating node; the supplier returns the face once the round's actions completed (null
   * before). An embedding is encoded at once instead (failures are thrown), and the supplier
   * already holds its face.
   */
  default Supplier<QueryFace> register(QueryRewriteContext context, FaceInput input) {
    if (input.embedding() != null) {
      // An embedding needs no model run and is answered at once: take it now rather than as an
      // asynchronous action, which would cost the whole search request another rewrite round.
      SetOnce<QueryFace> now = new SetOnce<>();
      SetOnce<Exception> failed = new SetOnce<>();
      encode(input, ActionListener.wrap(now::set, failed::set));
      if (failed.get() != null) {
        throw failed.get() instanceof RuntimeException runtime
            ? runtime
            : new IllegalStateException(failed.get());
      }
      if (now.get() == null) {
        throw new IllegalStateException("the query face of an embedding was not encoded at once");
      }
      return now::get;
    }
    SetOnce<QueryFace> encoded = new SetOnce<>();
    context.registerAsyncAction((client, listener) ->
        encode(
            input,
            ActionListener.map(
                listener,
                face -> {
                  encoded.set(face);
                  return null;
                })));
    return encoded::get;
  }
}
