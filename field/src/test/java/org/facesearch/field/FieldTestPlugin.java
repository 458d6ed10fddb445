package org.facesearch.field;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.facesearch.field.codec.FaceCodecService;
import org.facesearch.field.codec.FaceIndexSettings;
import org.facesearch.field.source.DerivingThreads;
import org.facesearch.field.source.FaceSourceActionFilter;
import org.facesearch.field.source.FaceSourceFetchSubPhase;
import org.facesearch.field.source.FaceSourceMapper;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.settings.Setting;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.codec.CodecServiceFactory;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.index.mapper.MetadataFieldMapper;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.EnginePlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.script.ScriptService;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;

/**
 * The field module's extensions alone, for in-JVM test nodes: the face field type, its codec, and
 * the derived source of its vectors (the codec's stored fields, metadata mapper, action filter,
 * fetch sub-phase), wired as the plugin wires them.
 */
public class FieldTestPlugin extends Plugin
    implements MapperPlugin, EnginePlugin, ActionPlugin, SearchPlugin {

  private ClusterService clusterService;
  private ThreadPool threadPool;

  @Override
  public Map<String, Mapper.TypeParser> getMappers() {
    return Map.of(FaceFieldType.CONTENT_TYPE, FaceFieldMapper.PARSER);
  }

  @Override
  public Map<String, MetadataFieldMapper.TypeParser> getMetadataMappers() {
    return Map.of(FaceSourceMapper.NAME, FaceSourceMapper.parser(FaceIndexSettings::codecApplies));
  }

  @Override
  public List<FetchSubPhase> getFetchSubPhases(FetchPhaseConstructionContext context) {
    return List.of(new FaceSourceFetchSubPhase());
  }

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
    this.clusterService = clusterService;
    this.threadPool = threadPool;
    DerivingThreads.register(threadPool.getThreadContext());
    return List.of();
  }

  @Override
  public List<ActionFilter> getActionFilters() {
    return List.of(new FaceSourceActionFilter(clusterService, threadPool.getThreadContext()));
  }

  @Override
  public Optional<CodecServiceFactory> getCustomCodecServiceFactory(IndexSettings indexSettings) {
    return FaceIndexSettings.codecApplies(indexSettings.getSettings())
        ? Optional.of(FaceCodecService::new)
        : Optional.empty();
  }

  @Override
  public List<Setting<?>> getSettings() {
    return FaceIndexSettings.all();
  }
}
