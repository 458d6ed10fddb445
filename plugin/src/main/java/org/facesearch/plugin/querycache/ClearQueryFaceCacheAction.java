package org.facesearch.plugin.querycache;

import org.opensearch.action.ActionType;

/**
 * Empties the query face cache of every node (each node encodes the query images of the searches it
 * coordinates, so each has one). Run by {@link ClearQueryFaceCacheOnCacheClear} with every {@code
 * POST _cache/clear}.
 */
public final class ClearQueryFaceCacheAction extends ActionType<ClearQueryFaceCacheResponse> {

  public static final String NAME = "cluster:admin/face/query_cache/clear";
  public static final ClearQueryFaceCacheAction INSTANCE = new ClearQueryFaceCacheAction();

  private ClearQueryFaceCacheAction() {
    super(NAME, ClearQueryFaceCacheResponse::new);
  }
}
