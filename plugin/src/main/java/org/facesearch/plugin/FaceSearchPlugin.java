package org.facesearch.plugin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.facesearch.encoder.FaceModels;
import org.facesearch.field.FaceFieldMapper;
import org.facesearch.field.FaceFieldType;
import org.facesearch.field.codec.FaceCodecService;
import org.facesearch.field.codec.FaceIndexSettings;
import org.facesearch.field.source.DerivingThreads;
import org.facesearch.field.source.FaceSourceActionFilter;
import org.facesearch.field.source.FaceSourceFetchSubPhase;
import org.facesearch.field.source.FaceSourceMapper;
import org.facesearch.image.ImageLimits;
import org.facesearch.ingest.FaceEmbeddingProcessor;
import org.facesearch.ingest.SimulatedFaces;
import org.facesearch.plugin.compare.RestCompareAction;
import org.facesearch.plugin.compare.StoredFaceAction;
import org.facesearch.plugin.compare.TransportStoredFaceAction;
import org.facesearch.plugin.ingest.ForwardedBulkFailures;
import org.facesearch.plugin.models.NodeModels;
import org.facesearch.plugin.querycache.ClearQueryFaceCacheAction;
import org.facesearch.plugin.querycache.ClearQueryFaceCacheOnCacheClear;
import org.facesearch.plugin.querycache.TransportClearQueryFaceCacheAction;
import org.facesearch.plugin.recognizability.RestCentroidAction;
import org.facesearch.plugin.rest.RestEncodeAction;
import org.facesearch.plugin.rest.RestModelsAction;
import org.facesearch.plugin.settings.FaceSettings;
import org.facesearch.plugin.stats.FaceStatsAction;
import org.facesearch.plugin.stats.RestFaceStatsAction;
import org.facesearch.plugin.stats.TransportFaceStatsAction;
import org.facesearch.query.FaceQueryBuilder;
import org.facesearch.queryface.ModelQueryFaces;
import org.facesearch.rescore.FaceEmdRescorerBuilder;
import org.facesearch.rescore.FaceEmdSearchListener;
import org.facesearch.rescore.FaceFlowsFetchSubPhase;
import org.facesearch.rescore.QueryFaceHandover;
import org.facesearch.rescore.RescoreLimits;
import org.opensearch.action.ActionRequest;
import org.opensearch.action.support.ActionFilter;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.SetOnce;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.io.stream.NamedWriteableRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.env.Environment;
import org.opensearch.env.NodeEnvironment;
import org.opensearch.index.IndexModule;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.codec.CodecServiceFactory;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.index.mapper.MetadataFieldMapper;
import org.opensearch.ingest.Processor;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.EnginePlugin;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;
import org.opensearch.repositories.RepositoriesService;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;
import org.opensearch.script.ScriptService;
import org.opensearch.search.fetch.FetchSubPhase;
import org.opensearch.threadpool.ThreadPool;
import org.opensearch.transport.client.Client;
import org.opensearch.watcher.ResourceWatcherService;

/**
 * The face-search plugin. It only wires: each extension lives in its own module (ingest-processor,
 * field, query, rescorer) and the numerical cores in theirs (encoder, emd); see
 * docs/architecture.md.
 */
