package org.facesearch.plugin.compare;

import org.opensearch.action.ActionType;

/**
 * Reads one stored face (embedding, patch map, model) of a document for {@code _compare}, on the
 * shard that holds the document. An index read (its name starts with {@code indices:data/read/}),
 * so whoever may read the index may compare with its faces; the raw features go to the node that
 * serves the comparison and never into an answer.
 */
public final class StoredFaceAction extends ActionType<StoredFaceResponse> {

  public static final String NAME = "indices:data/read/face/stored_face";
  public static final StoredFaceAction INSTANCE = new StoredFaceAction();

  private StoredFaceAction() {
    super(NAME, StoredFaceResponse::new);
  }
}
