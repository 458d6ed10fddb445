package org.facesearch.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.facesearch.plugin.codec.FaceCodecService;
import org.facesearch.plugin.mapper.FaceFieldMapper;
import org.facesearch.plugin.mapper.FaceFieldType;
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
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;

/**
 * The face-search plugin. It only wires: each component lives in its own package and the numerical
 * cores live in the ingest-processor and rescorer modules.
 */
public final class FaceSearchPlugin extends Plugin implements ActionPlugin, MapperPlugin, EnginePlugin {

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
