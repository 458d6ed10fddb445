package org.facesearch.plugin;

import org.facesearch.face.EmbeddingFaces;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.facesearch.plugin.codec.FaceCodecService;
import org.facesearch.plugin.mapper.FaceFieldMapper;
import org.facesearch.plugin.mapper.FaceFieldType;
import org.facesearch.face.QueryFaces;
import org.facesearch.plugin.query.FaceQueryBuilder;
import org.facesearch.plugin.query.QueryFaceHandover;
import org.facesearch.rescore.FaceEmdRescorerBuilder;
import org.opensearch.action.support.ActionFilter;
import org.facesearch.plugin.rest.RestModelsAction;
import org.facesearch.plugin.settings.FaceIndexSettings;
import org.facesearch.plugin.settings.FaceSettings;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.codec.CodecServiceFactory;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.EnginePlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.script.ScriptService;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;

/**
 * The face-search plugin. It only wires: each component lives in its own package and the numerical
 * cores live in the ingest-processor and rescorer modules.
 */
public final class FaceSearchPlugin extends Plugin implements ActionPlugin, MapperPlugin, EnginePlugin, SearchPlugin {

  @Override
  public Collection<Object> createComponents(
      Client client,
      ClusterService clusterService,
      ThreadPool threadPool,
      ResourceWatcherService resourceWatcherService,
      ScriptService scriptService,
      NamedXContentRegistry xContentRegistry,
      Environment environment,
      NodeEnvironment nodeEnvironment,
      NamedWriteableRegistry namedWriteableRegistry,
      IndexNameExpressionResolver indexNameExpressionResolver,
      Supplier<RepositoriesService> repositoriesServiceSupplier) {
    QueryFaces queryFaces = (input, listener) -> {
      if (input.embedding() == null) {
        listener.onFailure(new IllegalArgumentException("query images cannot be encoded: no face model is loaded on this node"));
      } else {
        EmbeddingFaces.encode(input, null, listener);
      }
    };
    FaceQueryBuilder.setQueryFaces(queryFaces);
    FaceEmdRescorerBuilder.setQueryFaces(queryFaces);
    return List.of();
  }

  @Override
  public List<RescorerSpec<?>> getRescorers() {
    return List.of(new RescorerSpec<>(FaceEmdRescorerBuilder.NAME, FaceEmdRescorerBuilder::new, FaceEmdRescorerBuilder::fromXContent));
  }

  @Override
  public List<ActionFilter> getActionFilters() {
    return List.of(new QueryFaceHandover());
  }

  @Override
  public List<QuerySpec<?>> getQueries() {
    return List.of(new QuerySpec<>(FaceQueryBuilder.NAME, FaceQueryBuilder::new, FaceQueryBuilder::fromXContent));
  }

  @Override
  public List<Setting<?>> getSettings() {
    List<Setting<?>> settings = new ArrayList<>(FaceSettings.all());
    settings.addAll(FaceIndexSettings.all());
    return settings;
  }

  @Override
  public Map<String, Mapper.TypeParser> getMappers() {
    return Map.of(FaceFieldType.CONTENT_TYPE, FaceFieldMapper.PARSER);
  }

  @Override
  public Optional<CodecServiceFactory> getCustomCodecServiceFactory(IndexSettings indexSettings) {
    if (FaceIndexSettings.codecApplies(indexSettings.getSettings())) {
      return Optional.of(FaceCodecService::new);
    }
    return Optional.empty();
  }

  @Override
  public List<RestHandler> getRestHandlers(
      Settings settings,
      RestController restController,
      ClusterSettings clusterSettings,
      IndexScopedSettings indexScopedSettings,
      SettingsFilter settingsFilter,
      IndexNameExpressionResolver indexNameExpressionResolver,
      Supplier<DiscoveryNodes> nodesInCluster) {
    return List.of(new RestModelsAction(List::of));
  }
}