public final class FaceSearchPlugin extends Plugin
    implements ActionPlugin, MapperPlugin, EnginePlugin, SearchPlugin, IngestPlugin {

  private final NodeModels nodeModels = new NodeModels();

  /** Set by createComponents, read by getActionFilters (the node asks for them afterwards). */
  private ClusterService clusterService;

  private ThreadPool threadPool;

  /**
   * The node's query face encoder, handed to the face query and the rescorer through their parsers
   * and readers.
   */
  private final ModelQueryFaces queryFaces;

  private final SetOnce<Client> client = new SetOnce<>();

  /** The node's bound on stage-2 work, handed to the rescorer through its parser and reader. */
  private final RescoreLimits rescoreLimits;

  /**
   * @param settings the node's settings, which size the query face cache
   */
  public FaceSearchPlugin(Settings settings) {
    this.queryFaces =
        new ModelQueryFaces(
            nodeModels::loaded,
            FaceSettings.QUERY_CACHE_SIZE.get(settings),
            FaceSettings.QUERY_CACHE_EXPIRE_AFTER_ACCESS.get(settings));
    this.queryFaces.maxImages(FaceSettings.QUERY_MAX_IMAGES.get(settings));
    this.rescoreLimits = new RescoreLimits(FaceSettings.RESCORE_MAX_WORK.get(settings));
  }

  @Override
  public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
    FaceModels models = nodeModels.get(parameters.env);
    int batchSize = FaceSettings.INFERENCE_BATCH_SIZE.get(parameters.env.settings());
    return Map.of(
        FaceEmbeddingProcessor.TYPE,
        new FaceEmbeddingProcessor.Factory(models, batchSize, parameters.threadContext));
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
    this.client.set(client);
    this.clusterService = clusterService;
    this.threadPool = threadPool;
    queryFaces.respondThrough(threadPool.getThreadContext());
    // The face codec's stored fields put faces' vectors back for this node's requests that ask.
    DerivingThreads.register(threadPool.getThreadContext());
    FaceModels models = nodeModels.get(environment);
    clusterService
        .getClusterSettings()
        .addSettingsUpdateConsumer(
            FaceSettings.IMAGE_MAX_BYTES,
            FaceSettings.IMAGE_MAX_PIXELS,
            (bytes, pixels) ->
                models
                    .all()
                    .forEach(
                        m -> m.encoder().updateLimits(new ImageLimits(bytes.getBytes(), pixels))));
    long queueMemory = FaceSettings.INFERENCE_QUEUE_MEMORY.get(environment.settings()).getBytes();
    models.all().forEach(m -> m.encoder().memoryBudget(queueMemory));
    clusterService
        .getClusterSettings()
        .addSettingsUpdateConsumer(
            FaceSettings.INFERENCE_QUEUE_MEMORY,
            bytes -> models.all().forEach(m -> m.encoder().memoryBudget(bytes.getBytes())));
    clusterService
        .getClusterSettings()
        .addSettingsUpdateConsumer(FaceSettings.QUERY_MAX_IMAGES, queryFaces::maxImages);
    clusterService
        .getClusterSettings()
        .addSettingsUpdateConsumer(FaceSettings.RESCORE_MAX_WORK, rescoreLimits::maxWork);
    // Bound for injection: the stats action reads the encoders' counters and the query face cache,
    // the cache-clearing action empties the cache.
    return List.of(nodeModels, queryFaces);
  }

  /** The node's loaded models (null before the node started them). */
  public FaceModels models() {
    return nodeModels.loaded();
  }

  /** The node's query face encoder. */
  ModelQueryFaces queryFaces() {
    return queryFaces;
  }

  @Override
  public void close() {
    nodeModels.close();
  }

  @Override
  public List<RescorerSpec<?>> getRescorers() {
    return List.of(
        new RescorerSpec<>(
            FaceEmdRescorerBuilder.NAME,
            in -> new FaceEmdRescorerBuilder(in, queryFaces, rescoreLimits),
            p -> FaceEmdRescorerBuilder.fromXContent(p, queryFaces, rescoreLimits)));
  }

  @Override
  public List<FetchSubPhase> getFetchSubPhases(FetchPhaseConstructionContext context) {
    return List.of(new FaceFlowsFetchSubPhase(), new FaceSourceFetchSubPhase());
  }

  @Override
  public List<ActionFilter> getActionFilters() {
    return List.of(
        new QueryFaceHandover(),
        new ClearQueryFaceCacheOnCacheClear(client::get),
        new FaceSourceActionFilter(clusterService, threadPool.getThreadContext()),
        new SimulatedFaces(),
        new ForwardedBulkFailures(() -> clusterService));
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
  public Map<String, MetadataFieldMapper.TypeParser> getMetadataMappers() {
    return Map.of(FaceSourceMapper.NAME, FaceSourceMapper.parser(FaceIndexSettings::codecApplies));
  }

  @Override
  public void onIndexModule(IndexModule indexModule) {
    // Stage 2 stops when its search is cancelled or times out.
    indexModule.addSearchOperationListener(new FaceEmdSearchListener());
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
    return List.of(
        new RestModelsAction(nodeModels::loaded),
        new RestEncodeAction(nodeModels::loaded),
        new RestCentroidAction(nodeModels::loaded, clusterSettings),
        new RestFaceStatsAction(),
        new RestCompareAction(nodeModels::loaded));
  }

  @Override
  public List<ActionHandler<? extends ActionRequest, ? extends ActionResponse>> getActions() {
    return List.of(
        new ActionHandler<>(FaceStatsAction.INSTANCE, TransportFaceStatsAction.class),
        new ActionHandler<>(
            ClearQueryFaceCacheAction.INSTANCE, TransportClearQueryFaceCacheAction.class),
        new ActionHandler<>(StoredFaceAction.INSTANCE, TransportStoredFaceAction.class));
  }
}
