package org.facesearch.rescore;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.search.BooleanClause;
import org.facesearch.query.FaceQueryBuilder;
import org.facesearch.queryface.FaceInput;
import org.opensearch.action.search.SearchAction;
import org.opensearch.action.search.SearchRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.action.support.ActionFilterChain;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryBuilderVisitor;
import org.opensearch.search.builder.SearchSourceBuilder;
import org.opensearch.search.rescore.RescorerBuilder;
import org.opensearch.tasks.Task;

/**
 * Hands the query face of a search's {@code face} query to its {@code face_emd} rescorers that have
 * none of their own, so a user sends the query image once for both stages. Runs on the coordinating
 * node before the request is rewritten; both stages then encode the image through the same cache,
 * so it is encoded once.
 */
public final class QueryFaceHandover implements ActionFilter {

  @Override
  public int order() {
    return 0;
  }

  @Override
  public <Request extends org.opensearch.action.ActionRequest, Response extends ActionResponse>
      void apply(
          Task task,
          String action,
          Request request,
          ActionListener<Response> listener,
          ActionFilterChain<Request, Response> chain) {
    if (SearchAction.NAME.equals(action)
        && request instanceof SearchRequest search
        && search.source() != null) {
      try {
        refuseCollapse(search.source());
      } catch (IllegalArgumentException e) {
        listener.onFailure(e);
        return;
      }
      handOver(search.source());
    }
    chain.proceed(task, action, request, listener);
  }

  /**
   * OpenSearch refuses {@code collapse} with any rescorer, but on each shard and as a server error
   * (HTTP 500); a face search that asks for both is the user's mistake, so it is refused here, as a
   * 400 that says which options clash, before any shard works.
   */
  static void refuseCollapse(SearchSourceBuilder source) {
    if (source.collapse() == null || source.rescores() == null) {
      return;
    }
    for (RescorerBuilder<?> rescorer : source.rescores()) {
      if (rescorer instanceof FaceEmdRescorerBuilder) {
        throw new IllegalArgumentException(
            "["
                + FaceEmdRescorerBuilder.NAME
                + "] cannot be used with [collapse]: OpenSearch does not "
                + "rescore collapsed results; collapse on the client, or drop one of them");
      }
    }
  }

  /** Gives each face_emd rescorer without a query face the input of the face query on its field. */
  static void handOver(SearchSourceBuilder source) {
    List<RescorerBuilder> rescorers = source.rescores();
    if (rescorers == null || rescorers.isEmpty() || source.query() == null) {
      return;
    }
    List<FaceQueryBuilder> faceQueries = new ArrayList<>();
    source
        .query()
        .visit(
            new QueryBuilderVisitor() {
              @Override
              public void accept(QueryBuilder qb) {
                if (qb instanceof FaceQueryBuilder face) {
                  faceQueries.add(face);
                }
              }

              @Override
              public QueryBuilderVisitor getChildVisitor(BooleanClause.Occur occur) {
                return this;
              }
            });
    for (RescorerBuilder<?> rescorer : rescorers) {
      if (rescorer instanceof FaceEmdRescorerBuilder emd && emd.input() == null) {
        Set<FaceInput> inputs = new HashSet<>();
        for (FaceQueryBuilder query : faceQueries) {
          if (query.field().equals(emd.field())) {
            inputs.add(query.input());
          }
        }
        // With several different query faces on the field, which one to re-rank by is ambiguous:
        // the rescorer then asks for its own (see its rewrite).
        if (inputs.size() == 1) {
          emd.useQueryInput(inputs.iterator().next());
        }
      }
    }
  }
}
