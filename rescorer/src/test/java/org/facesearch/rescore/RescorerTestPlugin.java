package org.facesearch.rescore;

import java.util.List;
import org.facesearch.query.QueryTestPlugin;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.index.IndexModule;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.search.fetch.FetchSubPhase;

/**
 * The rescorer module's extensions, for in-JVM test nodes: the face query (which stage 2 follows)
 * and the face_emd rescorer with its flows and the query face hand-over. Use with the field
 * module's {@code FieldTestPlugin}.
 */
public class RescorerTestPlugin extends QueryTestPlugin implements ActionPlugin {

  @Override
  public List<RescorerSpec<?>> getRescorers() {
    return List.of(
        new RescorerSpec<>(
            FaceEmdRescorerBuilder.NAME,
            in -> new FaceEmdRescorerBuilder(in, queryFaces),
            p -> FaceEmdRescorerBuilder.fromXContent(p, queryFaces)));
  }

  @Override
  public List<FetchSubPhase> getFetchSubPhases(FetchPhaseConstructionContext context) {
    return List.of(new FaceFlowsFetchSubPhase());
  }

  @Override
  public void onIndexModule(IndexModule indexModule) {
    indexModule.addSearchOperationListener(new FaceEmdSearchListener());
  }

  @Override
  public List<ActionFilter> getActionFilters() {
    return List.of(new QueryFaceHandover());
  }
}
