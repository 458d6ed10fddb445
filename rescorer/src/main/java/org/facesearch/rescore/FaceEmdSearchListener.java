package org.facesearch.rescore;

import org.opensearch.index.shard.SearchOperationListener;
import org.opensearch.search.internal.SearchContext;
import org.opensearch.search.rescore.RescoreContext;

/**
 * Gives each {@code face_emd} rescore of a shard search the search's cancellation and timeout
 * ({@link Stage2Stop}) as its query phase starts: a rescorer sees only a searcher, and stage 2 is
 * the long part of a face search. Registered on every index by the plugin.
 */
public final class FaceEmdSearchListener implements SearchOperationListener {

  @Override
  public void onPreQueryPhase(SearchContext searchContext) {
    if (searchContext.rescore() == null) {
      return;
    }
    Stage2Stop stop = null;
    for (RescoreContext rescore : searchContext.rescore()) {
      if (rescore instanceof FaceEmdRescoreContext emd) {
        if (stop == null) {
          stop = Stage2Stop.of(searchContext);
        }
        emd.stopWith(stop);
      }
    }
  }
}
