package org.facesearch.rescore;

import java.util.HashMap;
import java.util.Map;
import org.facesearch.emd.EmdParams;
import org.facesearch.emd.EmdScorer;
import org.facesearch.emd.FacePatches;
import org.opensearch.search.rescore.RescoreContext;

/**
 * One shard's face_emd rescoring: the field, the query face and parameters, and the scores it gave.
 */
final class FaceEmdRescoreContext extends RescoreContext {

  /** Flows an explanation shows when the request asked for fewer. */
  static final int EXPLAIN_FLOWS = 5;

  final String field;
  final FacePatches query;
  final EmdParams params;
  final EmdScorer scorer;

  /** Scores given to hits placed below the window (kept for their explanation). */
  final Map<Integer, Float> belowWindow = new HashMap<>();

  /** When to stop: the search's cancellation and timeout, once the search has bound them. */
  private volatile Stage2Stop stop = Stage2Stop.NEVER;

  FaceEmdRescoreContext(int windowSize, String field, FacePatches query, EmdParams params) {
    super(windowSize, FaceEmdRescorer.INSTANCE);
    this.field = field;
    this.query = query;
    this.params = params;
    this.scorer = new EmdScorer(query, params);
  }

  /** Binds the search's cancellation and timeout ({@link FaceEmdSearchListener}). */
  void stopWith(Stage2Stop stop) {
    this.stop = stop;
  }

  /**
   * The search's cancellation and timeout, or {@link Stage2Stop#NEVER} when no search bound them.
   */
  Stage2Stop stop() {
    return stop;
  }

  /** A scorer that also reports the strongest flows, for explanations and per-hit flows. */
  EmdScorer explainScorer() {
    if (params.flows() >= EXPLAIN_FLOWS) {
      return scorer;
    }
    return new EmdScorer(query, params.toBuilder().flows(EXPLAIN_FLOWS).build());
  }
}
