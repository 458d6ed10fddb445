package org.facesearch.face;

import org.opensearch.core.action.ActionListener;

/** Turns what a user gave for the query face into a {@link QueryFace}; images go through the models. */
public interface QueryFaces {

  /** Encodes {@code input}; listeners for images are called from the inference pool. */
  void encode(FaceInput input, ActionListener<QueryFace> listener);
}
