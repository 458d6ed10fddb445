package org.facesearch.plugin;

import java.util.List;
import java.util.function.Supplier;

import org.facesearch.plugin.rest.RestModelsAction;
import org.facesearch.plugin.settings.FaceSettings;
import org.opensearch.cluster.metadata.IndexNameExpressionResolver;
import org.opensearch.cluster.node.DiscoveryNodes;
import org.opensearch.common.settings.ClusterSettings;
import org.opensearch.common.settings.IndexScopedSettings;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.settings.SettingsFilter;
import org.opensearch.plugins.ActionPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.rest.RestController;
import org.opensearch.rest.RestHandler;

/**
 * The face-search plugin. It only wires: each component lives in its own package and the numerical
 * cores live in the ingest-processor and rescorer modules.
 */
public final class FaceSearchPlugin extends Plugin implements ActionPlugin {

  @Override
  public List<Setting<?>> getSettings() {
    return FaceSettings.all();
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
