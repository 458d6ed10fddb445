package org.facesearch.rescore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.facesearch.emd.EmdResult;
import org.facesearch.emd.FacePatches;
import org.facesearch.emd.Flow;
import org.facesearch.emd.SolveStoppedException;
import org.opensearch.action.search.SearchShardTask;
import org.opensearch.common.logging.HeaderWarning;
import org.opensearch.core.tasks.TaskCancelledException;
import org.opensearch.search.internal.SearchContext;
import org.opensearch.search.query.QueryPhaseExecutionException;
import org.opensearch.search.rescore.RescoreContext;
import org.opensearch.search.rescore.Rescorer;

/**
 * Stage 2 on one shard: each hit of the window gets {@code alpha * EMD + (1 - alpha) * cosine},
 * computed from its stored patches and embedding against the query face, each hit on its own (so
 * its score does not depend on the other hits or on the shard layout). Hits below the window, and
 * window hits without a face, keep their stage-1 order below every re-scored hit.
 *
 * <p>Hits are re-scored in stage-1 order and the search's cancellation and timeout are checked
 * between hits and every few Sinkhorn iterations ({@link Stage2Stop}). A cancelled search stops at
 * once with {@link TaskCancelledException}; one past its {@code timeout} keeps what it re-scored
 * (the best of stage 1), places the rest below in stage-1 order as if past the window, and reports
 * {@code timed_out: true} as OpenSearch does for stage 1. A hit whose Sinkhorn solve did not
 * converge keeps its score, and the response says so in a {@code Warning} header.
 */
final class FaceEmdRescorer implements Rescorer {

  static final FaceEmdRescorer INSTANCE = new FaceEmdRescorer();

  /** Gap between consecutive hits placed below the window. */
  private static final float BELOW_STEP = 1e-4f;

  private FaceEmdRescorer() {}

