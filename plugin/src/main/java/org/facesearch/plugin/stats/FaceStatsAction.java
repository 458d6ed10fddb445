package org.facesearch.plugin.stats;

import org.opensearch.action.ActionType;

/**
 * The transport action behind {@code GET _plugins/face/stats}: each node's encoder counters and
 * query face cache.
 */
public final class FaceStatsAction extends ActionType<FaceStatsResponse> {

  public static final String NAME = "cluster:monitor/face/stats";
  public static final FaceStatsAction INSTANCE = new FaceStatsAction();

  private FaceStatsAction() {
    super(NAME, FaceStatsResponse::new);
  }
}
