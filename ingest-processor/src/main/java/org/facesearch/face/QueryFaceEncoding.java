package org.facesearch.face;

import java.util.function.Supplier;

import org.opensearch.common.SetOnce;
import org.opensearch.core.action.ActionListener;
import org.opensearch.index.query.QueryRewriteContext;

/**
 * Encodes query faces while a search request is rewritten on the coordinating node, for the face
 * query and the face_emd rescorer alike. The node's {@link QueryFaces} is set once when the plugin
 * starts.
 */
public final class QueryFaceEncoding {

  private static volatile QueryFaces faces;

  /** Set by the plugin when the node starts. */
  public static void set(QueryFaces queryFaces) {
    faces = queryFaces;
  }

  /**
   * Registers the encoding of {@code input} as an asynchronous action of this rewrite round; the
   * supplier returns the face once the round's actions completed (null before). An embedding is
   * encoded at once instead (failures are thrown), and the supplier already holds its face.
   */
  public static Supplier<QueryFace> register(QueryRewriteContext context, FaceInput input) {
    QueryFaces encoder = faces;
    if (encoder == null) {
      throw new IllegalStateException("the face-search plugin has not started its models");
    }
    if (input.embedding() != null) {
      // An embedding needs no model run and is answered at once: take it now rather than as an
      // asynchronous action, which would cost the whole search request another rewrite round.
      SetOnce<QueryFace> now = new SetOnce<>();
      SetOnce<Exception> failed = new SetOnce<>();
      encoder.encode(input, ActionListener.wrap(now::set, failed::set));
      if (failed.get() != null) {
        throw failed.get() instanceof RuntimeException runtime ? runtime : new IllegalStateException(failed.get());
      }
      if (now.get() == null) {
        throw new IllegalStateException("the query face of an embedding was not encoded at once");
      }
      return now::get;
    }
    SetOnce<QueryFace> encoded = new SetOnce<>();
    context.registerAsyncAction((client, listener) -> encoder.encode(input, ActionListener.map(listener, face -> {
      encoded.set(face);
      return null;
    })));
    return encoded::get;
  }

  private QueryFaceEncoding() {}
}
