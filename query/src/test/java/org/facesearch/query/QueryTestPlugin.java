package org.facesearch.query;

import java.util.List;
import org.facesearch.encoder.EncoderOptions;
import org.facesearch.encoder.FaceModels;
import org.facesearch.queryface.ModelQueryFaces;
import org.facesearch.queryface.QueryFaces;
import org.facesearch.testing.TestData;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.secure_sm.AccessController;

/**
 * The query module's extension alone, for in-JVM test nodes: the face query, with a query face
 * encoder on the default model pack (loaded on first use). Use with the field module's {@code
 * FieldTestPlugin}.
 */
public class QueryTestPlugin extends Plugin implements SearchPlugin {

  private FaceModels models;
  protected final QueryFaces queryFaces =
      new ModelQueryFaces(this::models, 16, TimeValue.timeValueMinutes(10));

  /**
   * The default pack, from the build's model folder (on the test class path, so the test agent lets
   * it be read).
   */
  public synchronized FaceModels models() {
    if (models == null) {
      models =
          AccessController.doPrivileged(() ->
              FaceModels.load(
                  List.of(TestData.modelRoot()), EncoderOptions.defaults().withThreads(1)));
    }
    return models;
  }

  /** The node's query face encoder, for queries built in Java by a test. */
  public QueryFaces queryFaces() {
    return queryFaces;
  }

  @Override
  public List<QuerySpec<?>> getQueries() {
    return List.of(
        new QuerySpec<>(
            FaceQueryBuilder.NAME,
            in -> new FaceQueryBuilder(in, queryFaces),
            p -> FaceQueryBuilder.fromXContent(p, queryFaces)));
  }

  @Override
  public synchronized void close() {
    if (models != null) {
      models.close();
    }
  }
}