  @Override
  public TopDocs rescore(TopDocs topDocs, IndexSearcher searcher, RescoreContext rescoreContext)
      throws IOException {
    if (topDocs == null || topDocs.scoreDocs.length == 0) {
      return topDocs;
    }
    FaceEmdRescoreContext context = (FaceEmdRescoreContext) rescoreContext;
    Stage2Stop stop = context.stop();
    int n = Math.min(context.getWindowSize(), topDocs.scoreDocs.length);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    List<ScoreDoc> rescored = new ArrayList<>(n);
    int notConverged = 0;
    double worstError = 0;
    boolean stopped = false;
    // In stage-1 order, so that a rescore stopped early has re-scored the best of stage 1. Doc
    // values iterate forward only, so each hit gets a fresh reader of its segment: microseconds,
    // against tens of microseconds (or far more) for its transport problem.
    for (int i = 0; i < n; i++) {
      if (stop.getAsBoolean()) {
        stopped = true;
        break;
      }
      ScoreDoc hit = topDocs.scoreDocs[i];
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
      FacePatches face =
          new Faces.Gallery(leaf.reader(), context.field).face(hit.doc - leaf.docBase);
      if (face == null) {
        continue;
      }
      EmdResult result;
      try {
        result = context.scorer.score(face, stop);
      } catch (SolveStoppedException e) {
        stopped = true;
        break;
      }
      if (!result.converged()) {
        notConverged++;
        worstError = Math.max(worstError, result.marginalError());
      }
      rescored.add(new ScoreDoc(hit.doc, (float) result.score()));
    }
    if (stopped) {
      stopped(context, stop, rescored.size(), n);
    }
    if (notConverged > 0) {
      HeaderWarning.addWarning(
          "[face_emd] on [{}]: Sinkhorn did not converge for {} of {} re-scored hits within [max_iterations] {} (largest marginal error {}, "
              + "[tolerance] {}): their scores come from an unfinished transport plan; raise max_iterations or epsilon",
          context.field,
          notConverged,
          rescored.size(),
          context.params.maxIterations(),
          String.format(Locale.ROOT, "%.2g", worstError),
          context.params.tolerance());
    }
    rescored.sort((a, b) ->
        a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
    Set<Integer> rescoredIds = new HashSet<>();
    rescored.forEach(d -> rescoredIds.add(d.doc));
    context.setRescoredDocs(rescoredIds);

    List<ScoreDoc> out = new ArrayList<>(topDocs.scoreDocs.length);
    out.addAll(rescored);
    float floor = rescored.isEmpty() ? Float.NaN : rescored.get(rescored.size() - 1).score;
    int below = 0;
    // Stage-1 order for the rest: window hits without a face or not reached, then hits past the
    // window.
    for (int i = 0; i < topDocs.scoreDocs.length; i++) {
      ScoreDoc hit = topDocs.scoreDocs[i];
      if (rescoredIds.contains(hit.doc)) {
        continue;
      }
      float score = Float.isNaN(floor) ? hit.score : floor - BELOW_STEP * ++below;
      context.belowWindow.put(hit.doc, score);
      out.add(new ScoreDoc(hit.doc, score, hit.shardIndex));
    }
    return new TopDocs(topDocs.totalHits, out.toArray(new ScoreDoc[0]));
  }

  /**
   * A rescore that stopped before the end of its window: a cancelled search fails as OpenSearch's
   * own phases do; a timed-out one is partial, flagged {@code timed_out} (or fails with "Time
   * exceeded" when the request does not allow partial results, as stage 1 does).
   */
  private static void stopped(
      FaceEmdRescoreContext context, Stage2Stop stop, int done, int window) {
    SearchContext search = stop.search();
    if (stop.cancelled()) {
      SearchShardTask task = search.getTask();
      throw new TaskCancelledException(
          "cancelled task with reason: " + (task == null ? "unknown" : task.getReasonCancelled()));
    }
    if (!search.request().allowPartialSearchResults()) {
      throw new QueryPhaseExecutionException(search.shardTarget(), "Time exceeded");
    }
    search.queryResult().searchTimedOut(true);
    HeaderWarning.addWarning(
        "[face_emd] on [{}] stopped at the request's timeout after re-scoring {} of {} hits; "
            + "the others keep their stage-1 order below them",
        context.field,
        done,
        window);
  }

  @Override
  public Explanation explain(
      int topLevelDocId, IndexSearcher searcher, RescoreContext rescoreContext, Explanation source)
      throws IOException {
    FaceEmdRescoreContext context = (FaceEmdRescoreContext) rescoreContext;
    // The fetch phase may run in a fresh shard context that did not see the rescoring (several
    // shards): hits placed below the window are only known when it did.
    Float placed = context.belowWindow.get(topLevelDocId);
    if (placed != null) {
      return Explanation.match(
          placed,
          "placed below the face_emd window, in stage-1 order (no face, or past window_size)",
          source);
    }
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(topLevelDocId, leaves));
    FacePatches face =
        new Faces.Gallery(leaf.reader(), context.field).face(topLevelDocId - leaf.docBase);
    if (face == null) {
      return Explanation.match(
          source.getValue(),
          "no face to compare in [" + context.field + "]: stage-1 order",
          source);
    }
    EmdResult result = context.explainScorer().score(face);
    List<Explanation> flows = new ArrayList<>();
    for (Flow flow : result.flows()) {
      flows.add(
          Explanation.match(
              (float) flow.mass(),
              String.format(
                  Locale.ROOT,
                  "flow: query patch (%d, %d) -> gallery patch (%d, %d)",
                  flow.queryRow(),
                  flow.queryCol(),
                  flow.galleryRow(),
                  flow.galleryCol())));
    }
    Explanation emd =
        Explanation.match(
            (float) result.emdSimilarity(),
            String.format(
                Locale.ROOT,
                "EMD similarity (weighting %s%s, %d Sinkhorn iterations, %s, marginal error %.2g)",
                result.describeWeighting(),
                context.params.centrePatches() ? ", centred patches" : "",
                result.iterations(),
                result.converged() ? "converged" : "not converged",
                result.marginalError()),
            flows);
    Explanation cosine =
        Explanation.match((float) result.cosine(), "cosine similarity of the embeddings");
    Explanation alpha = Explanation.match((float) result.alpha(), "alpha");
    return Explanation.match(
        (float) result.score(), "face_emd: alpha * EMD + (1 - alpha) * cosine", emd, cosine, alpha);
  }
}
